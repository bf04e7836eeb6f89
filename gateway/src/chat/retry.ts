/**
 * Retry policy for upstream calls that failed before anything reached the
 * client. Only provider failures the mapping table marks retryable (429,
 * 5xx, connection errors, model-not-ready: no `x-should-retry: false`) are
 * retried, with full-jitter exponential backoff, honouring the provider's
 * retry-after when it is short enough. The failover loop (failover.ts) adds
 * the request deadline and the retry budget.
 */
import { GatewayError } from '../errors/gateway-error.ts'

export interface BackoffOptions {
  /** First backoff step, ms. Default 100. */
  baseDelayMs?: number
  /** Largest backoff step, ms. Default 2000. */
  maxDelayMs?: number
  /** Longest retry-after the gateway waits out itself, ms. Default 10 000. */
  maxRetryAfterMs?: number
  random?: () => number
}

export function isRetryable(err: unknown): err is GatewayError {
  return err instanceof GatewayError && err.domain === 'provider' && err.headers['x-should-retry'] !== 'false'
}

/** How long to wait before retry number `attempt + 1`; undefined when the provider asks for longer than we wait. */
export function retryDelay(err: GatewayError, attempt: number, o: BackoffOptions = {}): number | undefined {
  const retryAfter = Number(err.headers['retry-after'])
  if (Number.isFinite(retryAfter) && retryAfter > 0) {
    const ms = retryAfter * 1000
    return ms <= (o.maxRetryAfterMs ?? 10_000) ? ms : undefined
  }
  const cap = Math.min(o.maxDelayMs ?? 2000, (o.baseDelayMs ?? 100) * 2 ** attempt)
  return Math.floor((o.random ?? Math.random)() * cap)
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
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
