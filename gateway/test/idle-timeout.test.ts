/**
 * Bun cuts a streaming response that stays open longer than `idleTimeout`
 * seconds (10 by default), keep-alive comments or not. Chat requests lift the
 * limit for themselves (`server.timeout(request, 0)`; the gateway's own
 * deadlines apply instead) and streams send keep-alive comments for proxies.
 * Here the server's idle timeout is 1 s and the provider takes 2.2 s.
 *
 * The non-stream case passes with Bun 1.4 even without the lift (Bun does not
 * count a pending handler as idle); it guards against a Bun upgrade that
 * does. The stream case fails without the lift and the keep-alives.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { chunksOf, jsonOf, readSse, startGateway, type TestGateway } from './utils.ts'

let gw: TestGateway
beforeAll(async () => {
  gw = await startGateway({
    idleTimeout: 1,
    yaml: `
model_list:
  - model_name: slow
    litellm_params: { model: mock/echo, mock_latency_ms: 2200 }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  stream_keepalive_seconds: 0.4
`,
  })
})
afterAll(() => gw.stop())

const ask = (stream: boolean) => gw.post('/v1/chat/completions', { model: 'slow', stream, messages: [{ role: 'user', content: 'patience' }] })

test('a non-stream answer slower than the idle timeout still arrives', async () => {
  const res = await ask(false)
  expect((await jsonOf(res)).choices[0].message.content).toBe('patience')
})

test('a stream whose first token is slower than the idle timeout is kept open with comments', async () => {
  const { data, comments } = await readSse(await ask(true))
  expect(comments.length).toBeGreaterThanOrEqual(3)
  expect(chunksOf(data).map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('patience')
  expect(data.at(-1)).toBe('[DONE]')
})
