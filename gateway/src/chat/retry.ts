/**
 * Retries an upstream call that failed before anything reached the client.
 * Only provider failures the mapping table marks retryable (429, 5xx,
 * connection errors, model-not-ready: no `x-should-retry: false` header) are
 * retried, with full-jitter exponential backoff, honouring the provider's
 * retry-after when it fits within the request's deadline. When the retries
 * are spent the error carries `x-should-retry: false`, so OpenAI SDKs do not
 * multiply our attempts by theirs.
 */
import { GatewayError } from '../errors/gateway-error.ts'

export interface RetryOptions {
  /** Extra attempts after the first (num_retries). */
  retries: number
  /** Aborted when the client leaves or the deadline passes: no further attempt. */
  signal: AbortSignal
  /** Epoch ms after which no attempt starts. */
  deadline: number
  /** First backoff step, ms. Default 100. */
  baseDelayMs?: number
  /** Largest backoff step, ms. Default 2000. */
  maxDelayMs?: number
  /** Longest retry-after the gateway waits out itself, ms. Default 10 000. */
  maxRetryAfterMs?: number
  random?: () => number
  onRetry?: (attempt: number, err: GatewayError, delayMs: number) => void
}

export function isRetryable(err: unknown): err is GatewayError {
  return err instanceof GatewayError && err.domain === 'provider' && err.headers['x-should-retry'] !== 'false'
}

export async function withRetries<T>(run: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const base = o.baseDelayMs ?? 100
  const cap = o.maxDelayMs ?? 2000
  const random = o.random ?? Math.random
  for (let attempt = 0; ; attempt++) {
    try {
      return await run(attempt)
    } catch (err) {
      if (!isRetryable(err) || o.signal.aborted) throw err
      const delay = attempt < o.retries ? delayFor(err, attempt, base, cap, random, o.maxRetryAfterMs ?? 10_000) : undefined
      if (delay === undefined || Date.now() + delay >= o.deadline) {
        err.headers['x-should-retry'] = 'false'
        throw err
      }
      o.onRetry?.(attempt + 1, err, delay)
      await sleep(delay, o.signal)
    }
  }
}

function delayFor(err: GatewayError, attempt: number, base: number, cap: number, random: () => number, maxRetryAfter: number): number | undefined {
  const retryAfter = Number(err.headers['retry-after'])
  if (Number.isFinite(retryAfter) && retryAfter > 0) {
    const ms = retryAfter * 1000
    return ms <= maxRetryAfter ? ms : undefined
  }
  return Math.floor(random() * Math.min(cap, base * 2 ** attempt))
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(t)
      reject(signal.reason)
    }
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
