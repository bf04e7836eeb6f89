import { describe, expect, test } from 'bun:test'
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime'
import { GatewayError, errors } from '../../errors/gateway-error.ts'
import type { StreamEvent } from '../types.ts'
import { mapConverseStream } from './stream.ts'

/** Recorded ConverseStream output: "Hello world" from Nova Micro. */
const TEXT_STREAM: ConverseStreamOutput[] = [
  { messageStart: { role: 'assistant' } },
  { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Hello' } } },
  { contentBlockDelta: { contentBlockIndex: 0, delta: { text: '' } } },
  { contentBlockDelta: { contentBlockIndex: 0, delta: { text: ' world' } } },
  { contentBlockStop: { contentBlockIndex: 0 } },
  { messageStop: { stopReason: 'end_turn' } },
  { metadata: { usage: { inputTokens: 9, outputTokens: 2, totalTokens: 11 }, metrics: { latencyMs: 310 } } },
]

/** Recorded ConverseStream output: text, then two tool calls in content blocks 1 and 2. */
const TOOL_STREAM: ConverseStreamOutput[] = [
  { messageStart: { role: 'assistant' } },
  { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Checking.' } } },
  { contentBlockStop: { contentBlockIndex: 0 } },
  { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { toolUseId: 'tooluse_a', name: 'weather' } } } },
  { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } } },
  { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '"Oslo"}' } } } },
  { contentBlockStop: { contentBlockIndex: 1 } },
  { contentBlockStart: { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_b', name: 'now' } } } },
  { contentBlockDelta: { contentBlockIndex: 2, delta: { toolUse: { input: '{}' } } } },
  { contentBlockStop: { contentBlockIndex: 2 } },
  { messageStop: { stopReason: 'tool_use' } },
  {
    metadata: {
      usage: { inputTokens: 20, outputTokens: 15, totalTokens: 135, cacheReadInputTokens: 100, cacheWriteInputTokens: 0 },
      metrics: { latencyMs: 500 },
    },
  },
]

async function* replay(events: ConverseStreamOutput[], thrown?: Error): AsyncGenerator<ConverseStreamOutput> {
  for (const e of events) yield e
  if (thrown) throw thrown
}

/** Runs the mapper to its end; returns what it yielded and what it threw. */
async function run(events: ConverseStreamOutput[], thrown?: Error, signal?: AbortSignal) {
  const out: StreamEvent[] = []
  try {
    for await (const e of mapConverseStream(replay(events, thrown), signal)) out.push(e)
  } catch (err) {
    return { out, error: err as GatewayError }
  }
  return { out, error: undefined }
}

const partial = TEXT_STREAM.slice(0, 2)

describe('mapConverseStream', () => {
  test('forwards text deltas, skips empty ones, then finish and usage', async () => {
    expect(await run(TEXT_STREAM)).toEqual({
      out: [
        { type: 'delta', text: 'Hello' },
        { type: 'delta', text: ' world' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } },
      ],
      error: undefined,
    })
  })

  test('numbers tool calls from 0 in order of appearance and forwards each argument piece', async () => {
    const { out } = await run(TOOL_STREAM)
    expect(out).toEqual([
      { type: 'delta', text: 'Checking.' },
      { type: 'delta', toolCalls: [{ index: 0, id: 'tooluse_a', type: 'function', function: { name: 'weather', arguments: '' } }] },
      { type: 'delta', toolCalls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { type: 'delta', toolCalls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
      { type: 'delta', toolCalls: [{ index: 1, id: 'tooluse_b', type: 'function', function: { name: 'now', arguments: '' } }] },
      { type: 'delta', toolCalls: [{ index: 1, function: { arguments: '{}' } }] },
      { type: 'finish', reason: 'tool_calls' },
      {
        type: 'usage',
        usage: { prompt_tokens: 120, completion_tokens: 15, total_tokens: 135, prompt_tokens_details: { cached_tokens: 100 }, cache_creation_input_tokens: 0 },
      },
    ])
  })

  test.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
  ] as const)('maps messageStop %s to a %s finish event', async (stopReason, reason) => {
    const { out } = await run([...partial, { messageStop: { stopReason } }])
    expect(out.at(-1)).toEqual({ type: 'finish', reason })
  })

  test('ignores events after messageStop except metadata', async () => {
    const { out } = await run([
      ...partial,
      { messageStop: { stopReason: 'end_turn' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'late' } } },
      { messageStop: { stopReason: 'max_tokens' } },
      { metadata: { usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, metrics: { latencyMs: 1 } } },
    ])
    expect(out).toEqual([
      { type: 'delta', text: 'Hello' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
    ])
  })

  test('throws provider_stream_truncated after the partial text when messageStop never comes', async () => {
    const { out, error } = await run(TEXT_STREAM.slice(0, 4))
    expect(out).toEqual([{ type: 'delta', text: 'Hello' }, { type: 'delta', text: ' world' }])
    expect(error).toBeInstanceOf(GatewayError)
    expect(error?.code).toBe('provider_stream_truncated')
  })

  test.each<[string, ConverseStreamOutput, string]>([
    ['internalServerException', { internalServerException: { name: 'InternalServerException', $fault: 'server', message: 'x' } as never }, 'provider_server_error'],
    ['modelStreamErrorException', { modelStreamErrorException: { name: 'ModelStreamErrorException', $fault: 'client', message: 'x' } as never }, 'provider_stream_error'],
    ['validationException', { validationException: { name: 'ValidationException', $fault: 'client', message: 'bad input' } as never }, 'provider_invalid_request'],
    ['throttlingException', { throttlingException: { name: 'ThrottlingException', $fault: 'client', message: 'x' } as never }, 'provider_rate_limited'],
    ['serviceUnavailableException', { serviceUnavailableException: { name: 'ServiceUnavailableException', $fault: 'server', message: 'x' } as never }, 'provider_unavailable'],
  ])('throws on a yielded %s event after the partial text, as %s', async (_name, exception, code) => {
    const { out, error } = await run([...partial, exception, ...TEXT_STREAM.slice(2)])
    expect({ out, code: error?.code }).toEqual({ out: [{ type: 'delta', text: 'Hello' }], code })
  })

  test.each<[string, Error, string]>([
    ['a thrown ModelStreamErrorException', Object.assign(new Error('model broke'), { name: 'ModelStreamErrorException' }), 'provider_stream_error'],
    ['a thrown ThrottlingException', Object.assign(new Error('slow down'), { name: 'ThrottlingException' }), 'provider_rate_limited'],
    ['a bad frame checksum', new Error('The message checksum (1) did not match the expected value (2)'), 'provider_stream_error'],
    ['a truncated frame', new Error('Truncated event message received.'), 'provider_stream_error'],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'provider_connection_error'],
    ['an unknown error', new Error('???'), 'provider_stream_error'],
  ])('throws %s after the partial text as %s', async (_name, thrown, code) => {
    const { out, error } = await run(partial, thrown)
    expect({ out, code: error?.code }).toEqual({ out: [{ type: 'delta', text: 'Hello' }], code })
  })

  test('throws provider_bad_response on a toolUse delta for a block that never started', async () => {
    const { error } = await run([...partial, { contentBlockDelta: { contentBlockIndex: 3, delta: { toolUse: { input: '{}' } } } }])
    expect(error?.code).toBe('provider_bad_response')
  })

  test('reports the abort reason instead of a truncation when the call was aborted', async () => {
    const reason = errors.internal()
    const ac = new AbortController()
    ac.abort(reason)
    const { error } = await run(partial, undefined, ac.signal)
    expect(error).toBe(reason)
  })
})
