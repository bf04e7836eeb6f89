/** The two ways a flag reaches a client: a 400 error, or a 200 passthrough answer. */
import { GatewayError } from '../errors/gateway-error.ts'
import type { ProviderResult, StreamEvent } from '../providers/types.ts'
import type { Guardrail } from './guardrail.ts'

/**
 * The default violation message. It does not name the guardrail (names often
 * contain the very words it blocks); a block's `param` and the
 * `x-guardrails-applied` header say which guardrails ran.
 */
export const DEFAULT_VIOLATION_MESSAGE = "Sorry, I can't help with that: the content was blocked by the gateway's content policy."

/** HTTP 400 `guardrail_violation` / `content_policy_violation`, param = guardrail name. Never quotes the matched text. */
export function violationError(g: Guardrail, entity?: string): GatewayError {
  return new GatewayError({
    status: 400,
    type: 'guardrail_violation',
    code: 'content_policy_violation',
    param: g.name,
    message: entity ? `${g.violationMessage} (${entity})` : g.violationMessage,
    domain: 'policy',
  })
}

export function passthroughResult(g: Guardrail): ProviderResult {
  return { content: g.violationMessage, finishReason: 'content_filter', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } }
}

/** The same passthrough answer as stream events, for requests stopped before the provider was called. */
export async function* passthroughEvents(g: Guardrail): AsyncGenerator<StreamEvent> {
  yield { type: 'delta', text: g.violationMessage }
  yield { type: 'finish', reason: 'content_filter' }
  yield { type: 'usage', usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } }
}
