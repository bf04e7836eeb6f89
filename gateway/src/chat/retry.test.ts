import { describe, expect, test } from 'bun:test'
import { errors } from '../errors/gateway-error.ts'
import { upstreamError } from '../errors/upstream.ts'
import { isRetryable, retryDelay, sleep } from './retry.ts'

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
