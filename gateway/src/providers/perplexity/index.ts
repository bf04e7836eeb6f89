/**
 * Perplexity speaks OpenAI's chat completions at `<base>/chat/completions`,
 * adds its own search options (sent in `ChatRequest.provider_params`) and
 * returns sources at the top level of the response and of stream chunks.
 * It has no tool calling.
 */
import type { ChatRequest } from '../../openai/types.ts'
import { createOpenAICompatibleProvider } from '../openai-compatible/index.ts'
import type { Provider } from '../types.ts'
import { PERPLEXITY_PARAMS } from './params.ts'

/** Perplexity's own request parameters (defined in params.ts, which the request validator imports). */
export { PERPLEXITY_PARAMS }

/** Used when neither the deployment's `api_base` nor PERPLEXITY_API_BASE is set. */
export const PERPLEXITY_API_BASE = 'https://api.perplexity.ai'

/** The OpenAI parameters Perplexity accepts. */
export const PERPLEXITY_OPENAI_PARAMS = [
  'temperature',
  'top_p',
  'max_tokens',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'response_format',
] as const satisfies ReadonlyArray<keyof ChatRequest>

/** Response fields Perplexity adds, copied to the gateway's response. */
export const PERPLEXITY_PASSTHROUGH_FIELDS = ['citations', 'search_results', 'images', 'related_questions'] as const

/** Creates the Perplexity adapter; the default base is read from PERPLEXITY_API_BASE when it is called. */
export function createPerplexityProvider(): Provider {
  return createOpenAICompatibleProvider({
    name: 'perplexity',
    defaultApiBase: process.env.PERPLEXITY_API_BASE || PERPLEXITY_API_BASE,
    params: PERPLEXITY_OPENAI_PARAMS,
    extraParams: PERPLEXITY_PARAMS,
    passthroughFields: PERPLEXITY_PASSTHROUGH_FIELDS,
  })
}
