/**
 * The one error type of the gateway. Every failure that leaves the gateway is a
 * GatewayError rendered by `errors/envelope.ts` as an OpenAI-style envelope
 * `{"error":{"message","type","param","code"}}`.
 *
 * `type` is OpenAI's error class (what SDKs switch on); `code` is a stable,
 * machine-readable reason; `domain` is our closed fault-domain vocabulary so a
 * 429 of our own is never confused with a provider's.
 */
export type ErrorDomain = 'caller' | 'policy' | 'provider' | 'gateway'

export interface GatewayErrorInit {
  status: number
  type: string
  code: string
  message: string
  param?: string | null
  domain: ErrorDomain
  /** Extra response headers (retry-after, x-should-retry, ...). */
  headers?: Record<string, string>
  /** Internal cause; logged (never rendered to the client). */
  cause?: unknown
}

export class GatewayError extends Error {
  readonly status: number
  readonly type: string
  readonly code: string
  readonly param: string | null
  readonly domain: ErrorDomain
  readonly headers: Record<string, string>

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'GatewayError'
    this.status = init.status
    this.type = init.type
    this.code = init.code
    this.param = init.param ?? null
    this.domain = init.domain
    this.headers = init.headers ?? {}
  }

  /** The `error_type` label used in logs and metrics, e.g. `provider_rate_limited`. */
  get errorType(): string {
    return this.code.startsWith(`${this.domain}_`) ? this.code : `${this.domain}_${this.code}`
  }
}

/** Constructors for the kinds of error the gateway produces itself. */
export const errors = {
  invalidRequest: (message: string, param: string | null = null, code = 'invalid_request') =>
    new GatewayError({ status: 400, type: 'invalid_request_error', code, message, param, domain: 'caller' }),
  invalidJson: (message: string) =>
    new GatewayError({ status: 400, type: 'invalid_request_error', code: 'invalid_json', message, domain: 'caller' }),
  unauthorized: (message = 'Missing or invalid API key. Send it as "Authorization: Bearer <key>".') =>
    new GatewayError({ status: 401, type: 'authentication_error', code: 'invalid_api_key', message, domain: 'caller' }),
  forbidden: (message: string, code = 'permission_denied') =>
    new GatewayError({ status: 403, type: 'permission_error', code, message, domain: 'policy' }),
  modelNotFound: (model: string) =>
    new GatewayError({
      status: 404,
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
      message: `The model '${maskSecrets(truncate(model, 100))}' does not exist. GET /v1/models lists the models you can use.`,
      domain: 'caller',
    }),
  keyNotFound: (param: string) =>
    new GatewayError({ status: 404, type: 'invalid_request_error', code: 'key_not_found', param, message: 'No such key.', domain: 'caller' }),
  routeNotFound: (method: string, path: string) =>
    new GatewayError({
      status: 404,
      type: 'invalid_request_error',
      code: 'not_found',
      message: `No route for ${method} ${truncate(path, 200)}.`,
      domain: 'caller',
    }),
  methodNotAllowed: (method: string, path: string) =>
    new GatewayError({
      status: 405,
      type: 'invalid_request_error',
      code: 'method_not_allowed',
      message: `Method ${method} is not allowed on ${truncate(path, 200)}.`,
      domain: 'caller',
    }),
  deadlineExceeded: (timeoutMs: number) =>
    new GatewayError({
      status: 504,
      type: 'timeout_error',
      code: 'provider_timeout',
      message: `The request did not finish within its deadline of ${Math.round(timeoutMs / 1000)} s (request_timeout).`,
      domain: 'provider',
      headers: { 'x-should-retry': 'false' },
    }),
  overloaded: (what: string) =>
    new GatewayError({
      status: 503,
      type: 'service_unavailable_error',
      code: 'gateway_overloaded',
      message: `This gateway replica is at its limit of ${what}; retry shortly.`,
      domain: 'gateway',
      headers: { 'retry-after': '1' },
    }),
  shuttingDown: () =>
    new GatewayError({
      status: 503,
      type: 'service_unavailable_error',
      code: 'gateway_shutting_down',
      message: 'The gateway is shutting down; retry the request (another replica will serve it).',
      domain: 'gateway',
      headers: { 'retry-after': '1' },
    }),
  modelCoolingDown: (model: string, waitMs: number) =>
    new GatewayError({
      status: 503,
      type: 'service_unavailable_error',
      code: 'model_cooling_down',
      param: 'model',
      message: `Every deployment of '${model}' failed repeatedly and is cooling down; retry shortly.`,
      domain: 'gateway',
      headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
    }),
  payloadTooLarge: (limitBytes: number) =>
    new GatewayError({
      status: 413,
      type: 'invalid_request_error',
      code: 'request_too_large',
      message: `Request body exceeds the limit of ${limitBytes} bytes.`,
      domain: 'caller',
    }),
  unsupportedMediaType: () =>
    new GatewayError({
      status: 415,
      type: 'invalid_request_error',
      code: 'unsupported_media_type',
      message: 'Request body must be JSON (content-type: application/json).',
      domain: 'caller',
    }),
  modelUnavailable: (model: string, reason: string) =>
    new GatewayError({
      status: 503,
      type: 'service_unavailable_error',
      code: 'model_unavailable',
      param: 'model',
      message: `The model '${model}' is unavailable: ${reason}`,
      domain: 'gateway',
      headers: { 'x-should-retry': 'false' },
    }),
  budgetExceeded: (maxBudget: number, resetsAt: number | null) =>
    new GatewayError({
      status: 429,
      type: 'rate_limit_error',
      code: 'budget_exceeded',
      message: `This key has spent its budget of $${maxBudget}.${resetsAt ? ` The budget resets at ${new Date(resetsAt).toISOString()}.` : ''}`,
      domain: 'policy',
      headers: { 'x-should-retry': 'false', ...(resetsAt ? { 'retry-after': String(Math.max(1, Math.ceil((resetsAt - Date.now()) / 1000))) } : {}) },
    }),
  rateLimited: (message: string, retryAfterSeconds: number, headers: Record<string, string>) =>
    new GatewayError({
      status: 429,
      type: 'rate_limit_error',
      code: 'rate_limited',
      message,
      domain: 'policy',
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))), ...headers },
    }),
  storeUnavailable: (what: string) =>
    new GatewayError({
      status: 503,
      type: 'service_unavailable_error',
      code: 'store_unavailable',
      message: `The gateway cannot reach its ${what}; the request was refused (fail_closed).`,
      domain: 'gateway',
      headers: { 'retry-after': '1' },
    }),
  internal: (cause?: unknown) =>
    new GatewayError({
      status: 500,
      type: 'internal_error',
      code: 'internal_error',
      message: 'The gateway hit an internal error. The request id in x-request-id identifies it in the logs.',
      domain: 'gateway',
      cause,
    }),
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`
}

const SECRET_LIKE = /\b(?:sk|pplx|xox[bp]|ghp|gho)[-_][A-Za-z0-9_-]{8,}|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g

/** Masks key-like substrings (API keys, AWS key ids, JWTs) in text the gateway repeats back. */
export function maskSecrets(s: string): string {
  return s.replace(SECRET_LIKE, '***')
}
