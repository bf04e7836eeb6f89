import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../errors/gateway-error.ts'
import { upstreamError } from '../../errors/upstream.ts'
import { ERROR_BODY_LIMIT, errorFromResponse, errorFromThrown, errorMessage } from './errors.ts'

const openaiError = (message: string, type = 'invalid_request_error', code: string | null = null) =>
  JSON.stringify({ error: { message, type, param: null, code } })

const summary = (e: unknown) => {
  const g = e as GatewayError
  return { status: g.status, type: g.type, code: g.code, retryAfter: g.headers['retry-after'] }
}

describe('errorFromResponse', () => {
  const cases: Array<[string, number, string, Record<string, string>, ReturnType<typeof summary>]> = [
    ['401 to 502 provider_auth_error', 401, openaiError('Incorrect API key provided: sk-abcdefghijkl'), {}, { status: 502, type: 'api_error', code: 'provider_auth_error', retryAfter: undefined }],
    ['403 to 403 provider_access_denied', 403, '{}', {}, { status: 403, type: 'permission_error', code: 'provider_access_denied', retryAfter: undefined }],
    ['404 to 502 provider_model_not_found', 404, openaiError('The model `x` does not exist'), {}, { status: 502, type: 'api_error', code: 'provider_model_not_found', retryAfter: undefined }],
    ['429 to 429 with the upstream retry-after', 429, openaiError('Rate limit reached', 'requests'), { 'retry-after': '7' }, { status: 429, type: 'rate_limit_error', code: 'provider_rate_limited', retryAfter: '7' }],
    ['429 with retry-after-ms to whole seconds', 429, '', { 'retry-after-ms': '1500' }, { status: 429, type: 'rate_limit_error', code: 'provider_rate_limited', retryAfter: '2' }],
    ['429 without retry-after to a default of 1', 429, 'not json', {}, { status: 429, type: 'rate_limit_error', code: 'provider_rate_limited', retryAfter: '1' }],
    ['400 to 400 provider_invalid_request', 400, openaiError('Invalid value for temperature'), {}, { status: 400, type: 'invalid_request_error', code: 'provider_invalid_request', retryAfter: undefined }],
    ['400 about the context to provider_context_length_exceeded', 400, openaiError("This model's maximum context length is 128000 tokens"), {}, { status: 400, type: 'invalid_request_error', code: 'provider_context_length_exceeded', retryAfter: undefined }],
    ['500 to 502 provider_server_error', 500, openaiError('boom'), {}, { status: 502, type: 'api_error', code: 'provider_server_error', retryAfter: undefined }],
    ['503 to 503 provider_unavailable', 503, '', { 'retry-after': '3' }, { status: 503, type: 'service_unavailable_error', code: 'provider_unavailable', retryAfter: '3' }],
    ['504 to 504 provider_timeout', 504, '', {}, { status: 504, type: 'timeout_error', code: 'provider_timeout', retryAfter: undefined }],
  ]

  test.each(cases)('maps %s', async (_name, status, body, headers, expected) => {
    expect(summary(await errorFromResponse('openai', new Response(body, { status, headers })))).toEqual(expected)
  })

  test('passes on a 400 message scrubbed of keys and URLs', async () => {
    const body = openaiError('Bad value for sk-abcdefghijklmnop, see https://platform.example/docs')
    const err = await errorFromResponse('perplexity', new Response(body, { status: 400 }))
    expect(err.message).toBe('The provider rejected the request (provider: perplexity): Bad value for <key>, see <url>')
  })

  test('never echoes a 5xx body', async () => {
    const err = await errorFromResponse('openai', new Response(openaiError('internal trace at 10.0.0.1'), { status: 500 }))
    expect(err.message).toBe('The provider returned a server error. (provider: openai)')
  })

  test('reads no more than the error body limit and cancels the rest', async () => {
    let cancelled = false
    const big = new TextEncoder().encode(openaiError('x'.repeat(ERROR_BODY_LIMIT)))
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(big)
      },
      cancel() {
        cancelled = true
      },
    })
    const err = await errorFromResponse('openai', new Response(body, { status: 400 }))
    expect({ code: err.code, message: err.message, cancelled }).toEqual({
      code: 'provider_invalid_request',
      message: 'The provider rejected the request (provider: openai)',
      cancelled: true,
    })
  })
})

describe('errorFromThrown', () => {
  const live = new AbortController().signal
  const refused = Object.assign(new TypeError('Unable to connect'), { code: 'ECONNREFUSED' })
  const reset = Object.assign(new TypeError('socket closed'), { code: 'ECONNRESET' })

  test.each([
    ['a refused connection to provider_connection_error', refused, 'request', 'provider_connection_error'],
    ['a reset connection to provider_connection_error', reset, 'request', 'provider_connection_error'],
    ['a reset while streaming to provider_stream_error', reset, 'stream', 'provider_stream_error'],
  ] as const)('maps %s', (_name, err, phase, code) => {
    expect((errorFromThrown('openai', err, live, phase) as GatewayError).code).toBe(code)
  })

  test('passes a GatewayError through unchanged', () => {
    const err = upstreamError({ provider: 'openai', kind: 'stream_truncated' })
    expect(errorFromThrown('openai', err, live, 'stream')).toBe(err)
  })

  test('rethrows the GatewayError the caller aborted with', () => {
    const reason = new GatewayError({ status: 504, type: 'timeout_error', code: 'deadline', message: 'late', domain: 'gateway' })
    const ac = new AbortController()
    ac.abort(reason)
    expect(errorFromThrown('openai', reason, ac.signal, 'request')).toBe(reason)
    expect(errorFromThrown('openai', new DOMException('aborted', 'AbortError'), ac.signal, 'stream')).toBe(reason)
  })

  test('maps a caller TimeoutError to provider_timeout', () => {
    const ac = new AbortController()
    ac.abort(new DOMException('timed out', 'TimeoutError'))
    expect((errorFromThrown('openai', ac.signal.reason, ac.signal, 'request') as GatewayError).code).toBe('provider_timeout')
  })

  test('returns the plain abort reason when the caller aborted without a GatewayError', () => {
    const ac = new AbortController()
    ac.abort()
    expect(errorFromThrown('openai', ac.signal.reason, ac.signal, 'stream')).toBe(ac.signal.reason)
  })
})

describe('errorMessage', () => {
  test.each([
    ['an OpenAI error body', openaiError('bad temperature'), 'bad temperature'],
    ['a bare error string', '{"error":"bad"}', 'bad'],
    ['a top-level message', '{"message":"bad"}', 'bad'],
    ['an error without message', '{"error":{"code":1}}', undefined],
    ['text that is not JSON', '<html>', undefined],
  ])('reads %s', (_name, text, expected) => {
    expect(errorMessage(text)).toEqual(expected)
  })
})
