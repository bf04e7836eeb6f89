/**
 * ChatRequest -> upstream `/chat/completions` JSON body. Pure: it copies only
 * the parameters the adapter declares, so a key nobody declared never
 * reaches the provider.
 */
import type { ChatRequest } from '../../openai/types.ts'
import type { Deployment } from '../types.ts'

/** The OpenAI request parameters an OpenAI-compatible upstream understands. */
export const OPENAI_PARAMS = [
  'temperature',
  'top_p',
  'max_tokens',
  // n > 1 is not offered: the gateway serves one choice, and would pay for n.
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'seed',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
] as const satisfies ReadonlyArray<keyof ChatRequest>

export interface BodyParams {
  /** Top-level ChatRequest fields to forward when present. */
  params: readonly (keyof ChatRequest)[]
  /** Keys of `ChatRequest.provider_params` to forward when present. */
  extraParams: readonly string[]
}

/**
 * Builds the upstream body: the deployment's upstream model, the messages as
 * given, the declared parameters that are present, then `stream` and, for
 * streams, `stream_options.include_usage` (always, so the gateway can bill).
 */
export function buildRequestBody(req: ChatRequest, deployment: Deployment, allowed: BodyParams): Record<string, unknown> {
  const body: Record<string, unknown> = { model: deployment.upstreamModel, messages: req.messages }
  for (const key of allowed.params) {
    const value = req[key]
    if (value !== undefined) body[key] = value
  }
  const extra = req.provider_params
  if (extra) {
    for (const key of allowed.extraParams) {
      const value = extra[key]
      if (value !== undefined && !(key in body)) body[key] = value
    }
  }
  body.stream = req.stream
  if (req.stream) body.stream_options = { include_usage: true }
  return body
}
