/**
 * SSE framing for what the gateway sends to clients: `data: <json>\n\n`
 * frames, keep-alive comments, and the `data: [DONE]` terminator. A stream
 * that fails after it started ends with an error frame carrying the OpenAI
 * envelope followed by `[DONE]` (the openai SDKs raise on a `data:` frame
 * with an `error` key).
 */
import type { GatewayError } from '../errors/gateway-error.ts'
import { envelopeOf } from '../errors/envelope.ts'

const encoder = new TextEncoder()

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
} as const

export const DONE_FRAME = encoder.encode('data: [DONE]\n\n')
export const KEEPALIVE_FRAME = encoder.encode(': keep-alive\n\n')

export function dataFrame(payload: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(payload)}\n\n`)
}

/** An SSE comment line (ignored by clients); newlines are not allowed in it. */
export function commentFrame(text: string): Uint8Array {
  return encoder.encode(`: ${text.replace(/[\r\n]/g, ' ')}\n\n`)
}

export function errorFrame(err: GatewayError): Uint8Array {
  return dataFrame(envelopeOf(err))
}
