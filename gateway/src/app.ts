/** Composition root: builds the services and mounts the plugins and routes. No logic lives here. */
import { Elysia } from 'elysia'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { KeyDigest } from './auth/keys.ts'
import type { LoadedConfig } from './config/load.ts'
import { errorPlugin } from './errors/plugin.ts'
import { emptyGuardrailSet, type GuardrailSet } from './guardrails/config.ts'
import { KeyService } from './keys/service.ts'
import { KeyStore } from './keys/store.ts'
import { createMemoryLimiter } from './limits/memory.ts'
import { createRedisLimiter } from './limits/redis.ts'
import type { Limiter } from './limits/types.ts'
import { describeError, type Logger } from './observability/log.ts'
import { requestIdPlugin } from './http/request-id.ts'
import { createProviderRegistry, type ProviderRegistry } from './providers/registry.ts'
import { chatCompletionsRoutes } from './routes/chat-completions.ts'
import { healthRoutes } from './routes/health.ts'
import { keyRoutes } from './routes/keys.ts'
import { modelsRoutes } from './routes/models.ts'
import { spendRoutes } from './routes/spend.ts'
import { Fallbacks } from './routing/fallbacks.ts'
import { DeploymentHealth } from './routing/health.ts'
import { RetryBudget } from './routing/retry-budget.ts'
import { Router, type Strategy } from './routing/router.ts'
import { registerServiceGauges } from './observability/gauges.ts'
import { createTelemetry } from './observability/metrics.ts'
import type { Telemetry } from './observability/telemetry.ts'
import { metricsRoutes } from './routes/metrics.ts'
import type { GatewayServices } from './services.ts'
import { SpendRetention } from './spend/retention.ts'
import { SpendWriter } from './spend/writer.ts'

export interface AppOptions {
  config: LoadedConfig
  /** The master key in effect (configured or generated at startup). */
  masterKey: string
  log: Logger
  /** postgres://… or a SQLite path (`:memory:` for tests). */
  keyStore: string
  /** redis://… for limits shared across replicas; none: in memory. */
  redis?: string
  providers?: Partial<ProviderRegistry>
  /** Built by guardrails/config.ts from config.guardrails. Default: none. */
  guardrails?: GuardrailSet
  /** Spend writer flush interval, ms. Default 500. */
  spendFlushMs?: number
  /** Metrics and traces. Default: metrics only (no tracer). */
  telemetry?: Telemetry
}

/** Opens the stores (running migrations) and builds every service. */
export async function createServices(o: AppOptions): Promise<GatewayServices> {
  const g = o.config.config.general_settings
  if (!/^postgres(ql)?:\/\//.test(o.keyStore) && o.keyStore !== ':memory:') mkdirSync(dirname(o.keyStore), { recursive: true })
  const store = new KeyStore(o.keyStore)
  await store.migrate()
  const keys = new KeyService(store, { ttlMs: g.key_cache_ttl_seconds * 1000, onError: (err) => o.log.warn('key refresh failed; serving the cached key', describeError(err)) })
  const limiter: Limiter = o.redis
    ? createRedisLimiter({ url: o.redis, failureMode: g.rate_limit_failure_mode, log: (msg, fields) => o.log.warn(msg, fields) })
    : createMemoryLimiter()
  const telemetry = o.telemetry ?? createTelemetry()
  const onCooldown = (id: string) => {
    const d = o.config.deployments.find((x) => x.id === id)
    o.log.warn('deployment cooling down', { deployment: id, cooldown_ms: o.config.settings.cooldownMs })
    telemetry.cooldown({ deployment: id, model: d?.modelName ?? 'unknown' })
  }
  const spend = new SpendWriter({
    store,
    ...(o.spendFlushMs !== undefined ? { intervalMs: o.spendFlushMs } : {}),
    onFlushed: (perKey) => keys.flushed(perKey),
    onError: (err, pending) => o.log.error('spend flush failed; will retry', { pending, ...describeError(err) }),
  })
  const kept = o.config.settings.spendLogRetention
  const retention = kept ? new SpendRetention({ store, log: o.log, maxAgeMs: kept.maxAgeMs, everyMs: kept.everyMs }) : undefined
  retention?.start()
  const services: GatewayServices = {
    config: o.config,
    router: new Router(
      o.config.deployments,
      new DeploymentHealth({ allowedFails: o.config.settings.allowedFails, cooldownMs: o.config.settings.cooldownMs, onCooldown: (id) => onCooldown(id) }),
      routingStrategy(o.config.settings.routingStrategy),
    ),
    fallbacks: new Fallbacks(o.config.config),
    retryBudget: new RetryBudget(),
    telemetry,
    providers: createProviderRegistry(o.providers),
    master: new KeyDigest(o.masterKey),
    guardrails: o.guardrails ?? emptyGuardrailSet(),
    keys, spend, limiter,
    ...(retention ? { retention } : {}),
    unpricedWarned: new Set(),
    log: o.log,
    lifecycle: { draining: false, inflight: new Set(), reading: 0, streams: new Set() },
  }
  registerServiceGauges(services)
  return services
}

function routingStrategy(s: string): Strategy {
  return s === 'least-busy' || s === 'latency-based-routing' ? s : 'simple-shuffle'
}

/** Flushes spend and closes the stores (graceful shutdown, test teardown). */
export async function closeServices(s: GatewayServices, flushTimeoutMs?: number): Promise<void> {
  const lost = await s.spend.close(flushTimeoutMs)
  if (lost > 0) s.log.error('spend rows not written at shutdown', { rows: lost })
  await s.retention?.close()
  await s.telemetry.close()
  await s.limiter.close()
  await s.keys.store.close()
}

export function createApp(s: GatewayServices) {
  return new Elysia({ name: 'llm-gateway' })
    .use(requestIdPlugin())
    .use(errorPlugin(s.log))
    .use(healthRoutes(s))
    .use(modelsRoutes(s))
    .use(chatCompletionsRoutes(s))
    .use(keyRoutes(s))
    .use(spendRoutes(s))
    .use(metricsRoutes(s, s.telemetry, { open: s.config.config.general_settings.metrics_open }))
}

export type GatewayApp = ReturnType<typeof createApp>
