/** The plain values routes and pipelines depend on; built once at startup by app.ts. */
import type { LoadedConfig } from './config/load.ts'
import type { KeyDigest } from './auth/keys.ts'
import type { GuardrailSet } from './guardrails/config.ts'
import type { KeyService } from './keys/service.ts'
import type { Limiter } from './limits/types.ts'
import type { Logger } from './observability/log.ts'
import type { ProviderRegistry } from './providers/registry.ts'
import type { Telemetry } from './observability/telemetry.ts'
import type { Fallbacks } from './routing/fallbacks.ts'
import type { RetryBudget } from './routing/retry-budget.ts'
import type { Router } from './routing/router.ts'
import type { SpendRetention } from './spend/retention.ts'
import type { SpendWriter } from './spend/writer.ts'

export interface GatewayServices {
  config: LoadedConfig
  router: Router
  providers: ProviderRegistry
  master: KeyDigest
  guardrails: GuardrailSet
  keys: KeyService
  spend: SpendWriter
  /** Deletes old spend log rows; only when a retention period is configured. */
  retention?: SpendRetention
  limiter: Limiter
  /** Deployments already warned about for having no price. */
  unpricedWarned: Set<string>
  fallbacks: Fallbacks
  retryBudget: RetryBudget
  telemetry: Telemetry
  log: Logger
  lifecycle: Lifecycle
}

/** What the shutdown sequence needs to see and end. */
export interface Lifecycle {
  /** Readiness answers 503 while draining. */
  draining: boolean
  /** Each in-flight chat request's whole-request controller. */
  inflight: Set<AbortController>
  /** Chat requests still receiving their bodies. */
  reading: number
  /** Each open stream's terminate function. */
  streams: Set<(err: import('./errors/gateway-error.ts').GatewayError) => void>
}
