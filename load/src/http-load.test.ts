import { expect, test } from 'bun:test'
import { runHttpLoad } from './http-load.ts'

test('runHttpLoad keeps 2xx latencies with sub-millisecond resolution and counts non-2xx apart', async () => {
  let n = 0
  await using server = Bun.serve({ port: 0, fetch: () => new Response('{}', { status: ++n % 4 === 0 ? 503 : 200 }) })
  const r = await runHttpLoad({ url: `http://127.0.0.1:${server.port}/v1/chat/completions`, headers: {}, body: '{}' }, { durationS: 1, connections: 2, rate: 200 })
  expect(r.non2xx).toBeGreaterThan(0)
  expect(r.latency.count + r.non2xx).toBe(r.requests)
  expect(r.errors).toBe(0)
  expect(Number.isInteger(r.latency.p50)).toBe(false)
  expect(r.rps).toBeGreaterThan(0)
})
