/**
 * Reads a JSON request body with a hard byte limit. A declared length over
 * the limit is refused before reading; a body without a length (chunked) or
 * with a lying length is counted as it arrives and cut at limit + 1 byte, so
 * memory stays bounded by the limit. Compressed bodies are refused: nothing
 * is ever inflated.
 */
import { errors } from '../errors/gateway-error.ts'

export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const encoding = request.headers.get('content-encoding')
  if (encoding && encoding.toLowerCase() !== 'identity') {
    throw errors.invalidRequest('Compressed request bodies (content-encoding) are not accepted.', null, 'unsupported_content_encoding')
  }
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (Number.isFinite(declared) && declared > limitBytes) throw errors.payloadTooLarge(limitBytes)
  if (!request.body) throw errors.invalidJson('The request body is empty; send a JSON object.')

  const reader = request.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limitBytes) throw errors.payloadTooLarge(limitBytes)
      parts.push(value)
    }
  } finally {
    reader.cancel().catch(() => undefined)
  }
  if (size === 0) throw errors.invalidJson('The request body is empty; send a JSON object.')
  const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(parts, size))
  try {
    return JSON.parse(text)
  } catch {
    // The parser's message quotes the input; the client gets a fixed one.
    throw errors.invalidJson('The request body is not valid JSON.')
  }
}
