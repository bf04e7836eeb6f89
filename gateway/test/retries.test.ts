/**
 * num_retries through the whole gateway against the emulators: a throttle or
 * outage before the first byte is retried (stream and non-stream); a failure
 * that is not retryable is not; spent retries answer x-should-retry: false.
 */
import { describe, expect, test } from 'bun:test'
import { useEmulatedGateway } from './emulated.ts'
import { answerText, readSse } from './utils.ts'

const env = useEmulatedGateway((e) => `
${e.modelList('nova', 'sonar')}
litellm_settings:
  num_retries: 2
router_settings:
  allowed_fails: 1000   # these tests provoke failures on purpose; cooldown has its own tests
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`)

const ask = (model: string, stream: boolean) => env.gw.post('/v1/chat/completions', { model, stream, messages: [{ role: 'user', content: 'retry me' }] })

describe.each([
  ['nova', () => env.bedrock, 'ThrottlingException', 'ServiceUnavailableException', 'ValidationException'],
  ['sonar', () => env.perplexity, 'rate_limit_exceeded', 'service_unavailable', 'invalid_request_error'],
] as const)('%s', (model, emu, throttleName, outageName, invalidName) => {
  test.each([false, true])('retries a throttle then an outage and answers (stream: %p)', async (stream) => {
    emu().script(
      { times: 1, error: { status: 429, name: throttleName, message: 'slow down', retryAfter: '0' } },
      { times: 1, error: { status: 503, name: outageName, message: 'down' } },
      { text: 'third time lucky' },
    )
    const res = await ask(model, stream)
    expect(res.status).toBe(200)
    expect(await answerText(res, stream)).toBe('third time lucky')
    expect(emu().requests).toHaveLength(3)
  })

  test('gives up after num_retries with x-should-retry: false', async () => {
    emu().script({ error: { status: 503, name: outageName, message: 'down' } })
    const res = await ask(model, false)
    expect(res.status).toBe(503)
    expect(res.headers.get('x-should-retry')).toBe('false')
    expect(emu().requests).toHaveLength(3)
  })

  test('does not retry a request the provider rejected as invalid', async () => {
    emu().script({ error: { status: 400, name: invalidName, message: 'bad input' } })
    const res = await ask(model, true)
    expect(res.status).toBe(400)
    expect(emu().requests).toHaveLength(1)
  })

  test('does not retry once the stream has started: the failure ends the stream instead', async () => {
    emu().script({ text: 'partial answer', chunkChars: 4, failAfterChunks: { chunks: 1, name: model === 'nova' ? 'internalServerException' : 'server_error', message: 'x' } })
    const { data } = await readSse(await ask(model, true))
    expect(JSON.parse(data.at(-2)!).error).toBeDefined()
    expect(emu().requests).toHaveLength(1)
  })
})
