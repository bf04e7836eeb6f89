import { describe, expect, test } from 'bun:test'
import { GatewayError, errors } from '../../errors/gateway-error.ts'
import type { UpstreamFailureKind } from '../../errors/upstream.ts'
import { bedrockError, classifyBedrockError } from './errors.ts'

/** An error shaped like the SDK's modelled exceptions: a name, a message, $metadata and $response. */
function sdkError(name: string, message = 'upstream says no', status?: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $response: { statusCode: status, headers } })
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:1`), { code })
}

describe('bedrockError', () => {
  test.each<[string, number, string, string, Error]>([
    ['ThrottlingException', 429, 'rate_limit_error', 'provider_rate_limited', sdkError('ThrottlingException', 'Too many requests', 429)],
    ['ValidationException', 400, 'invalid_request_error', 'provider_invalid_request', sdkError('ValidationException', 'temperature must be <= 1', 400)],
    ['ValidationException saying the input is too long', 400, 'invalid_request_error', 'provider_context_length_exceeded', sdkError('ValidationException', 'Input is too long for requested model.', 400)],
    ['AccessDeniedException', 403, 'permission_error', 'provider_access_denied', sdkError('AccessDeniedException', 'not authorized', 403)],
    ['ResourceNotFoundException', 502, 'api_error', 'provider_model_not_found', sdkError('ResourceNotFoundException', 'no such model', 404)],
    ['ServiceQuotaExceededException', 429, 'rate_limit_error', 'provider_quota_exceeded', sdkError('ServiceQuotaExceededException', 'quota', 400)],
    ['ModelNotReadyException', 503, 'service_unavailable_error', 'provider_model_not_ready', sdkError('ModelNotReadyException', 'warming', 429)],
    ['ModelTimeoutException', 504, 'timeout_error', 'provider_timeout', sdkError('ModelTimeoutException', 'slow', 408)],
    ['ModelErrorException', 502, 'api_error', 'provider_model_error', sdkError('ModelErrorException', 'model crashed', 424)],
    ['InternalServerException', 502, 'api_error', 'provider_server_error', sdkError('InternalServerException', 'oops', 500)],
    ['ServiceUnavailableException', 503, 'service_unavailable_error', 'provider_unavailable', sdkError('ServiceUnavailableException', 'down', 503)],
    ['ModelStreamErrorException', 502, 'api_error', 'provider_stream_error', sdkError('ModelStreamErrorException', 'stream broke')],
    ['CredentialsProviderError', 502, 'api_error', 'provider_auth_error', sdkError('CredentialsProviderError', 'Could not load credentials from any providers')],
    ['UnrecognizedClientException', 502, 'api_error', 'provider_auth_error', sdkError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403)],
    ['an unmodelled error with an HTTP status', 502, 'api_error', 'provider_server_error', sdkError('SomethingNewException', 'teapot', 502)],
    ['ECONNREFUSED', 502, 'api_error', 'provider_connection_error', socketError('ECONNREFUSED')],
    ['ECONNRESET', 502, 'api_error', 'provider_connection_error', Object.assign(socketError('ECONNRESET'), { name: 'TimeoutError' })],
    ['ETIMEDOUT', 502, 'api_error', 'provider_connection_error', socketError('ETIMEDOUT')],
    ['EPIPE', 502, 'api_error', 'provider_connection_error', socketError('EPIPE')],
    ['a bad event-stream CRC', 502, 'api_error', 'provider_stream_error', new Error('The message checksum (12) did not match the expected value (34)')],
    ['a cut event-stream frame', 502, 'api_error', 'provider_stream_error', new Error('Truncated event message received.')],
    ['an unrecognisable error', 502, 'api_error', 'provider_bad_response', new Error('what')],
  ])('maps %s to %d %s (%s)', (_name, status, type, code, err) => {
    const mapped = bedrockError(err)
    expect({ status: mapped.status, type: mapped.type, code: mapped.code, domain: mapped.domain }).toEqual({ status, type, code, domain: 'provider' })
  })

  test('maps ThrottlingException to 429 rate_limit_error with the upstream retry-after', () => {
    const mapped = bedrockError(sdkError('ThrottlingException', 'Too many requests', 429, { 'retry-after': '7' }))
    expect(mapped.headers).toEqual({ 'retry-after': '7' })
  })

  test('passes validation messages on, scrubbed, and hides other upstream text', () => {
    const validation = bedrockError(sdkError('ValidationException', 'Bad model arn:aws:bedrock:us-east-1:123456789012:foo', 400))
    const server = bedrockError(sdkError('InternalServerException', 'stack trace at 10.0.0.1', 500))
    expect([validation.message, server.message]).toEqual([
      'The provider rejected the request (provider: bedrock): Bad model <arn>',
      'The provider returned a server error. (provider: bedrock)',
    ])
  })

  test('keeps credential details out of the auth error message', () => {
    const mapped = bedrockError(sdkError('CredentialsProviderError', 'secret AKIAABCDEFGHIJKLMNOP / wJalrXUtnFEMI'))
    expect(mapped.message).not.toContain('AKIA')
    expect(mapped.message).not.toContain('wJalr')
  })

  test('returns a GatewayError unchanged', () => {
    const own = errors.invalidRequest('bad', 'messages')
    expect(bedrockError(own)).toBe(own)
  })

  test('rethrows the abort reason when the call signal aborted with a GatewayError', () => {
    const reason = errors.internal()
    const ac = new AbortController()
    ac.abort(reason)
    const abortError = Object.assign(new Error('Request aborted'), { name: 'AbortError' })
    expect(bedrockError(abortError, { signal: ac.signal })).toBe(reason)
  })

  test.each([
    ['a plain abort', undefined],
    ['a deadline', new DOMException('timed out', 'TimeoutError')],
  ])('maps an AbortError caused by %s to provider_timeout', (_name, reason) => {
    const ac = new AbortController()
    ac.abort(reason)
    const mapped = bedrockError(Object.assign(new Error('Request aborted'), { name: 'AbortError' }), { signal: ac.signal })
    expect(mapped).toBeInstanceOf(GatewayError)
    expect(mapped.code).toBe('provider_timeout')
  })
})

describe('classifyBedrockError', () => {
  test.each<[string, boolean, UpstreamFailureKind]>([
    ['an unrecognisable error before the stream', false, 'bad_response'],
    ['an unrecognisable error inside the stream', true, 'stream_error'],
  ])('classifies %s', (_name, inStream, kind) => {
    expect(classifyBedrockError(new Error('what'), { inStream })).toBe(kind)
  })

  test.each([null, undefined, 'a string', 42])('classifies a thrown non-object (%p) without crashing', (thrown) => {
    expect(classifyBedrockError(thrown)).toBe('bad_response')
  })
})
