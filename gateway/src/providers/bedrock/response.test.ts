import { describe, expect, test } from 'bun:test'
import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { FinishReason } from '../../openai/types.ts'
import { fromConverseOutput, mapStopReason, mapUsage } from './response.ts'

/** A recorded-style Converse output with the given content and stop reason. */
function output(content: NonNullable<NonNullable<ConverseCommandOutput['output']>['message']>['content'], stopReason = 'end_turn'): ConverseCommandOutput {
  return {
    $metadata: {},
    output: { message: { role: 'assistant', content } },
    stopReason: stopReason as ConverseCommandOutput['stopReason'],
    usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 },
    metrics: { latencyMs: 120 },
  }
}

describe('mapStopReason', () => {
  test.each<[string | undefined, FinishReason]>([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
    ['malformed_model_output', 'stop'],
    ['something_new', 'stop'],
    [undefined, 'stop'],
  ])('maps stopReason %p to finish_reason %p', (stopReason, finish) => {
    expect(mapStopReason(stopReason)).toBe(finish)
  })
})

describe('mapUsage', () => {
  test.each([
    ['plain usage', { inputTokens: 10, outputTokens: 4, totalTokens: 14 }, { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 }],
    [
      'cache reads and writes, counted into prompt_tokens',
      { inputTokens: 10, outputTokens: 4, totalTokens: 164, cacheReadInputTokens: 100, cacheWriteInputTokens: 50 },
      { prompt_tokens: 160, completion_tokens: 4, total_tokens: 164, prompt_tokens_details: { cached_tokens: 100 }, cache_creation_input_tokens: 50 },
    ],
    [
      'a zero cache read, still reported',
      { inputTokens: 3, outputTokens: 1, totalTokens: 4, cacheReadInputTokens: 0 },
      { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, prompt_tokens_details: { cached_tokens: 0 } },
    ],
    ['missing usage, as zeros', undefined, { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 }],
  ])('maps %s', (_name, usage, expected) => {
    expect(mapUsage(usage)).toEqual(expected)
  })
})

describe('fromConverseOutput', () => {
  test('concatenates text blocks and ignores reasoning blocks', () => {
    const result = fromConverseOutput(
      output([{ reasoningContent: { reasoningText: { text: 'hmm' } } }, { text: 'Hello, ' }, { text: 'world.' }]),
    )
    expect(result).toEqual({ content: 'Hello, world.', finishReason: 'stop', usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 } })
  })

  test('maps toolUse blocks to tool_calls with JSON arguments and null content', () => {
    const result = fromConverseOutput(
      output(
        [
          { toolUse: { toolUseId: 'tooluse_1', name: 'weather', input: { city: 'Oslo', days: 2 } } },
          { toolUse: { toolUseId: 'tooluse_2', name: 'now', input: {} } },
        ],
        'tool_use',
      ),
    )
    expect(result).toEqual({
      content: null,
      toolCalls: [
        { id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo","days":2}' } },
        { id: 'tooluse_2', type: 'function', function: { name: 'now', arguments: '{}' } },
      ],
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 },
    })
  })

  test('keeps text written before tool calls as content', () => {
    const result = fromConverseOutput(output([{ text: 'Let me check.' }, { toolUse: { toolUseId: 't', name: 'f', input: {} } }], 'tool_use'))
    expect(result.content).toBe('Let me check.')
  })

  test('throws provider_bad_response when the output carries no message', () => {
    const broken: ConverseCommandOutput = { $metadata: {}, output: undefined, stopReason: 'end_turn', usage: undefined, metrics: undefined }
    expect(() => fromConverseOutput(broken)).toThrow(GatewayError)
    expect(() => fromConverseOutput(broken)).toThrow(expect.objectContaining({ code: 'provider_bad_response', status: 502 }))
  })
})
