/**
 * Classifies what the AWS SDK throws for Bedrock (modelled exceptions by name,
 * socket errors by code, event-stream decoding errors by message, aborts) into
 * an upstream failure kind, and builds the GatewayError through the one
 * mapping table in errors/upstream.ts.
 */
import { GatewayError } from '../../errors/gateway-error.ts'
import { kindFromHttpStatus, parseRetryAfter, upstreamError, type UpstreamFailureKind } from '../../errors/upstream.ts'

/** Bedrock exception names (the SDK error's `name`) and the failure kind each one is. */
export const EXCEPTION_KINDS: Readonly<Record<string, UpstreamFailureKind>> = {
  ThrottlingException: 'rate_limited',
  ValidationException: 'invalid_request',
  AccessDeniedException: 'access_denied',
  ResourceNotFoundException: 'model_not_found',
  ServiceQuotaExceededException: 'quota_exceeded',
  ModelNotReadyException: 'model_not_ready',
  ModelTimeoutException: 'timeout',
  ModelErrorException: 'model_error',
  InternalServerException: 'server_error',
  ServiceUnavailableException: 'unavailable',
  ModelStreamErrorException: 'stream_error',
  // Our credentials were refused or could not be found.
  CredentialsProviderError: 'auth',
  UnrecognizedClientException: 'auth',
  InvalidSignatureException: 'auth',
  IncompleteSignatureException: 'auth',
  MissingAuthenticationTokenException: 'auth',
  ExpiredTokenException: 'auth',
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ConnectionRefused'])
const CONTEXT_TOO_LONG = /too long|context (?:length|window)|input (?:token|length)s? .*exceed/i
const BROKEN_FRAME = /checksum|truncated event message/i

/** The parts of an SDK (or socket) error we read; everything is optional because anything can be thrown. */
interface ErrorLike {
  name?: unknown
  message?: unknown
  code?: unknown
  $metadata?: { httpStatusCode?: number }
  $response?: { headers?: Record<string, string | undefined> }
}

export interface ClassifyOptions {
  /** The call's signal: when it has aborted, the abort's reason wins over whatever the SDK threw. */
  signal?: AbortSignal
  /** True once the stream has started: unrecognised errors are then `stream_error`, not `bad_response`. */
  inStream?: boolean
}

/**
 * Classifies `err` as thrown by the Bedrock SDK. Pure: no I/O, reads only the
 * error and the signal's state.
 */
export function classifyBedrockError(err: unknown, opts: ClassifyOptions = {}): UpstreamFailureKind {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike
  const name = typeof e.name === 'string' ? e.name : ''
  const message = typeof e.message === 'string' ? e.message : ''
  if (typeof e.code === 'string' && SOCKET_CODES.has(e.code)) return 'connection'
  const known = EXCEPTION_KINDS[name]
  if (known === 'invalid_request' && CONTEXT_TOO_LONG.test(message)) return 'context_length_exceeded'
  if (known) return known
  if (BROKEN_FRAME.test(message)) return 'stream_error'
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout'
  const status = e.$metadata?.httpStatusCode
  if (status !== undefined && status >= 400) return kindFromHttpStatus(status, message)
  return opts.inStream ? 'stream_error' : 'bad_response'
}

/**
 * Turns anything the Bedrock SDK threw into a GatewayError. When `opts.signal`
 * has aborted, the abort explains the failure: its reason is returned if it is
 * a GatewayError (the core's deadline or cancel error), else a timeout error.
 * Otherwise a GatewayError is returned unchanged and anything else classified.
 */
export function bedrockError(err: unknown, opts: ClassifyOptions = {}): GatewayError {
  if (opts.signal?.aborted) {
    const reason: unknown = opts.signal.reason
    if (reason instanceof GatewayError) return reason
    return upstreamError({ provider: 'bedrock', kind: 'timeout', cause: reason ?? err })
  }
  if (err instanceof GatewayError) return err
  const kind = classifyBedrockError(err, opts)
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike
  return upstreamError({
    provider: 'bedrock',
    kind,
    upstreamMessage: typeof e.message === 'string' ? e.message : undefined,
    retryAfterSeconds: parseRetryAfter(e.$response?.headers?.['retry-after']),
    cause: err,
  })
}
