# syntax=docker/dockerfile:1
#
# llm-gateway images; the build context is the repository root.
#   docker build -t llm-gateway .                            the gateway (default, last stage)
#   docker build --target harness -t llm-gateway:harness .   the conformance harness, for `helm test`
#
# Bun is the version pinned in package.json ("packageManager"). The two base
# image references carry their digest once `make image-pin` has resolved it
# (that needs Docker Hub); `make ecr-build-push` refuses to build without it.
ARG BUN_IMAGE=oven/bun:1.4.5
ARG BUN_RUNTIME_IMAGE=oven/bun:1.4.5-distroless

# --- Production dependencies of the gateway workspace, nothing else ----------
FROM ${BUN_IMAGE} AS deps
WORKDIR /app
COPY package.json bun.lock bunfig.toml ./
COPY gateway/package.json gateway/
# Only the gateway's workspace is in the context, so Bun installs only its
# production dependencies (it skips the workspaces it cannot see);
# --omit=peer leaves out TypeScript and the type packages Elysia names as peers.
RUN bun install --frozen-lockfile --production --omit=peer \
 && mkdir -p /out/.data

# --- Common runtime: Bun on distroless (no shell, no package manager) --------
FROM ${BUN_RUNTIME_IMAGE} AS runtime
WORKDIR /app
# The root filesystem may be read-only: Bun's transpiler cache is off, and
# anything that wants a home or a temporary directory gets /tmp.
ENV NODE_ENV=production \
    HOME=/tmp \
    TMPDIR=/tmp \
    BUN_RUNTIME_TRANSPILER_CACHE_PATH=0
USER 1000:1000

# --- The conformance harness (no dependencies at run time) -------------------
FROM runtime AS harness
COPY harness/package.json harness/
COPY harness/src harness/src
ENTRYPOINT ["/usr/local/bin/bun", "harness/src/cli.ts"]
CMD ["--suite", "health,production"]

# --- The gateway --------------------------------------------------------------
FROM runtime AS gateway
# Code and dependencies belong to root and are read-only for UID 1000; only
# .data (the SQLite key store when no DATABASE_URL is set) is writable.
COPY --from=deps /app/node_modules node_modules
COPY --from=deps /app/gateway/node_modules gateway/node_modules
COPY --from=deps --chown=1000:1000 /out/.data .data
COPY gateway/package.json gateway/
COPY gateway/src gateway/src
ENV HOST=0.0.0.0 \
    PORT=4000 \
    BUN_CONFIG_MAX_HTTP_REQUESTS=4096
EXPOSE 4000
# Bun is PID 1 (exec-form ENTRYPOINT, no shell in between), so SIGTERM reaches
# the gateway, which stops accepting connections and drains open streams.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/bun", "--eval", "const r = await fetch(`http://127.0.0.1:${process.env.PORT ?? 4000}/health/liveliness`, { signal: AbortSignal.timeout(2000) }).catch(() => null); process.exit(r?.ok ? 0 : 1)"]
ENTRYPOINT ["/usr/local/bin/bun", "gateway/src/main.ts"]
