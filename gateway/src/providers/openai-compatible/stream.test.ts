import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../errors/gateway-error.ts'
import { decodeSse } from '../../openai/sse-decode.ts'
import type { StreamEvent } from '../types.ts'
import { ChunkMapper, mapSseStream } from './stream.ts'

/** An SSE body in the upstream's framing: one `data:` line per payload. */
const sse = (...payloads: Array<object | string>) =>
  payloads.map((p) => `data: ${typeof p === 'string' ? p : JSON.stringify(p)}\n\n`).join('')

const head = { id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini' }
const chunk = (delta: object, finish_reason: string | null = null, extra: object = {}) => ({
  ...head,
  choices: [{ index: 0, delta, logprobs: null, finish_reason }],
  ...extra,
})
const usage = { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 }

/** Shaped like OpenAI's stream with stream_options.include_usage. */
const OPENAI_TEXT = sse(
  chunk({ role: 'assistant', content: '', refusal: null }, null, { usage: null }),
  chunk({ content: 'Hel' }, null, { usage: null }),
  chunk({ content: 'lo' }, null, { usage: null }),
  chunk({}, 'stop', { usage: null }),
  { ...head, choices: [], usage: { ...usage, prompt_tokens_details: { cached_tokens: 8, audio_tokens: 0 } } },
  '[DONE]',
)

const OPENAI_TOOLS = sse(
  chunk({ role: 'assistant', content: null }),
  chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
  chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
  chunk({}, 'tool_calls'),
  { ...head, choices: [], usage },
  '[DONE]',
)

const sources = { citations: ['https://a.test/1'], search_results: [{ title: 'One', url: 'https://a.test/1', date: '2025-01-02' }] }
/** Shaped like Perplexity's stream: sources and a cumulative usage on every chunk, no [DONE]. */
const PERPLEXITY = sse(
  chunk({ role: 'assistant', content: 'Par' }, null, { ...sources, usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }),
  chunk({ content: 'is' }, null, { ...sources, usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } }),
  chunk({ content: '' }, 'stop', { ...sources, usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } }),
)

async function run(body: string, passthrough: string[] = []): Promise<{ events: StreamEvent[]; error?: GatewayError }> {
  const events: StreamEvent[] = []
  try {
    const decoded = decodeSse(new Response(body).body as ReadableStream<Uint8Array>)
    for await (const e of mapSseStream(decoded, new ChunkMapper('openai', passthrough))) events.push(e)
    return { events }
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    return { events, error: err }
  }
}

describe('mapSseStream on recorded streams', () => {
  test('maps OpenAI text deltas, the finish and the trailing usage chunk', async () => {
    expect(await run(OPENAI_TEXT)).toEqual({
      events: [
        { type: 'delta', text: 'Hel' },
        { type: 'delta', text: 'lo' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { ...usage, prompt_tokens_details: { cached_tokens: 8 } } },
      ],
    })
  })

  test('forwards tool-call deltas as they arrive, with their upstream index', async () => {
    expect(await run(OPENAI_TOOLS)).toEqual({
      events: [
        { type: 'delta', toolCalls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
        { type: 'delta', toolCalls: [{ index: 0, function: { arguments: '{"city":' } }] },
        { type: 'delta', toolCalls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
        { type: 'delta', toolCalls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
        { type: 'finish', reason: 'tool_calls' },
        { type: 'usage', usage },
      ],
    })
  })

  test('emits Perplexity sources once, and only the last cumulative usage, on a stream without [DONE]', async () => {
    expect(await run(PERPLEXITY, ['citations', 'search_results'])).toEqual({
      events: [
        { type: 'delta', text: 'Par', extra: sources },
        { type: 'delta', text: 'is' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } },
      ],
    })
  })

  test('emits a passthrough field again only when its value changes', async () => {
    const body = sse(
      chunk({ content: 'a' }, null, { citations: ['x'] }),
      chunk({ content: 'b' }, null, { citations: ['x'], search_results: [] }),
      chunk({}, 'stop', { citations: ['x', 'y'], search_results: [] }),
    )
    expect((await run(body, ['citations', 'search_results'])).events).toEqual([
      { type: 'delta', text: 'a', extra: { citations: ['x'] } },
      { type: 'delta', text: 'b', extra: { search_results: [] } },
      { type: 'finish', reason: 'stop', extra: { citations: ['x', 'y'] } },
    ])
  })

  test('emits sources that arrive on a chunk with no content as a delta of their own', async () => {
    const body = sse({ ...head, choices: [], citations: ['x'] }, chunk({ content: 'a' }), chunk({}, 'stop'), '[DONE]')
    expect((await run(body, ['citations'])).events).toEqual([
      { type: 'delta', extra: { citations: ['x'] } },
      { type: 'delta', text: 'a' },
      { type: 'finish', reason: 'stop' },
    ])
  })

  test('ignores passthrough fields the adapter did not declare', async () => {
    const body = sse(chunk({ content: 'a' }, 'stop', { citations: ['x'] }), '[DONE]')
    expect((await run(body)).events).toEqual([{ type: 'delta', text: 'a' }, { type: 'finish', reason: 'stop' }])
  })

  test('follows choice 0 only', async () => {
    const body = sse(
      { ...head, choices: [{ index: 1, delta: { content: 'other' }, finish_reason: null }] },
      { ...head, choices: [{ index: 0, delta: { content: 'mine' }, finish_reason: null }] },
      { ...head, choices: [{ index: 1, delta: {}, finish_reason: 'length' }] },
      { ...head, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      '[DONE]',
    )
    expect((await run(body)).events).toEqual([{ type: 'delta', text: 'mine' }, { type: 'finish', reason: 'stop' }])
  })

  test('emits no usage when the upstream never sends one', async () => {
    const body = sse(chunk({ content: 'a' }), chunk({}, 'length'), '[DONE]')
    expect(await run(body)).toEqual({ events: [{ type: 'delta', text: 'a' }, { type: 'finish', reason: 'length' }] })
  })
})

describe('mapSseStream failures', () => {
  const cases: Array<[string, string, StreamEvent[], string]> = [
    [
      'an error frame after partial text',
      sse(chunk({ content: 'par' }), { error: { message: 'overloaded', type: 'server_error', code: null } }),
      [{ type: 'delta', text: 'par' }],
      'provider_stream_error',
    ],
    ['a body that ends without a finish', sse(chunk({ content: 'par' }), chunk({ content: 'tial' })), [{ type: 'delta', text: 'par' }, { type: 'delta', text: 'tial' }], 'provider_stream_truncated'],
    ['[DONE] without a finish', sse(chunk({ content: 'par' }), '[DONE]'), [{ type: 'delta', text: 'par' }], 'provider_stream_truncated'],
    ['an empty body', '', [], 'provider_stream_truncated'],
    ['a frame that is not JSON', sse(chunk({ content: 'a' }), '{"choices": [') , [{ type: 'delta', text: 'a' }], 'provider_stream_error'],
    ['a frame that is not an object', sse('[1,2]'), [], 'provider_stream_error'],
    ['a tool-call delta without index', sse(chunk({ tool_calls: [{ id: 'c' }] })), [], 'provider_stream_error'],
    ['a malformed usage', sse(chunk({ content: 'a' }, null, { usage: { prompt_tokens: 'x' } })), [], 'provider_stream_error'],
  ]

  test.each(cases)('fails %s with the events before it intact', async (_name, body, events, code) => {
    const result = await run(body)
    expect({ events: result.events, code: result.error?.code, status: result.error?.status }).toEqual({ events, code, status: 502 })
  })
})
