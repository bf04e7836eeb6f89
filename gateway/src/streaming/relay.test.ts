import { describe, expect, test } from 'bun:test'
import { errors } from '../errors/gateway-error.ts'
import { ChunkWriter } from '../openai/render.ts'
import type { StreamEvent } from '../providers/types.ts'
import { startRelay, type StreamOutcome } from './relay.ts'

const who = { id: 'chatcmpl-1', created: 1, model: 'm' }

async function* events(list: Array<StreamEvent | Error | number>) {
  for (const e of list) {
    if (typeof e === 'number') await Bun.sleep(e)
    else if (e instanceof Error) throw e
    else yield e
  }
}

async function run(list: Array<StreamEvent | Error | number>, o: { includeUsage?: boolean; keepaliveMs?: number } = {}) {
  const upstream = new AbortController()
  let outcome: StreamOutcome | undefined
  const body = await startRelay({
    events: events(list),
    writer: new ChunkWriter(who),
    provider: 'mock',
    includeUsage: o.includeUsage ?? false,
    keepaliveMs: o.keepaliveMs ?? 1000,
    upstream,
    onEnd: (x) => (outcome = x),
  })
  const text = await new Response(body).text()
  const frames = text.split('\n\n').filter(Boolean)
  return { frames, outcome, upstream }
}

const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }

describe('startRelay', () => {
  test('sends role first, content deltas, the finish chunk, the usage chunk when asked, then [DONE]', async () => {
    const { frames, outcome } = await run(
      [{ type: 'delta', text: 'Hel' }, { type: 'delta', text: 'lo' }, { type: 'finish', reason: 'stop' }, { type: 'usage', usage }],
      { includeUsage: true },
    )
    expect(frames).toHaveLength(5)
    expect(frames[4]).toBe('data: [DONE]')
    const chunks = frames.slice(0, 4).map((f) => JSON.parse(f.slice(6)))
    expect(chunks.map((c) => c.choices)).toEqual([
      [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }],
      [{ index: 0, delta: { content: 'lo' }, finish_reason: null }],
      [{ index: 0, delta: {}, finish_reason: 'stop' }],
      [],
    ])
    expect(chunks[3].usage).toEqual(usage)
    expect(chunks.every((c) => c.id === who.id && c.object === 'chat.completion.chunk' && c.model === 'm')).toBe(true)
    expect(outcome).toMatchObject({ finishReason: 'stop', usage, clientAborted: false })
  })

  test('omits the usage chunk unless include_usage was asked for, and sends nothing but usage after finish', async () => {
    const { frames } = await run([{ type: 'delta', text: 'a' }, { type: 'finish', reason: 'length' }, { type: 'delta', text: 'late' }, { type: 'usage', usage }])
    expect(frames.map((f) => (f === 'data: [DONE]' ? f : JSON.parse(f.slice(6)).choices[0].finish_reason))).toEqual([null, 'length', 'data: [DONE]'])
  })

  test('reports an upstream that ends without a finish as an error frame, never as a clean stop', async () => {
    const { frames, outcome } = await run([{ type: 'delta', text: 'partial' }])
    expect(frames).toHaveLength(3)
    expect(JSON.parse(frames[1]!.slice(6))).toEqual({
      error: { message: expect.stringContaining('ended before'), type: 'api_error', param: null, code: 'provider_stream_truncated' },
    })
    expect(frames[2]).toBe('data: [DONE]')
    expect(outcome?.finishReason).toBeUndefined()
  })

  test('ends a stream that fails after its first chunk with the error envelope and [DONE]', async () => {
    const { frames, outcome } = await run([{ type: 'delta', text: 'Hello' }, errors.invalidRequest('boom')])
    expect(JSON.parse(frames[0]!.slice(6)).choices[0].delta.content).toBe('Hello')
    expect(JSON.parse(frames[1]!.slice(6)).error.code).toBe('invalid_request')
    expect(frames[2]).toBe('data: [DONE]')
    expect(outcome?.error?.status).toBe(400)
  })

  test('rejects before committing when the upstream fails before its first event, so the route can answer with a status', async () => {
    const upstream = new AbortController()
    const p = startRelay({ events: events([errors.forbidden('nope')]), writer: new ChunkWriter(who), provider: 'mock', includeUsage: false, keepaliveMs: 1000, upstream })
    await expect(p).rejects.toMatchObject({ status: 403 })
    expect(upstream.signal.aborted).toBe(true)
  })

  test('sends keep-alive comments while the first token is slow, then the content', async () => {
    const { frames } = await run([120, { type: 'delta', text: 'x' }, { type: 'finish', reason: 'stop' }], { keepaliveMs: 20 })
    const keepalives = frames.filter((f) => f === ': keep-alive')
    expect(keepalives.length).toBeGreaterThanOrEqual(2)
    expect(frames.at(-1)).toBe('data: [DONE]')
    expect(frames.filter((f) => f.startsWith('data: {')).length).toBe(2)
  })

  test('aborts the upstream and closes the iterator when the client cancels', async () => {
    const upstream = new AbortController()
    let closed = false
    async function* slow() {
      try {
        yield { type: 'delta', text: 'a' } as StreamEvent
        await new Promise((_, reject) => upstream.signal.addEventListener('abort', () => reject(upstream.signal.reason)))
      } finally {
        closed = true
      }
    }
    let outcome: StreamOutcome | undefined
    const body = await startRelay({ events: slow(), writer: new ChunkWriter(who), provider: 'mock', includeUsage: false, keepaliveMs: 1000, upstream, onEnd: (o) => (outcome = o) })
    const reader = body.getReader()
    await reader.read()
    await reader.cancel()
    expect(upstream.signal.aborted).toBe(true)
    expect(closed).toBe(true)
    expect(outcome?.clientAborted).toBe(true)
  })

  test('ends the stream and aborts the upstream when the client stops reading for the idle timeout', async () => {
    const upstream = new AbortController()
    async function* endless() {
      for (let i = 0; ; i++) {
        yield { type: 'delta', text: `chunk ${i} ` } as StreamEvent
        await Bun.sleep(1)
      }
    }
    let outcome: StreamOutcome | undefined
    const body = await startRelay({
      events: endless(), writer: new ChunkWriter(who), provider: 'mock', includeUsage: false, keepaliveMs: 1000, idleTimeoutMs: 50, upstream,
      onEnd: (o) => (outcome = o),
    })
    const reader = body.getReader()
    await reader.read()
    // The client reads nothing more.
    await waitFor(() => upstream.signal.aborted)
    expect(outcome?.clientAborted).toBe(true)
  })
})

async function waitFor(pred: () => boolean, ms = 2000) {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met')
    await Bun.sleep(5)
  }
}
