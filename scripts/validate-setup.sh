#!/usr/bin/env bash
# `make validate-setup`: one line per tool or variable the Makefile's targets
# use, with the targets that need it. Exit 1 when something is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
missing=0
ok() { printf '  ok       %-28s %s\n' "$1" "$2"; }
miss() { printf '  MISSING  %-28s needed by: %s\n' "$1" "$2"; missing=1; }
tool() { # name, needed-by, version command...
  local name=$1 by=$2
  shift 2
  if command -v "${1}" >/dev/null 2>&1; then ok "$name" "$("$@" 2>&1 | head -1 | cut -c1-60)"; else miss "$name" "$by"; fi
}

echo "Tools"
want_bun=$(sed -n 's/.*"packageManager": *"bun@\([0-9.]*\)".*/\1/p' package.json)
if command -v bun >/dev/null 2>&1 && [ "$(bun --version)" = "$want_bun" ]; then ok bun "$want_bun"; else miss "bun $want_bun" "run, test, test-* (make setup installs it from npm)"; fi
tool docker "local-*, ecr-*" docker --version
if docker compose version >/dev/null 2>&1; then ok "docker compose" "$(docker compose version --short 2>/dev/null)"; else miss "docker compose" "local-*"; fi
if docker info >/dev/null 2>&1; then ok "docker engine" running; else miss "docker engine (running)" "local-deploy, ecr-login, ecr-build-push"; fi
if docker buildx version >/dev/null 2>&1; then ok "docker buildx" "$(docker buildx version | head -1)"; else miss "docker buildx" "ecr-build-push, image-pin"; fi
tool aws "ecr-*, eks-apply" aws --version
tool kubectl "eks-*" kubectl version --client
if [ -x .tools/bin/helm ]; then ok helm "$(.tools/bin/helm version --short) (.tools/bin, make chart-check)"; else tool helm "eks-apply (make chart-check builds one)" helm version --short; fi
tool go "chart-check (builds helm and kubeconform)" go version
tool python3 "chart-check (Kubernetes schemas)" python3 --version
tool curl "local-status, local-port-forward" curl --version

echo "Variables"
if [ -n "${AWS_REGION:-}" ]; then ok AWS_REGION "$AWS_REGION"; else miss AWS_REGION "ecr-*, eks-apply (without IMAGE_REPOSITORY)"; fi
if [ -n "${LITELLM_MASTER_KEY:-}" ]; then ok LITELLM_MASTER_KEY "set"; else miss LITELLM_MASTER_KEY "test-*, eks-secrets-populate (local-deploy makes its own)"; fi
if [ -n "${PERPLEXITY_API_KEY:-}" ]; then ok PERPLEXITY_API_KEY "set"; else printf '  optional %-28s Perplexity models answer 503 without it\n' PERPLEXITY_API_KEY; fi
if command -v kubectl >/dev/null 2>&1; then
  ctx=$(kubectl config current-context 2>/dev/null) && ok "kubectl context" "$ctx" || miss "kubectl context" "eks-* (aws eks update-kubeconfig --name <cluster>)"
fi
exit $missing
