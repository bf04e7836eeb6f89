import { expect, test } from 'bun:test'
import { runPacedHttp } from './paced-http.ts'

const request = (port: number) => ({ url: `http://127.0.0.1:${port}/v1/chat/completions`, headers: { authorization: 'Bearer t' }, body: '{"x":1}' })

test('counts 2xx in latency and rps, non-2xx apart, and reads what was sent', async () => {
  let n = 0
  const seen = new Set<string>()
  await using server = Bun.serve({
    port: 0,
    async fetch(r) {
      seen.add(`${r.method} ${r.headers.get('authorization')} ${r.headers.get('content-type')} ${await r.text()}`)
      return new Response('{"ok":true}', { status: ++n % 4 === 0 ? 503 : 200 })
    },
  })
  const r = await runPacedHttp(request(server.port!), { rate: 200, connections: 4, durationS: 0.5 })
  expect({ requests: r.requests, ok: r.latency.count, non2xx: r.non2xx, errors: r.errors, seen: [...seen] }).toEqual({
    requests: 100,
    ok: 75,
    non2xx: 25,
    errors: 0,
    seen: ['POST Bearer t application/json {"x":1}'],
  })
  // 75 answers over the 0.5 s round.
  expect(r.rps).toBeGreaterThan(140)
  expect(r.rps).toBeLessThanOrEqual(150)
})

test('counts refused connections as errors, not as responses', async () => {
  const r = await runPacedHttp(request(9), { rate: 100, connections: 4, durationS: 0.1 })
  expect({ requests: r.requests, errors: r.errors, non2xx: r.non2xx, ok: r.latency.count }).toEqual({ requests: 10, errors: 10, non2xx: 0, ok: 0 })
})

test('measures a known server delay, to the end of the body', async () => {
  await using server = Bun.serve({
    port: 0,
    fetch: () =>
      new Response(
        new ReadableStream({
          async start(c) {
            await Bun.sleep(10)
            c.enqueue(new TextEncoder().encode('{"a":'))
            await Bun.sleep(10)
            c.enqueue(new TextEncoder().encode('1}'))
            c.close()
          },
        }),
      ),
  })
  const r = await runPacedHttp(request(server.port!), { rate: 100, connections: 8, durationS: 0.3 })
  expect(r.latency.count).toBe(30)
  expect(r.latency.p50).toBeGreaterThanOrEqual(20)
  expect(r.latency.p50).toBeLessThan(100)
})

test('when the in-flight cap holds requests back, their latency runs from the due time', async () => {
  // One request at a time, 50 ms each, due every 10 ms: the k-th waited about 40k ms before it was sent.
  await using server = Bun.serve({ port: 0, fetch: async () => (await Bun.sleep(50), new Response('{}')) })
  const r = await runPacedHttp(request(server.port!), { rate: 100, connections: 1, durationS: 0.2 })
  expect(r.latency.count).toBeGreaterThanOrEqual(3)
  expect(r.latency.p50).toBeGreaterThanOrEqual(50)
  // Measured from the send time every answer would be about 50 ms.
  expect(r.latency.max).toBeGreaterThanOrEqual(120)
})
