/**
 * router_settings.retry_policy against the OpenAI-compatible emulator: a
 * class the policy names is retried up to its count (timeouts too, which are
 * not retried by default); a class it sets to 0 is not retried at all, even
 * within num_retries. Both modes: a stream is retried only before its first
 * byte.
 */
import { describe, expect, test } from 'bun:test'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import type { Emulator } from './emulators/script.ts'
import { answerText, jsonOf, startGateway, type TestGateway, useGatewayAndUpstream } from './utils.ts'

let emu: Emulator
let gw: TestGateway

useGatewayAndUpstream(async () => {
  emu = await startOpenAICompatibleEmulator()
  const at = (model: string, extra = '') => `{ model: openai/${model}, api_key: k, api_base: "${emu.url}/v1"${extra} }`
  gw = await startGateway({
    yaml: `
model_list:
  - model_name: patient
    litellm_params: ${at('p', ', timeout: 0.3')}
  - model_name: throttled
    litellm_params: ${at('t')}
router_settings:
  num_retries: 2
  allowed_fails: 100
  retry_policy: { TimeoutErrorRetries: 1, RateLimitErrorRetries: 0 }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`,
  })
  return { gw, upstream: emu }
})

const ask = (model: string, stream: boolean) => gw.post('/v1/chat/completions', { model, stream, messages: [{ role: 'user', content: 'hello' }] })

describe.each([false, true])('retry_policy (stream: %p)', (stream) => {
  test('TimeoutErrorRetries: a call cut at the deployment timeout is tried again', async () => {
    emu.script({ text: 'too late', firstTokenDelayMs: 2000, times: 1 }, { text: 'second try' })
    const res = await ask('patient', stream)
    expect(res.status).toBe(200)
    expect(await answerText(res, stream)).toBe('second try')
    expect(emu.requests).toHaveLength(2)
  })

  test('TimeoutErrorRetries is a ceiling: one retry, then the 504', async () => {
    emu.script({ text: 'too late', firstTokenDelayMs: 2000 })
    const res = await ask('patient', stream)
    expect(res.status).toBe(504)
    expect((await jsonOf(res)).error.code).toBe('provider_timeout')
    expect(emu.requests).toHaveLength(2)
  })

  test('RateLimitErrorRetries: 0 answers the first throttle, although num_retries is 2', async () => {
    emu.script({ error: { status: 429, name: 'rate_limit_exceeded', message: 'slow down' } })
    const res = await ask('throttled', stream)
    expect(res.status).toBe(429)
    await res.text()
    expect(emu.requests).toHaveLength(1)
  })
})
