/**
 * Classifies failures of an OpenAI-compatible upstream into the one mapping
 * table (errors/upstream.ts): HTTP statuses, transport failures and aborts.
 */
import { GatewayError } from '../../errors/gateway-error.ts'
import { kindFromHttpStatus, parseRetryAfter, upstreamError } from '../../errors/upstream.ts'
import type { ProviderName } from '../types.ts'
import { readCapped } from '../../http/read-capped.ts'
import { isObject } from './response.ts'

/** Most of an error body the gateway reads; the message it wants is near the start. */
export const ERROR_BODY_LIMIT = 64 * 1024

const utf8 = new TextDecoder()

/**
 * Maps a non-2xx response. Only 4xx bodies are read (capped) for the OpenAI
 * error message, because only validation messages are passed on to callers.
 */
export async function errorFromResponse(provider: ProviderName, res: Response): Promise<GatewayError> {
  let message: string | undefined
  if (res.status >= 400 && res.status < 500) {
    const bytes = await readCapped(res, ERROR_BODY_LIMIT).catch(() => undefined)
    if (bytes) message = errorMessage(utf8.decode(bytes))
  } else {
    await res.body?.cancel().catch(() => undefined)
  }
  const kind = kindFromHttpStatus(res.status, message)
  const retryAfterMs = Number(res.headers.get('retry-after-ms') ?? Number.NaN)
  const retryAfterSeconds = Number.isFinite(retryAfterMs)
    ? retryAfterMs / 1000
    : parseRetryAfter(res.headers.get('retry-after'))
  return upstreamError({
    provider,
    kind,
    upstreamMessage: message,
    retryAfterSeconds,
    cause: new Error(`upstream HTTP ${res.status}`),
  })
}

/** Where a thrown failure happened: before the body was read, or while streaming it. */
export type Phase = 'request' | 'stream'

/**
 * Maps something thrown by fetch or a body read. GatewayErrors pass through;
 * an abort of `callerSignal` rethrows its reason when that is a GatewayError
 * (the caller's own deadline or policy) and otherwise returns the reason
 * unchanged, since the caller that aborted is not waiting for a mapping.
 */
export function errorFromThrown(
  provider: ProviderName,
  err: unknown,
  callerSignal: AbortSignal,
  phase: Phase,
): unknown {
  if (err instanceof GatewayError) return err
  if (callerSignal.aborted) {
    const reason: unknown = callerSignal.reason
    if (reason instanceof GatewayError) return reason
    if (isDomError(reason, 'TimeoutError')) return upstreamError({ provider, kind: 'timeout', cause: reason })
    return reason ?? err
  }
  return upstreamError({ provider, kind: phase === 'stream' ? 'stream_error' : 'connection', cause: err })
}

/** The `error.message` of an OpenAI error body (or a bare `error`/`message` string), if any. */
export function errorMessage(text: string): string | undefined {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return undefined
  }
  if (!isObject(body)) return undefined
  const error = body.error
  if (isObject(error) && typeof error.message === 'string') return error.message
  if (typeof error === 'string') return error
  return typeof body.message === 'string' ? body.message : undefined
}

function isDomError(value: unknown, name: string): boolean {
  return value instanceof DOMException && value.name === name
}
