/** One structured log line per chat request. Message content and keys are never logged. */
import type { ChatRequest } from '../openai/types.ts'
import type { Logger } from '../observability/log.ts'
import type { Deployment } from '../providers/types.ts'
import type { StreamOutcome } from '../streaming/relay.ts'
import type { ChatCall } from './serve.ts'

export interface RequestLogEntry {
  request: ChatRequest
  deployment: Deployment
  status: number
  outcome: Partial<StreamOutcome>
}

export function logRequest(log: Logger, call: ChatCall, e: RequestLogEntry): void {
  const { outcome } = e
  log.info('chat.completion', {
    request_id: call.requestId,
    model: e.request.model,
    deployment: e.deployment.id,
    provider: e.deployment.provider,
    stream: e.request.stream,
    status: e.status,
    latency_ms: Math.round(performance.now() - call.startedAt),
    ...(outcome.ttftMs !== undefined ? { ttft_ms: Math.round(outcome.ttftMs) } : {}),
    ...(outcome.finishReason ? { finish_reason: outcome.finishReason } : {}),
    ...(outcome.usage ? { prompt_tokens: outcome.usage.prompt_tokens, completion_tokens: outcome.usage.completion_tokens } : {}),
    ...(outcome.error ? { error_type: outcome.error.errorType } : {}),
    ...(outcome.clientAborted ? { client_aborted: true } : {}),
  })
}
