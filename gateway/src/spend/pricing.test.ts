import { describe, expect, test } from 'bun:test'
import type { Deployment } from '../providers/types.ts'
import { costOf, priceOf } from './pricing.ts'

const dep = (provider: Deployment['provider'], upstreamModel: string, params: Record<string, unknown> = {}, info?: Record<string, unknown>): Deployment => ({
  id: 'x#0', modelName: 'x', provider, upstreamModel, params, ...(info ? { info } : {}),
})
const usage = { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 }

describe('pricing', () => {
  test('prices a Nova Micro call from the default table', () => {
    const { price, known } = priceOf(dep('bedrock', 'amazon.nova-micro-v1:0'))
    expect(known).toBe(true)
    expect(costOf(price, { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 })).toBeCloseTo(0.175, 10)
  })

  test('prices cached prompt tokens as cache reads and writes, not as fresh input', () => {
    const { price } = priceOf(dep('bedrock', 'amazon.nova-pro-v1:0'))
    const usage = { prompt_tokens: 1_000_000, completion_tokens: 0, total_tokens: 1_000_000, prompt_tokens_details: { cached_tokens: 600_000 }, cache_creation_input_tokens: 100_000 }
    // 300k fresh at 0.80/M + 600k reads at 0.20/M + 100k writes at 1.00/M
    expect(costOf(price, usage)).toBeCloseTo(0.24 + 0.12 + 0.1, 10)
  })

  test("adds Perplexity's per-request search fee", () => {
    const { price } = priceOf(dep('perplexity', 'sonar'))
    expect(costOf(price, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })).toBe(0.005)
  })

  test('applies LiteLLM-style overrides from litellm_params', () => {
    const { price, known } = priceOf(dep('openai', 'llama', { input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 }))
    expect(known).toBe(true)
    expect(costOf(price, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })).toBe(0.00002)
  })

  test('takes prices from model_info too, litellm_params winning where both set one', () => {
    const { price, known } = priceOf(dep('openai', 'llama', { output_cost_per_token: 0.000004 }, { input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 }))
    expect(known).toBe(true)
    expect(costOf(price, usage)).toBeCloseTo(1 + 4, 10)
  })

  test.each(['amazon.nova-lite-v1:0', 'bedrock/amazon.nova-lite-v1:0'])('a model not in the table takes the price of model_info.base_model %p', (baseModel) => {
    const { price, known } = priceOf(dep('bedrock', 'arn:aws:bedrock:us-east-1:123:inference-profile/my-nova', {}, { base_model: baseModel }))
    expect(known).toBe(true)
    expect(costOf(price, usage)).toBeCloseTo(0.06 + 0.24, 10)
  })

  test('base_model does not replace the price of a model the table knows', () => {
    const { price } = priceOf(dep('bedrock', 'amazon.nova-micro-v1:0', {}, { base_model: 'amazon.nova-pro-v1:0' }))
    expect(costOf(price, usage)).toBeCloseTo(0.175, 10)
  })

  test('a model without any price is unknown and costs nothing', () => {
    const { price, known } = priceOf(dep('openai', 'mystery'))
    expect(known).toBe(false)
    expect(costOf(price, { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })).toBe(0)
  })
})
