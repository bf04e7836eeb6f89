/**
 * What a request costs, from provider-reported usage. Prices are USD per
 * token; defaults cover the original deployment's seven models (public list
 * prices, on-demand, as of 2026; Perplexity's per-request search fee at its
 * low search-context tier) and are overridden per deployment with LiteLLM's
 * keys, in `litellm_params` or in `model_info` (litellm_params wins):
 * `input_cost_per_token`, `output_cost_per_token`,
 * `cache_read_input_token_cost`, `cache_creation_input_token_cost`, and our
 * `cost_per_request`. A deployment whose upstream model is not in the table
 * takes the price of `model_info.base_model` (`amazon.nova-lite-v1:0`, or
 * with its provider, `bedrock/amazon.nova-lite-v1:0`).
 *
 * Cached prompt tokens are priced as cache reads (default 25 % of the input
 * price), cache writes at 125 %; `prompt_tokens` includes both, as every
 * adapter reports it. A model without a price costs 0 and is logged once.
 */
import type { Usage } from '../openai/types.ts'
import type { Deployment } from '../providers/types.ts'

export interface Price {
  input: number
  output: number
  cacheRead: number
  cacheWrite: number
  perRequest: number
}

const M = 1_000_000
const price = (inPerM: number, outPerM: number, perRequest = 0): Price => ({
  input: inPerM / M, output: outPerM / M, cacheRead: (inPerM * 0.25) / M, cacheWrite: (inPerM * 1.25) / M, perRequest,
})

/** Keyed by `<provider>/<upstream model>`. */
export const DEFAULT_PRICES: Readonly<Record<string, Price>> = {
  'bedrock/amazon.nova-micro-v1:0': price(0.035, 0.14),
  'bedrock/amazon.nova-lite-v1:0': price(0.06, 0.24),
  'bedrock/amazon.nova-pro-v1:0': price(0.8, 3.2),
  'bedrock/us.meta.llama3-2-1b-instruct-v1:0': price(0.1, 0.1),
  'bedrock/us.meta.llama3-2-3b-instruct-v1:0': price(0.15, 0.15),
  'perplexity/sonar': price(1, 1, 0.005),
  'perplexity/sonar-pro': price(3, 15, 0.006),
}

const ZERO: Price = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, perRequest: 0 }

const nonNegative = (v: unknown) => (typeof v === 'number' && v >= 0 ? v : undefined)

function override(d: Deployment, key: string): number | undefined {
  return nonNegative(d.params[key]) ?? nonNegative(d.info?.[key])
}

/** The table's price for the upstream model, else for `model_info.base_model`. */
function basePrice(d: Deployment): Price | undefined {
  const own = DEFAULT_PRICES[`${d.provider}/${d.upstreamModel}`]
  const baseModel = d.info?.base_model
  if (own || typeof baseModel !== 'string') return own
  return DEFAULT_PRICES[baseModel] ?? DEFAULT_PRICES[`${d.provider}/${baseModel}`]
}

const priced = new WeakMap<Deployment, { price: Price; known: boolean }>()

/** The deployment's price: its overrides on top of the default table (or zero). Computed once per deployment. */
export function priceOf(d: Deployment): { price: Price; known: boolean } {
  let p = priced.get(d)
  if (!p) priced.set(d, (p = computePrice(d)))
  return p
}

function computePrice(d: Deployment): { price: Price; known: boolean } {
  const base = basePrice(d)
  const input = override(d, 'input_cost_per_token')
  const p: Price = { ...(base ?? ZERO) }
  if (input !== undefined) Object.assign(p, { input, cacheRead: input * 0.25, cacheWrite: input * 1.25 })
  p.output = override(d, 'output_cost_per_token') ?? p.output
  p.cacheRead = override(d, 'cache_read_input_token_cost') ?? p.cacheRead
  p.cacheWrite = override(d, 'cache_creation_input_token_cost') ?? p.cacheWrite
  p.perRequest = override(d, 'cost_per_request') ?? p.perRequest
  const known = base !== undefined || input !== undefined || d.provider === 'mock'
  return { price: p, known }
}

/** USD for one request's usage (rounded to 1e-10 to keep sums stable). */
export function costOf(p: Price, u: Usage): number {
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0
  const written = u.cache_creation_input_tokens ?? 0
  const fresh = Math.max(0, u.prompt_tokens - cached - written)
  const usd = fresh * p.input + cached * p.cacheRead + written * p.cacheWrite + u.completion_tokens * p.output + p.perRequest
  return Math.round(usd * 1e10) / 1e10
}
