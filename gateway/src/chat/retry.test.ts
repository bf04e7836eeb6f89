import { describe, expect, test } from 'bun:test'
import { errors } from '../errors/gateway-error.ts'
import { upstreamError } from '../errors/upstream.ts'
import { withRetries } from './retry.ts'

const opts = (retries: number, extra = {}) => ({ retries, signal: new AbortController().signal, deadline: Date.now() + 5000, baseDelayMs: 1, ...extra })
const throttle = (retryAfter?: number) => upstreamError({ provider: 'bedrock', kind: 'rate_limited', ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}) })

function script(...outcomes: Array<Error | string>) {
  const calls: number[] = []
  const run = async (attempt: number) => {
    calls.push(attempt)
    const o = outcomes[attempt]
    if (o instanceof Error) throw o
    return o ?? 'unscripted'
  }
  return { run, calls }
}

describe('withRetries', () => {
  test('retries a throttle and returns the later success', async () => {
    const s = script(throttle(0), upstreamError({ provider: 'bedrock', kind: 'unavailable' }), 'ok')
    expect(await withRetries(s.run, opts(2))).toBe('ok')
    expect(s.calls).toEqual([0, 1, 2])
  })

  test('stops after num_retries and marks the error x-should-retry: false', async () => {
    const s = script(throttle(0), throttle(0), throttle(0), 'never')
    const err = await withRetries(s.run, opts(2)).catch((e: unknown) => e)
    expect(s.calls).toEqual([0, 1, 2])
    expect(err).toMatchObject({ status: 429, headers: { 'x-should-retry': 'false' } })
  })

  test.each([
    ['a validation error', upstreamError({ provider: 'bedrock', kind: 'invalid_request' })],
    ['a provider timeout', upstreamError({ provider: 'bedrock', kind: 'timeout' })],
    ['an error of our own', errors.modelNotFound('x')],
  ])('does not retry %s', async (_name, err) => {
    const s = script(err, 'ok')
    await expect(withRetries(s.run, opts(3))).rejects.toBe(err)
    expect(s.calls).toEqual([0])
  })

  test('does not wait out a retry-after longer than the cap', async () => {
    const s = script(throttle(60), 'ok')
    await expect(withRetries(s.run, opts(3))).rejects.toMatchObject({ status: 429 })
    expect(s.calls).toEqual([0])
  })

  test('does not start an attempt past the deadline', async () => {
    const s = script(throttle(1), 'ok')
    await expect(withRetries(s.run, opts(3, { deadline: Date.now() + 200 }))).rejects.toMatchObject({ headers: { 'x-should-retry': 'false' } })
    expect(s.calls).toEqual([0])
  })

  test('stops waiting when the client goes away', async () => {
    const ac = new AbortController()
    const s = script(throttle(5), 'ok')
    const p = withRetries(s.run, opts(3, { signal: ac.signal, deadline: Date.now() + 60_000 }))
    setTimeout(() => ac.abort(new Error('client gone')), 10)
    await expect(p).rejects.toThrow('client gone')
    expect(s.calls).toEqual([0])
  })
})
