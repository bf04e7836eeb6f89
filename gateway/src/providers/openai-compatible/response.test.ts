import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { ProviderResult } from '../types.ts'
import { mapFinishReason, parseCompletion, parseUsage } from './response.ts'

const usage = { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 }
const completion = (message: object, finish_reason: unknown = 'stop', extra: object = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason, logprobs: null }],
  usage,
  ...extra,
})

describe('parseCompletion', () => {
  const valid: Array<[string, unknown, string[], ProviderResult]> = [
    ['text', completion({ content: 'hello' }), [], { content: 'hello', finishReason: 'stop', usage }],
    [
      'tool calls with null content',
      completion(
        { content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
        'tool_calls',
      ),
      [],
      {
        content: null,
        toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
        finishReason: 'tool_calls',
        usage,
      },
    ],
    ['a length stop', completion({ content: 'cut' }, 'length'), [], { content: 'cut', finishReason: 'length', usage }],
    [
      'Perplexity citations and search_results as extra',
      completion({ content: 'x [1]' }, 'stop', { citations: ['https://a.test'], search_results: [{ title: 'A', url: 'https://a.test' }], ignored: 1 }),
      ['citations', 'search_results', 'images'],
      {
        content: 'x [1]',
        finishReason: 'stop',
        usage,
        extra: { citations: ['https://a.test'], search_results: [{ title: 'A', url: 'https://a.test' }] },
      },
    ],
    [
      'choice 0 when choices are out of order',
      { ...completion({ content: 'zero' }), choices: [{ index: 1, message: { content: 'one' }, finish_reason: 'stop' }, { index: 0, message: { content: 'zero' }, finish_reason: 'stop' }] },
      [],
      { content: 'zero', finishReason: 'stop', usage },
    ],
  ]

  test.each(valid)('reads %s', (_name, body, passthrough, expected) => {
    expect(parseCompletion(body, 'openai', passthrough)).toEqual(expected)
  })

  const invalid: Array<[string, unknown]> = [
    ['a non-object body', 'nope'],
    ['a body without choices', { usage }],
    ['an empty choices array', { choices: [], usage }],
    ['a choice without message', { choices: [{ index: 0, finish_reason: 'stop' }], usage }],
    ['non-string content', completion({ content: 42 })],
    ['a missing finish_reason', completion({ content: 'x' }, null)],
    ['a missing usage', { ...completion({ content: 'x' }), usage: undefined }],
    ['usage without token counts', { ...completion({ content: 'x' }), usage: { total_tokens: 3 } }],
    ['a tool call without id', completion({ content: null, tool_calls: [{ type: 'function', function: { name: 'f', arguments: '' } }] })],
  ]

  test.each(invalid)('rejects %s as provider_bad_response', (_name, body) => {
    let err: unknown
    try {
      parseCompletion(body, 'perplexity', [])
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(GatewayError)
    expect({ status: (err as GatewayError).status, code: (err as GatewayError).code }).toEqual({
      status: 502,
      code: 'provider_bad_response',
    })
  })
})

describe('parseUsage', () => {
  test.each([
    ['derives a missing total', { prompt_tokens: 2, completion_tokens: 3 }, { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 }],
    [
      'keeps cached prompt tokens',
      { prompt_tokens: 20, completion_tokens: 1, total_tokens: 21, prompt_tokens_details: { cached_tokens: 16 } },
      { prompt_tokens: 20, completion_tokens: 1, total_tokens: 21, prompt_tokens_details: { cached_tokens: 16 } },
    ],
    ['omits zero cached tokens', { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, prompt_tokens_details: { cached_tokens: 0 } }, { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }],
    ['ignores provider-specific counters', { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2, num_search_queries: 1 }, { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 }],
    ['returns undefined for null', null, undefined],
  ])('%s', (_name, input, expected) => {
    expect(parseUsage(input)).toEqual(expected)
  })
})

describe('mapFinishReason', () => {
  test.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['end_turn', 'stop'],
    [null, undefined],
    ['', undefined],
  ])('maps %p to %p', (input, expected) => {
    expect<string | undefined>(mapFinishReason(input)).toEqual(expected)
  })
})
