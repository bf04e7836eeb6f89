/**
 * The one place that renders errors for clients: an OpenAI-style envelope
 * `{"error":{"message","type","param","code"}}` as JSON (HTTP) or as an SSE
 * `data:` frame (inside a stream that has already started).
 */
import { GatewayError, errors } from './gateway-error.ts'

export interface ErrorEnvelope {
  error: { message: string; type: string; param: string | null; code: string }
}

/** Anything thrown becomes a GatewayError; unknown throwables are internal errors. */
export function toGatewayError(err: unknown): GatewayError {
  return err instanceof GatewayError ? err : errors.internal(err)
}

export function envelopeOf(err: GatewayError): ErrorEnvelope {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } }
}

export function errorResponse(err: GatewayError, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(envelopeOf(err)), {
    status: err.status,
    headers: { 'content-type': 'application/json', ...err.headers, ...headers },
  })
}
