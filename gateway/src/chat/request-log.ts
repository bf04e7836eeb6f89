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
  const { outcome } = e
  log.info('chat.completion', {
    request_id: call.requestId,
    key_alias: call.principal.kind === 'master' ? 'master' : (call.principal.key.keyAlias ?? `key:${call.principal.key.keyHash.slice(0, 8)}`),
    model: e.request.model,
    ...(e.deployment ? { deployment: e.deployment.id, provider: e.deployment.provider, model_used: e.deployment.modelName } : {}),
    stream: e.request.stream,
    status: e.status,
    latency_ms: Math.round(performance.now() - call.startedAt),
    ...(outcome.ttftMs !== undefined ? { ttft_ms: Math.round(outcome.ttftMs) } : {}),
    ...(outcome.finishReason ? { finish_reason: outcome.finishReason } : {}),
    ...(outcome.usage ? { prompt_tokens: outcome.usage.prompt_tokens, completion_tokens: outcome.usage.completion_tokens } : {}),
    ...(outcome.error ? { error_type: outcome.error.errorType } : {}),
    ...(outcome.clientAborted ? { client_aborted: true } : {}),
    ...(e.cost !== undefined ? { cost_usd: e.cost } : {}),
    ...(e.guardrails ? { guardrails: e.guardrails } : {}),
  })
}
