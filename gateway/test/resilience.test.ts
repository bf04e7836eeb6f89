/**
 * Routing resilience against the emulators' scripted faults: a dead
 * deployment is cooled down and traffic balances to the healthy one; a
 * failing primary model falls back (the answer says which model answered);
 * context-window errors take their own fallback; stalls time out in both
 * modes with the right envelope or terminal event.
 */
import { beforeEach, describe, expect, test } from 'bun:test'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import type { Emulator } from './emulators/script.ts'
import { answerText, chunksOf, jsonOf, readSse, startGateway, upstreams, useGatewayAndUpstream, type TestGateway } from './utils.ts'

let dead: Emulator
let healthy: Emulator
let gw: TestGateway

useGatewayAndUpstream(async () => {
  dead = await startOpenAICompatibleEmulator()
  healthy = await startOpenAICompatibleEmulator()
  const at = (e: Emulator, model: string, extra = '') => `{ model: openai/${model}, api_key: k, api_base: "${e.url}/v1"${extra} }`
  gw = await startGateway({
    yaml: `
model_list:
  - model_name: pair
    litellm_params: ${at(dead, 'a')}
  - model_name: pair
    litellm_params: ${at(healthy, 'b')}
  - model_name: primary
    litellm_params: ${at(dead, 'p')}
  - model_name: backup
    litellm_params: ${at(healthy, 'backup')}
  - model_name: small
    litellm_params: ${at(dead, 'small')}
  - model_name: big
    litellm_params: ${at(healthy, 'big')}
  - model_name: slow
    litellm_params: ${at(healthy, 'slow', ', timeout: 0.5')}
  - model_name: strict
    litellm_params: ${at(dead, 'strict')}
  - model_name: spare
    litellm_params: ${at(healthy, 'spare')}
  - model_name: stall
    litellm_params: ${at(healthy, 'stall')}
  - model_name: quick
    litellm_params: ${at(dead, 'quick', ', timeout: 0.3')}
  - model_name: leisurely
    litellm_params: ${at(healthy, 'leisurely')}
  - model_name: hasty
    litellm_params: ${at(dead, 'hasty')}
  - model_name: brisk
    litellm_params: ${at(healthy, 'brisk', ', timeout: 0.4, stream_timeout: 0.4')}
router_settings:
  num_retries: 1
  allowed_fails: 2
  cooldown_time: 60
  fallbacks: [{ primary: [backup] }, { strict: [spare] }, { quick: [leisurely] }, { hasty: [brisk] }]
  context_window_fallbacks: [{ small: [big] }]
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  stream_idle_timeout_seconds: 0.3
`,
  })
  return { gw, upstream: upstreams(dead, healthy) }
})
// After the reset above (hooks run in the order they were added): the dead deployment fails every call.
beforeEach(() => {
  dead.script({ error: { status: 503, name: 'service_unavailable', message: 'down' } })
})

const ask = (model: string, stream = false, content = 'hello') => gw.post('/v1/chat/completions', { model, stream, messages: [{ role: 'user', content }] })

describe('cooldown and balancing', () => {
  test('a dead deployment is cooled down after allowed_fails and traffic goes to the healthy one', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 10; i++) statuses.push((await ask('pair', i % 2 === 1)).status)
    expect(statuses).toEqual(Array(10).fill(200))
    expect(dead.requests.filter((r) => (r.body as { model: string }).model === 'a')).toHaveLength(2)
    expect(healthy.requests.length).toBe(10)
    const ready = await jsonOf(await fetch(`${gw.url}/health/readiness`))
    expect(ready.models.find((m: { deployment: string }) => m.deployment === 'pair#0')).toMatchObject({ status: 'cooling_down', cooldown_remaining_seconds: expect.any(Number) })
    expect(gw.logs.some((l) => l.includes('"deployment cooling down"') && l.includes('pair#0'))).toBe(true)
  })
})

describe('fallbacks', () => {
  test.each([false, true])('a failing primary model falls back, and the answer names the model that answered (stream: %p)', async (stream) => {
    healthy.script({ text: 'from the backup' })
    const res = await ask('primary', stream)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-gateway-model-used')).toBe('backup')
    if (stream) {
      const chunks = chunksOf((await readSse(res)).data)
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('from the backup')
      expect(chunks.every((c) => c.model === 'backup')).toBe(true)
    } else {
      const body = await jsonOf(res)
      expect({ model: body.model, text: body.choices[0].message.content }).toEqual({ model: 'backup', text: 'from the backup' })
    }
  })

  test('a context-window error takes the context_window_fallbacks list', async () => {
    dead.script({ error: { status: 400, name: 'context_length_exceeded', message: "This model's maximum context length is 8192 tokens" } })
    healthy.script({ text: 'the big model answered' })
    const res = await ask('small')
    expect((await jsonOf(res)).model).toBe('big')
  })

  test('a bad request is not sent to the fallbacks', async () => {
    dead.script({ error: { status: 400, name: 'invalid_request_error', message: 'bad' } })
    const res = await ask('strict')
    expect(res.status).toBe(400)
    expect(healthy.requests).toHaveLength(0)
  })

  test('when every fallback fails too, the last error comes back with x-should-retry: false', async () => {
    healthy.script({ error: { status: 503, name: 'service_unavailable', message: 'also down' } })
    const res = await ask('strict')
    expect(res.status).toBe(503)
    expect(res.headers.get('x-should-retry')).toBe('false')
  })
})

describe('timeouts', () => {
  test.each([false, true])("each deployment keeps its own timeout: a slow fallback without one still answers (stream: %p)", async (stream) => {
    healthy.script({ text: 'worth the wait', firstTokenDelayMs: 800 })
    const res = await ask('quick', stream)
    expect(res.status).toBe(200)
    expect(res.headers.get('x-gateway-model-used')).toBe('leisurely')
    expect(await answerText(res, stream)).toBe('worth the wait')
  })

  test.each([false, true])("each deployment keeps its own timeout: a fallback's timeout ends its stalled call (stream: %p)", async (stream) => {
    healthy.script({ text: 'too late', firstTokenDelayMs: 3000 })
    const started = performance.now()
    const res = await ask('hasty', stream)
    expect(res.status).toBe(504)
    expect((await jsonOf(res)).error).toMatchObject({ type: 'timeout_error', code: 'provider_timeout' })
    expect(performance.now() - started).toBeLessThan(2000)
    await healthy.waitFor(() => healthy.requests[0]?.aborted === true)
  })

  test('a non-stream request whose provider stalls gets a 504 envelope at the deployment timeout', async () => {
    healthy.script({ text: 'too late', firstTokenDelayMs: 3000 })
    const res = await ask('slow')
    expect(res.status).toBe(504)
    expect((await jsonOf(res)).error).toMatchObject({ type: 'timeout_error', code: 'provider_timeout' })
    await Bun.sleep(50)
    expect(healthy.requests[0]!.aborted).toBe(true)
  })

  test('a stream that stalls between chunks ends with a timeout event and [DONE] at the idle timeout', async () => {
    healthy.script({ text: 'first words then nothing for a long while', chunkChars: 11, chunkDelayMs: 2000 })
    const { data } = await readSse(await ask('stall', true))
    expect(data.at(-1)).toBe('[DONE]')
    expect(JSON.parse(data.at(-2)!).error).toMatchObject({ type: 'timeout_error', code: 'provider_timeout' })
    expect(chunksOf(data.slice(0, -2)).map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('first words')
  })
})
