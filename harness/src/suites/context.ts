/** What every suite builder receives from the runner. */
import type { GuardrailPolicy } from '../guardrail-policy.ts'
import type { Endpoint } from '../http.ts'
import type { Check } from '../types.ts'

export interface SuiteContext {
  ep: Endpoint
  /** Models to exercise (given, or discovered from `GET /v1/models`). */
  models: string[]
  /** Models the operator named with `--models`: `/v1/models` must list each. */
  expectedModels?: string[]
  /** Why discovery found no models, when it did not. */
  discoveryError?: string
  guardrailModels: string[]
  policy: GuardrailPolicy
  oversizeBytes: number
  tlsCa?: string
  /** The per-check timeout, milliseconds (the TLS check bounds its handshake by it). */
  timeoutMs: number
}

/** A suite: given the context, the checks to run in order. */
export type SuiteBuilder = (ctx: SuiteContext) => Check[]
