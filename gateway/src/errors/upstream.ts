/**
 * The single table that maps upstream failures to gateway errors. Provider
 * adapters classify their own error shapes (Bedrock exception names, HTTP
 * statuses of OpenAI-compatible APIs, socket errors) into an `UpstreamFailure`
 * kind and call `upstreamError`; nothing else builds provider errors.
 *
 * Upstream text is never echoed raw: only validation messages are passed on,
 * scrubbed of ARNs, account ids and URLs, because they tell the caller what
 * to fix. Everything else gets a fixed message.
 */
import { GatewayError } from './gateway-error.ts'
import type { ProviderName } from '../providers/types.ts'

export type UpstreamFailureKind =
  | 'invalid_request' // 400 / ValidationException
  | 'context_length_exceeded' // 400 whose message says the input is too long
  | 'content_policy' // 400 refused by the provider's own content filter
  | 'auth' // 401: our configured credential was refused
  | 'access_denied' // 403 / AccessDeniedException
  | 'model_not_found' // 404 / ResourceNotFoundException: our config names a missing model
  | 'rate_limited' // 429 / ThrottlingException
  | 'quota_exceeded' // ServiceQuotaExceededException
  | 'model_not_ready' // ModelNotReadyException
  | 'timeout' // 408 / ModelTimeoutException, or our own deadline
  | 'model_error' // 424 / ModelErrorException
  | 'server_error' // 5xx / InternalServerException
  | 'unavailable' // 503 / ServiceUnavailableException
  | 'connection' // refused, reset, DNS
  | 'bad_response' // a 2xx whose body is not what the protocol promises
  | 'stream_error' // an error event or broken frame inside a stream
  | 'stream_truncated' // a stream that ended without its stop event

export interface UpstreamFailure {
  provider: ProviderName
  kind: UpstreamFailureKind
  /** The upstream's message; only used for invalid_request / context_length_exceeded. */
  upstreamMessage?: string
  /** Seconds, from the upstream's retry-after header when it sent one. */
  retryAfterSeconds?: number
  cause?: unknown
}

interface Row {
  status: number
  type: string
  code: string
  message: string
  retryable: boolean
}

const TABLE: Record<UpstreamFailureKind, Row> = {
  invalid_request: { status: 400, type: 'invalid_request_error', code: 'invalid_request', message: 'The provider rejected the request', retryable: false },
  context_length_exceeded: { status: 400, type: 'invalid_request_error', code: 'context_length_exceeded', message: "The input is longer than the model's context window", retryable: false },
  content_policy: { status: 400, type: 'invalid_request_error', code: 'content_policy', message: "The provider's content filter refused the request", retryable: false },
  auth: { status: 502, type: 'api_error', code: 'auth_error', message: "The provider refused the gateway's credentials. An operator must fix the deployment's api_key.", retryable: false },
  access_denied: { status: 403, type: 'permission_error', code: 'access_denied', message: "The provider denied the gateway access to this model. An operator must grant it (e.g. the IAM role's bedrock:InvokeModel).", retryable: false },
  model_not_found: { status: 502, type: 'api_error', code: 'model_not_found', message: "The provider does not know this deployment's upstream model. An operator must fix the model id.", retryable: false },
  rate_limited: { status: 429, type: 'rate_limit_error', code: 'rate_limited', message: 'The provider is throttling requests. Retry after a short wait.', retryable: true },
  quota_exceeded: { status: 429, type: 'rate_limit_error', code: 'quota_exceeded', message: "The provider's service quota is exhausted.", retryable: false },
  model_not_ready: { status: 503, type: 'service_unavailable_error', code: 'model_not_ready', message: 'The model is not ready yet. Retry shortly.', retryable: true },
  timeout: { status: 504, type: 'timeout_error', code: 'timeout', message: 'The provider did not answer in time.', retryable: false },
  model_error: { status: 502, type: 'api_error', code: 'model_error', message: 'The model failed to process the request.', retryable: true },
  server_error: { status: 502, type: 'api_error', code: 'server_error', message: 'The provider returned a server error.', retryable: true },
  unavailable: { status: 503, type: 'service_unavailable_error', code: 'unavailable', message: 'The provider is unavailable.', retryable: true },
  connection: { status: 502, type: 'api_error', code: 'connection_error', message: 'Could not reach the provider.', retryable: true },
  bad_response: { status: 502, type: 'api_error', code: 'bad_response', message: 'The provider returned a response the gateway could not read.', retryable: false },
  stream_error: { status: 502, type: 'api_error', code: 'stream_error', message: 'The provider failed while streaming the response.', retryable: false },
  stream_truncated: { status: 502, type: 'api_error', code: 'stream_truncated', message: 'The provider stream ended before the response was complete.', retryable: false },
}

export function upstreamError(f: UpstreamFailure): GatewayError {
  const row = TABLE[f.kind]
  const detail =
    (f.kind === 'invalid_request' || f.kind === 'context_length_exceeded' || f.kind === 'content_policy') && f.upstreamMessage
      ? `: ${scrubUpstreamText(f.upstreamMessage)}`
      : ''
  const headers: Record<string, string> = {}
  if (f.retryAfterSeconds !== undefined && Number.isFinite(f.retryAfterSeconds)) {
    headers['retry-after'] = String(Math.max(0, Math.ceil(f.retryAfterSeconds)))
  } else if (row.status === 429 && row.retryable) {
    headers['retry-after'] = '1'
  }
  if (!row.retryable) headers['x-should-retry'] = 'false'
  return new GatewayError({
    status: row.status,
    type: row.type,
    code: `provider_${row.code}`,
    message: `${row.message} (provider: ${f.provider})${detail}`,
    domain: 'provider',
    headers,
    cause: f.cause,
  })
}

/** Classifies a plain HTTP status from an OpenAI-compatible upstream. */
export function kindFromHttpStatus(status: number, message = ''): UpstreamFailureKind {
  if (status === 400 || status === 422) {
    if (/context|too long|maximum.*tokens|token limit/i.test(message)) return 'context_length_exceeded'
    return /content[ _-]?(policy|filter|management)/i.test(message) ? 'content_policy' : 'invalid_request'
  }
  if (status === 401) return 'auth'
  if (status === 403) return 'access_denied'
  if (status === 404) return 'model_not_found'
  if (status === 408) return 'timeout'
  if (status === 429) return 'rate_limited'
  if (status === 503) return 'unavailable'
  if (status === 504) return 'timeout'
  if (status >= 500) return 'server_error'
  return 'bad_response'
}

const SCRUBBERS: Array<[RegExp, string]> = [
  [/arn:aws[a-z-]*:[^\s"',)]*/gi, '<arn>'],
  [/\b\d{12}\b/g, '<account>'],
  [/https?:\/\/[^\s"',)]+/gi, '<url>'],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, '<key>'],
  [/\b(?:sk|pplx)-[A-Za-z0-9_-]{8,}\b/g, '<key>'],
]

/** Removes ARNs, account ids, URLs and key-like strings; caps the length. */
export function scrubUpstreamText(text: string): string {
  let out = text.slice(0, 500)
  for (const [re, replacement] of SCRUBBERS) out = out.replace(re, replacement)
  return out
}

/** Parses a retry-after header value (seconds or HTTP date). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const secs = Number(value)
  if (Number.isFinite(secs)) return secs
  const at = Date.parse(value)
  return Number.isFinite(at) ? Math.max(0, (at - now) / 1000) : undefined
}
