/** One structured log line per chat request. Message content and keys are never logged. */
import type { ChatRequest } from '../openai/types.ts'
import type { Logger } from '../observability/log.ts'
import type { Deployment } from '../providers/types.ts'
import type { StreamOutcome } from '../streaming/relay.ts'
import type { ChatCall } from './serve.ts'

export interface RequestLogEntry {
  request: ChatRequest
  deployment: Deployment | undefined
  status: number
  outcome: Partial<StreamOutcome>
  /** USD, when known. */
  cost?: number
  /** Guardrails that ran, and a flag if one fired. */
  guardrails?: string
}

export function logRequest(log: Logger, call: ChatCall, e: RequestLogEntry): void {
  const { outcome: o, deployment: d } = e
  const f: Record<string, unknown> = {
    request_id: call.requestId,
    key_alias: call.principal.kind === 'master' ? 'master' : (call.principal.key.keyAlias ?? `key:${call.principal.key.keyHash.slice(0, 8)}`),
    model: e.request.model,
  }
  if (d) {
    f.deployment = d.id
    f.provider = d.provider
    f.model_used = d.modelName
  }
  f.stream = e.request.stream
  f.status = e.status
  f.latency_ms = Math.round(performance.now() - call.startedAt)
  if (o.ttftMs !== undefined) f.ttft_ms = Math.round(o.ttftMs)
  if (o.finishReason) f.finish_reason = o.finishReason
  if (o.usage) {
    f.prompt_tokens = o.usage.prompt_tokens
    f.completion_tokens = o.usage.completion_tokens
  }
  if (o.error) f.error_type = o.error.errorType
  if (o.clientAborted) f.client_aborted = true
  if (e.cost !== undefined) f.cost_usd = e.cost
  if (e.guardrails) f.guardrails = e.guardrails
  log.info('chat.completion', f)
}
