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

/** LiteLLM's error classes (`router_settings.retry_policy` keys without `Retries`) for our provider error codes. */
const RETRY_CLASS: Readonly<Record<string, string>> = {
  provider_invalid_request: 'BadRequestError',
  provider_context_length_exceeded: 'BadRequestError',
  provider_auth_error: 'AuthenticationError',
  provider_access_denied: 'AuthenticationError',
  provider_timeout: 'TimeoutError',
  provider_rate_limited: 'RateLimitError',
  provider_quota_exceeded: 'RateLimitError',
  provider_content_policy: 'ContentPolicyViolationError',
  provider_server_error: 'InternalServerError',
  provider_model_error: 'InternalServerError',
  provider_unavailable: 'InternalServerError',
  provider_model_not_ready: 'InternalServerError',
  provider_connection_error: 'InternalServerError',
}

/**
 * Whether a provider failure on attempt `attempt` (0-based) may be retried:
 * up to the `retry_policy` count of its error class when the policy sets one
 * (which can also retry a class that is not retried by default, such as
 * timeouts), else up to `numRetries` when the error is retryable. The
 * request's own deadline (`request_timeout`) ends the request before any
 * retry (failover.ts) and bounds every backoff.
 */
export function mayRetry(err: GatewayError, attempt: number, numRetries: number, policy: Readonly<Record<string, number | undefined>>): boolean {
  if (err.domain !== 'provider') return false
  const cls = RETRY_CLASS[err.code]
  const count = cls ? policy[`${cls}Retries`] : undefined
  if (count !== undefined) return attempt < count
  return isRetryable(err) && attempt < numRetries
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
