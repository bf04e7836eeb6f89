/**
 * End-to-end behaviour of the HTTP API over a real socket, on the built-in mock
 * provider: auth, models, health, both response modes, and every validation
 * error path (each followed by proof that the process still serves).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { chunksOf, envelopeProblem, jsonOf, readSse, startGateway, type TestGateway } from './utils.ts'

let gw: TestGateway

beforeAll(async () => {
  gw = await startGateway({
    yaml: `
model_list:
  - model_name: mock-echo
    litellm_params: { model: mock/echo }
  - model_name: mock-fixed
    litellm_params: { model: mock/fixed, mock_response: "The quick brown fox jumps over the lazy dog.", mock_chunk_chars: 7 }
  - model_name: nova-micro
    litellm_params: { model: bedrock/amazon.nova-micro-v1:0, aws_region_name: os.environ/AWS_REGION }
  - model_name: strict-echo
    litellm_params: { model: mock/echo, drop_params: false }
  - model_name: slow-echo
    litellm_params: { model: mock/echo, mock_latency_ms: 250 }
litellm_settings:
  drop_params: true
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  max_request_size_mb: 0.01
  stream_keepalive_seconds: 0.05
`,
    env: { AWS_REGION: undefined },
  })
})
afterAll(() => gw.stop())

const chat = (body: Record<string, unknown>, headers?: Record<string, string>) =>
  gw.post('/v1/chat/completions', { model: 'mock-echo', messages: [{ role: 'user', content: 'Hello there, gateway!' }], ...body }, headers)

async function expectServing() {
  const res = await chat({})
  expect(res.status).toBe(200)
}

describe('auth', () => {
  test.each([
    ['no key', {}],
    ['a wrong key', { authorization: 'Bearer sk-wrong' }],
    ['a non-bearer scheme', { authorization: 'Basic c2stdGVzdA==' }],
  ])('answers a request with %s with a 401 envelope that does not echo the key', async (_name, headers) => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body: '{}' })
    expect(res.status).toBe(401)
    const body = await jsonOf(res)
    expect(body).toEqual({ error: { message: expect.any(String), type: 'authentication_error', param: null, code: 'invalid_api_key' } })
    expect(JSON.stringify(body)).not.toContain('sk-wrong')
  })

  test('accepts the key in x-api-key too', async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { 'x-api-key': gw.key } })
    expect(res.status).toBe(200)
  })

  test('leaves the health endpoints open', async () => {
    const codes = await Promise.all(['/health/liveliness', '/health/readiness', '/healthz'].map(async (p) => (await fetch(gw.url + p)).status))
    expect(codes).toEqual([200, 200, 200])
  })
})

describe('models and health', () => {
  test('lists the public aliases on /v1/models and /models, never upstream ids', async () => {
    for (const path of ['/v1/models', '/models']) {
      const body = await jsonOf(await fetch(gw.url + path, { headers: gw.headers() }))
      expect(body.object).toBe('list')
      expect(body.data.map((m: { id: string }) => m.id)).toEqual(['mock-echo', 'mock-fixed', 'nova-micro', 'strict-echo', 'slow-echo'])
      expect(JSON.stringify(body)).not.toContain('amazon.nova')
    }
  })

  test('readiness reports each model, with the reason a model is unavailable', async () => {
    const body = await jsonOf(await fetch(`${gw.url}/health/readiness`))
    expect(body.status).toBe('ready')
    expect(body.models.find((m: { model_name: string }) => m.model_name === 'nova-micro')).toEqual({
      model_name: 'nova-micro', deployment: 'nova-micro#2', provider: 'bedrock', status: 'unavailable', reason: 'environment variable AWS_REGION is not set',
    })
    expect(body.models.find((m: { model_name: string }) => m.model_name === 'mock-echo').status).toBe('available')
  })
})

describe('chat completions', () => {
  test('answers a non-stream request with a chat.completion carrying usage and a request id', async () => {
    const res = await chat({})
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await jsonOf(res)).toEqual({
      id: expect.stringMatching(/^chatcmpl-/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: 'mock-echo',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello there, gateway!', refusal: null }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 6, completion_tokens: 6, total_tokens: 12 },
    })
  })

  test('echoes a client x-request-id', async () => {
    const res = await chat({}, { 'x-request-id': 'trace-123' })
    expect(res.headers.get('x-request-id')).toBe('trace-123')
  })

  test('sends a whole answer with its length, not chunked, and echoes the request id on stream and error answers too', async () => {
    const whole = await chat({})
    expect(whole.headers.get('content-length')).toBe(String((await whole.arrayBuffer()).byteLength))
    expect(whole.headers.get('transfer-encoding')).toBeNull()
    const stream = await chat({ stream: true }, { 'x-request-id': 'trace-stream' })
    expect(stream.headers.get('x-request-id')).toBe('trace-stream')
    await stream.text()
    const failed = await chat({ model: 'gpt-17' }, { 'x-request-id': 'trace-404' })
    expect(failed.status).toBe(404)
    expect(failed.headers.get('x-request-id')).toBe('trace-404')
    const invalid = await chat({ messages: 'not a list' }, { 'x-request-id': 'trace-400' })
    expect(invalid.status).toBe(400)
    expect(invalid.headers.get('x-request-id')).toBe('trace-400')
  })

  test('also serves the /chat/completions alias', async () => {
    const res = await gw.post('/chat/completions', { model: 'mock-fixed', messages: [{ role: 'user', content: 'x' }] })
    expect((await jsonOf(res)).choices[0].message.content).toBe('The quick brown fox jumps over the lazy dog.')
  })

  test('streams SSE chunks: role first, index 0, a finish chunk, a usage chunk, then [DONE]', async () => {
    const res = await chat({ model: 'mock-fixed', stream: true, stream_options: { include_usage: true } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toStartWith('text/event-stream')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.headers.get('x-request-id')).toBeTruthy()
    const { data } = await readSse(res)
    expect(data.at(-1)).toBe('[DONE]')
    const chunks = chunksOf(data)
    expect(chunks[0]!.choices[0].delta.role).toBe('assistant')
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0]!.id)).toBe(true)
    expect(chunks.flatMap((c) => c.choices.map((ch: { index: number }) => ch.index)).every((i) => i === 0)).toBe(true)
    const finishAt = chunks.findIndex((c) => c.choices[0]?.finish_reason)
    expect(chunks[finishAt]!.choices[0].finish_reason).toBe('stop')
    expect(chunks.slice(finishAt + 1)).toEqual([expect.objectContaining({ choices: [], usage: { prompt_tokens: 6, completion_tokens: 11, total_tokens: 17 } })])
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('The quick brown fox jumps over the lazy dog.')
    expect(chunks.filter((c) => c.choices[0]?.delta.content).map((c) => c.choices[0].delta.content.length)).toEqual([7, 7, 7, 7, 7, 7, 2])
  })

  test('gives the same text and usage with and without streaming', async () => {
    const plain = await jsonOf(await chat({}))
    const { data } = await readSse(await chat({ stream: true, stream_options: { include_usage: true } }))
    const chunks = chunksOf(data)
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(plain.choices[0].message.content)
    expect(chunks.at(-1)!.usage).toEqual(plain.usage)
  })

  test('keeps a stream alive with SSE comments while the first token is slow', async () => {
    const res = await chat({ model: 'slow-echo', stream: true })
    const { data, comments } = await readSse(res)
    expect(comments.length).toBeGreaterThanOrEqual(2)
    expect(data.at(-1)).toBe('[DONE]')
    expect(chunksOf(data).map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello there, gateway!')
  })

  test('drops unsupported params when drop_params is on and says so in a header', async () => {
    const res = await chat({ search_recency_filter: 'week' })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-gateway-dropped-params')).toBe('search_recency_filter')
  })
})

describe('errors', () => {
  test.each([
    ['an unknown model', { model: 'gpt-17' }, 404, 'model', 'model_not_found'],
    ['an unavailable model', { model: 'nova-micro' }, 503, 'model', 'model_unavailable'],
    ['a bad role', { messages: [{ role: 'robot', content: 'x' }] }, 400, 'messages[0].role', 'invalid_request'],
    ['a bad temperature', { temperature: 9 }, 400, 'temperature', 'invalid_request'],
    ['an api_base override', { api_base: 'http://169.254.169.254' }, 400, 'api_base', 'forbidden_parameter'],
    ['an unsupported param with drop_params off', { model: 'strict-echo', search_recency_filter: 'week' }, 400, 'search_recency_filter', 'unsupported_parameter'],
    ['an unknown param', { frobnicate: 1 }, 400, 'frobnicate', 'unknown_parameter'],
  ])('answers %s with an envelope (stream and non-stream) and keeps serving', async (_name, body, status, param, code) => {
    for (const stream of [false, true]) {
      const res = await chat({ ...body, stream })
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toContain('application/json')
      expect(await jsonOf(res)).toEqual({ error: { message: expect.any(String), type: expect.any(String), param, code } })
    }
    await expectServing()
  })

  test('answers malformed JSON with 400 invalid_json', async () => {
    const res = await gw.post('/v1/chat/completions', '{"model": "mock-echo", ')
    expect(res.status).toBe(400)
    expect((await jsonOf(res)).error.code).toBe('invalid_json')
    await expectServing()
  })

  test('answers a body over max_request_size_mb with 413', async () => {
    const res = await chat({ messages: [{ role: 'user', content: 'x'.repeat(20_000) }] })
    expect(res.status).toBe(413)
    expect(await jsonOf(res)).toEqual({ error: { message: 'Request body exceeds the limit of 10485 bytes.', type: 'invalid_request_error', param: null, code: 'request_too_large' } })
    await expectServing()
  })

  test('answers an unknown route with a 404 envelope', async () => {
    const res = await fetch(`${gw.url}/v1/nothing-here`, { headers: gw.headers() })
    expect(res.status).toBe(404)
    expect(await jsonOf(res)).toEqual({ error: { message: expect.stringContaining('/v1/nothing-here'), type: 'invalid_request_error', param: null, code: 'not_found' } })
  })
})

describe('the envelope check every test gateway applies', () => {
  test.each([
    ['{"error":{"message":"m","type":"t","param":null,"code":"c"}}', undefined],
    ['{"error":{"message":"m","type":"t","param":"p","code":"c"}}', undefined],
    ['not json', 'not JSON: not json'],
    ['{"detail":"x"}', 'no error object'],
    ['{"error":{"message":"m","type":"t","code":"c"}}', 'error keys are code,message,type'],
    ['{"error":{"message":"m\\n    at f (x.ts:1:2)","type":"t","param":null,"code":"c"}}', 'stack trace, ARN or account id in the body'],
  ])('judges %s', (body, problem) => {
    expect(envelopeProblem(body)).toBe(problem)
  })
})
