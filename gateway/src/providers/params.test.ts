import { describe, expect, test } from 'bun:test'
import type { ChatRequest } from '../openai/types.ts'
import { fitToProvider } from './params.ts'
import type { Provider } from './types.ts'

const provider = { name: 'bedrock', supportedParams: new Set(['temperature', 'max_tokens']) } as unknown as Provider
const req: ChatRequest = {
  model: 'm', messages: [{ role: 'user', content: 'x' }], stream: false, temperature: 0.1, seed: 7, n: 1,
  provider_params: { search_recency_filter: 'day' },
}

describe('fitToProvider', () => {
  test('drops unsupported params when drop_params is on and says which', () => {
    const { request, dropped } = fitToProvider(req, provider, true)
    expect(dropped).toEqual(['seed', 'search_recency_filter'])
    expect(request).toEqual({ model: 'm', messages: req.messages, stream: false, temperature: 0.1, n: 1 })
  })

  test('rejects unsupported params with 400 naming them when drop_params is off', () => {
    expect(() => fitToProvider(req, provider, false)).toThrow(
      expect.objectContaining({ status: 400, param: 'seed', code: 'unsupported_parameter', message: expect.stringContaining('seed, search_recency_filter') }),
    )
  })

  test('treats n=1 as supported everywhere but n>1 as a provider feature', () => {
    expect(fitToProvider({ ...req, seed: undefined, provider_params: undefined }, provider, false).dropped).toEqual([])
    expect(fitToProvider({ model: 'm', messages: [], stream: false, n: 2 }, provider, true).dropped).toEqual(['n'])
  })
})
