/**
 * Reads a JSON request body with a hard byte limit (see read-capped.ts): a
 * declared length over the limit is refused before reading, a chunked body
 * is cut at limit + 1 byte. Compressed bodies are refused: nothing is ever
 * inflated.
 */
import { errors } from '../errors/gateway-error.ts'
import { declaredLength, readCapped } from './read-capped.ts'

export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const encoding = request.headers.get('content-encoding')
  if (encoding && encoding.toLowerCase() !== 'identity') {
    throw errors.invalidRequest('Compressed request bodies (content-encoding) are not accepted.', null, 'unsupported_content_encoding')
  }
  // A declared length within the limit: Bun parses the body natively (no Uint8Array + TextDecoder copy).
  const declared = declaredLength(request)
  if (declared !== undefined && declared > 0 && declared <= limitBytes) {
    try {
      return await request.json()
    } catch {
      throw errors.invalidJson('The request body is not valid JSON.')
    }
  }
  const bytes = await readCapped(request, limitBytes)
  if (bytes === undefined) throw errors.payloadTooLarge(limitBytes)
  if (bytes.byteLength === 0) throw errors.invalidJson('The request body is empty; send a JSON object.')
  try {
    return JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    // The parser's message quotes the input; the client gets a fixed one.
    throw errors.invalidJson('The request body is not valid JSON.')
  }
}
