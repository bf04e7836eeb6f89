/**
 * Overload protection on one replica: beyond global_max_parallel_requests
 * requests in flight, or max_open_streams open streams, requests are refused
 * at once with 503 gateway_overloaded and retry-after, and the others are served.
 */
import { expect, test } from 'bun:test'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import { jsonOf, startGateway } from './utils.ts'

const config = (extraModels = '') => `
model_list:
  - model_name: slow
    litellm_params: { model: mock/echo, mock_latency_ms: 400 }
${extraModels}
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  global_max_parallel_requests: 3
  max_open_streams: 1
`
const ask = (url: string, headers: Record<string, string>, model: string, stream = false) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'x' }] }) })

test('requests beyond the in-flight cap get 503 gateway_overloaded at once; the admitted ones are served', async () => {
  await using gw = await startGateway({ yaml: config() })
  const all = await Promise.all(Array.from({ length: 8 }, () => ask(gw.url, gw.headers(), 'slow')))
  const ok = all.filter((r) => r.status === 200)
  const shed = all.filter((r) => r.status === 503)
  expect([ok.length, shed.length]).toEqual([3, 5])
  expect(shed[0]!.headers.get('retry-after')).toBe('1')
  expect((await jsonOf(shed[0]!)).error).toMatchObject({ type: 'service_unavailable_error', code: 'gateway_overloaded' })
  expect((await ask(gw.url, gw.headers(), 'slow')).status).toBe(200)
})

test('streams beyond the open-stream cap get 503; non-stream requests still pass', async () => {
  const emu = await startOpenAICompatibleEmulator()
  try {
    emu.script({ text: 'a long and slow answer', chunkChars: 2, chunkDelayMs: 50 })
    await using gw = await startGateway({ yaml: config(`  - model_name: dripping\n    litellm_params: { model: openai/d, api_key: k, api_base: "${emu.url}/v1" }`) })
    const first = await ask(gw.url, gw.headers(), 'dripping', true)
    expect(first.status).toBe(200)
    const second = await ask(gw.url, gw.headers(), 'dripping', true)
    expect(second.status).toBe(503)
    expect((await ask(gw.url, gw.headers(), 'slow')).status).toBe(200)
    await first.text()
    await second.text()
  } finally {
    await emu.stop()
  }
})
