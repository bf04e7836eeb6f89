/**
 * The harness's vocabulary: what a check is, what it reports, and the shape
 * of the report every renderer (table, JSON, JUnit) reads.
 */
import type { GuardrailPolicy } from './guardrail-policy.ts'

/** The suites, in the order they run and are reported. */
export const SUITE_NAMES = ['health', 'models', 'guardrails', 'production'] as const
export type SuiteName = (typeof SUITE_NAMES)[number]

export type CheckStatus = 'pass' | 'fail' | 'skip'

/** Measurements a check may attach (models and guardrail checks). */
export interface CheckMetrics {
  /** Request sent to last byte read, milliseconds. */
  latencyMs?: number
  /** Request sent to the first non-empty content delta (streams only), milliseconds. */
  ttftMs?: number
  promptTokens?: number
  completionTokens?: number
  totalTokens?: number
}

/** What a check's body returns; `undefined` means a plain pass. */
export interface CheckOutcome {
  status: CheckStatus
  /** Why it failed (one line, for humans). */
  reason?: string
  /** Why it was skipped, or extra context on a pass. */
  note?: string
  metrics?: CheckMetrics
}

/** One check as a suite declares it. */
export interface Check {
  /** Stable, unique id: `<suite>/<check>` or `<suite>/<model>/<check>`. */
  id: string
  /** Human-readable statement of what must hold. */
  name: string
  /** Sub-group in the report, e.g. the model under test. */
  group?: string
  /** Runs the check. Throwing `CheckFailed` (or anything) fails it; the signal aborts on timeout. */
  run(signal: AbortSignal): Promise<CheckOutcome | undefined>
}

/** One check's verdict. */
export interface CheckResult extends CheckOutcome {
  id: string
  suite: string
  name: string
  group?: string
  durationMs: number
}

export interface SuiteReport {
  name: string
  checks: CheckResult[]
  passed: number
  failed: number
  skipped: number
  durationMs: number
}

/** The whole run: what every renderer takes. */
export interface Report {
  endpoint: string
  startedAt: string
  durationMs: number
  /** The models the models suite tested (discovered or given). */
  models: string[]
  suites: SuiteReport[]
  summary: { passed: number; failed: number; skipped: number; total: number }
  /** True when no selected check failed (skips allowed). */
  ok: boolean
}

/** Options of `runHarness`; the CLI builds them from flags and environment. */
export interface HarnessOptions {
  /** Base URL of the gateway, without `/v1` (e.g. `http://localhost:4000`). */
  endpoint: string
  /** The key sent as `Authorization: Bearer`. */
  key: string
  /** Suites to run; default all. */
  suites?: SuiteName[]
  /** Models to test; default: discovered from `GET /v1/models`. */
  models?: string[]
  /** Models for the guardrail suite; default: the tested models. */
  guardrailModels?: string[]
  /** Per-check timeout in milliseconds; default 60 000. */
  timeoutMs?: number
  /** Guardrail words, prompts and expectations; default `DEFAULT_POLICY`. */
  policy?: GuardrailPolicy
  /** Body size for the oversize (413) check, bytes; default 2 MiB. */
  oversizeBytes?: number
  /** Extra CA certificates (PEM) trusted by the TLS check, for private CAs and tests. */
  tlsCa?: string
}
