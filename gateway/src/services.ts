/** The plain values routes and pipelines depend on; built once at startup by app.ts. */
import type { LoadedConfig } from './config/load.ts'
import type { GuardrailSet } from './guardrails/config.ts'
import type { KeyDigest } from './auth/keys.ts'
import type { Logger } from './observability/log.ts'
import type { ProviderRegistry } from './providers/registry.ts'
import type { Router } from './routing/router.ts'

export interface GatewayServices {
  config: LoadedConfig
  router: Router
  providers: ProviderRegistry
  master: KeyDigest
  guardrails: GuardrailSet
  log: Logger
  /** Flipped by the shutdown sequence; readiness answers 503 while draining. */
  lifecycle: { draining: boolean }
}
