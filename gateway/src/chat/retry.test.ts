import { describe, expect, test } from 'bun:test'
import { errors } from '../errors/gateway-error.ts'
import { upstreamError } from '../errors/upstream.ts'
import { isRetryable, mayRetry, retryDelay, sleep } from './retry.ts'

const throttle = (retryAfter?: number) => upstreamError({ provider: 'bedrock', kind: 'rate_limited', ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) })

describe('retry policy', () => {
  test.each([
    ['a throttle', throttle(), true],
    ['an outage', upstreamError({ provider: 'bedrock', kind: 'unavailable' }), true],
    ['a connection error', upstreamError({ provider: 'openai', kind: 'connection' }), true],
    ['a validation error', upstreamError({ provider: 'bedrock', kind: 'invalid_request' }), false],
    ['a provider timeout', upstreamError({ provider: 'bedrock', kind: 'timeout' }), false],
    ['an error of our own', errors.modelNotFound('x'), false],
  ])('%s is retryable: %p', (_n, err, expected) => {
    expect(isRetryable(err)).toBe(expected)
  })

  test.each([
    ['no policy: a throttle within num_retries', throttle(), 1, {}, true],
    ['no policy: a throttle past num_retries', throttle(), 2, {}, false],
    ['no policy: a timeout is not retried', upstreamError({ provider: 'openai', kind: 'timeout' }), 0, {}, false],
    ['TimeoutErrorRetries retries a timeout', upstreamError({ provider: 'openai', kind: 'timeout' }), 2, { TimeoutErrorRetries: 3 }, true],
    ['TimeoutErrorRetries is a ceiling', upstreamError({ provider: 'openai', kind: 'timeout' }), 3, { TimeoutErrorRetries: 3 }, false],
    ['RateLimitErrorRetries: 0 stops throttle retries', throttle(), 0, { RateLimitErrorRetries: 0 }, false],
    ['RateLimitErrorRetries goes past num_retries', throttle(), 4, { RateLimitErrorRetries: 5 }, true],
    ['InternalServerErrorRetries covers connection errors', upstreamError({ provider: 'openai', kind: 'connection' }), 1, { InternalServerErrorRetries: 1 }, false],
    ['ContentPolicyViolationErrorRetries retries a content refusal', upstreamError({ provider: 'bedrock', kind: 'content_policy' }), 0, { ContentPolicyViolationErrorRetries: 1 }, true],
    ['another class in the policy leaves a throttle to num_retries', throttle(), 1, { TimeoutErrorRetries: 0 }, true],
    ['an error of our own is never retried', errors.modelNotFound('x'), 0, { BadRequestErrorRetries: 5 }, false],
  ] as const)('retry_policy: %s', (_n, err, attempt, policy, expected) => {
    expect(mayRetry(err, attempt, 2, policy)).toBe(expected)
  })

  test('honours a short retry-after and refuses to wait out a long one', () => {
    expect(retryDelay(throttle(2), 0)).toBe(2000)
    expect(retryDelay(throttle(60), 0)).toBeUndefined()
  })

  test.each([
    [0, 100],
    [1, 200],
    [3, 800],
    [10, 2000],
  ])('backs off with full jitter: attempt %p waits at most %p ms', (attempt, cap) => {
    const err = upstreamError({ provider: 'bedrock', kind: 'unavailable' })
    expect(retryDelay(err, attempt, { random: () => 0.999999 })).toBe(cap - 1)
    expect(retryDelay(err, attempt, { random: () => 0 })).toBe(0)
  })

  test('sleep stops at once when the request is aborted', async () => {
    const ac = new AbortController()
    const p = sleep(10_000, ac.signal)
    ac.abort(new Error('client gone'))
    await expect(p).rejects.toThrow('client gone')
  })
})
