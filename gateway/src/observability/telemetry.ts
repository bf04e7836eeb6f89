/**
 * The contract between the request pipeline and observability (metrics,
 * traces). The pipeline reports what happens; implementations turn it into
 * Prometheus series and OTLP spans. Nothing here sees message content, keys
 * or credentials: only names, numbers and the closed error vocabulary.
 */
import type { Usage } from '../openai/types.ts'

/** Closed fault-domain vocabulary, e.g. `caller_invalid_request`, `policy_rate_limited`, `provider_rate_limited`, `gateway_internal_error`. */
export type ErrorType = string

export interface RequestStart {
  requestId: string
  /** The route family, e.g. `chat.completions`. */
  route: string
  /** The public model name the client asked for (may be unknown: then it is reported as `unknown`). */
  model: string
  stream: boolean
  /** `master`, the key alias, or `key` when the key has no alias. */
  keyAlias: string
}

export interface RequestEnd {
  status: number
  errorType?: ErrorType
  usage?: Usage
  /** USD. */
  cost?: number
  /** The model group that answered (after fallbacks). */
  modelUsed?: string
  clientAborted?: boolean
}

export interface SpanHandle {
  end(error?: { errorType: ErrorType }): void
}

/** One request's telemetry; every method may be called at most as documented. */
export interface RequestTelemetry {
  /** A provider call attempt started (each retry and fallback is one). */
  providerCall(info: { provider: string; deployment: string; attempt: number }): SpanHandle
  /** A guardrail stage started (`history`, `input`, `during`, `output`, `stream_output`). */
  guardrailStage(stage: string): SpanHandle
  /** The first content byte reached the client (streams) or the response is ready (non-stream). */
  firstToken(): void
  retry(info: { deployment: string; errorType: ErrorType }): void
  fallback(info: { from: string; to: string; reason: string }): void
  upstreamError(info: { provider: string; errorType: ErrorType }): void
  /** Milliseconds spent in the gateway itself (total minus provider wait), for the overhead histogram. */
  overhead(ms: number): void
  /** Once, when the response (or stream) is finished. */
  end(e: RequestEnd): void
}

export interface Telemetry {
  startRequest(r: RequestStart): RequestTelemetry
  /** A deployment entered cooldown. */
  cooldown(info: { deployment: string; model: string }): void
  rateLimitRejected(info: { scope: 'key' | 'deployment'; kind: 'requests' | 'tokens' }): void
  /** Gauges read at scrape time (open streams, deployments in cooldown, guardrail counters...). */
  registerGauge(name: string, help: string, read: () => Array<{ labels: Record<string, string>; value: number }>): void
  /** Prometheus text exposition. */
  render(): Promise<string>
  /** Flushes pending spans (shutdown). */
  close(): Promise<void>
}

/** Does nothing: for tests and tools that build services without telemetry. */
export const NOOP_SPAN: SpanHandle = { end() {} }
export const noopRequest: RequestTelemetry = {
  providerCall: () => NOOP_SPAN,
  guardrailStage: () => NOOP_SPAN,
  firstToken() {},
  retry() {},
  fallback() {},
  upstreamError() {},
  overhead() {},
  end() {},
}

/** Telemetry that records nothing (tools and tests that do not look at metrics). */
export const NOOP_TELEMETRY: Telemetry = {
  startRequest: () => noopRequest,
  cooldown() {},
  rateLimitRejected() {},
  registerGauge() {},
  render: async () => '',
  close: async () => {},
}
