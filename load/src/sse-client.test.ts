import { afterAll, expect, test } from 'bun:test'
import { startMockUpstream } from './mock-upstream.ts'
import { readStream, runStreams } from './sse-client.ts'

const sse = (...parts: string[]) =>
  new Response(new ReadableStream({ start(c) { for (const p of parts) c.enqueue(new TextEncoder().encode(p)); c.close() } }), { headers: { 'content-type': 'text/event-stream' } })
const role = 'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n'
const token = 'data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'
const done = 'data: [DONE]\n\n'

test.each([
  ['a complete stream', sse(role, token, done), { ok: true }],
  ['a stream split inside a frame', sse(role, token.slice(0, 30), token.slice(30), done), { ok: true }],
  ['a Python-style frame with spaces', sse('data: {"choices": [{"delta": {"content": "x"}}]}\n\n', done), { ok: true }],
  ['an error frame', sse(role, token, 'data: {"error":{"message":"x"}}\n\n', done), { ok: false, reason: 'error frame' }],
  ['a stream without [DONE]', sse(role, token), { ok: false, reason: 'ended without [DONE]' }],
  ['a stream with no content', sse(role, done), { ok: false, reason: 'no content' }],
  ['a non-2xx answer', new Response('{"error":{}}', { status: 502 }), { ok: false, reason: 'HTTP 502' }],
] as const)('readStream: %s', async (_name, res, want) => {
  const out = await readStream(res, performance.now())
  expect(out.ok ? { ok: true } : { ok: false, reason: out.reason }).toEqual(want)
})

test('readStream measures TTFT at the first content, not at the role chunk', async () => {
  const res = new Response(
    new ReadableStream({
      async start(c) {
        c.enqueue(new TextEncoder().encode(role))
        await Bun.sleep(30)
        c.enqueue(new TextEncoder().encode(token + done))
        c.close()
      },
    }),
  )
  const out = await readStream(res, performance.now())
  expect(out.ok && out.ttftMs >= 25).toBe(true)
})

const mock = startMockUpstream({ tokens: 4, tokenIntervalMs: 20 })
afterAll(() => mock.stop())
const req = { url: `${mock.url}/v1/chat/completions`, headers: {}, body: JSON.stringify({ model: 'm', messages: [], stream: true }) }

test('runStreams with a total opens exactly that many streams, all at once', async () => {
  const r = await runStreams(req, { concurrency: 20, total: 20, durationS: 5 })
  expect({ requests: r.requests, ok: r.ttft!.count, peakOpen: r.peakOpen, errors: r.errors, non2xx: r.non2xx }).toEqual({ requests: 20, ok: 20, peakOpen: 20, errors: 0, non2xx: 0 })
})

test('runStreams never has more streams open than its concurrency', async () => {
  const r = await runStreams(req, { concurrency: 3, durationS: 0.3 })
  expect(r.peakOpen).toBe(3)
  expect(r.ttft!.count).toBeGreaterThan(0)
})

test('runStreams counts refused connections as errors with a reason', async () => {
  const r = await runStreams({ ...req, url: 'http://127.0.0.1:9/v1/chat/completions' }, { concurrency: 1, total: 2, durationS: 2 })
  expect({ errors: r.errors, non2xx: r.non2xx, reasons: r.failures.length }).toEqual({ errors: 2, non2xx: 0, reasons: 1 })
})
