/**
 * Reads a JSON request body with a hard byte limit (see read-capped.ts): a
 * declared length over the limit is refused before reading, a chunked body
 * is cut at limit + 1 byte. Compressed bodies are refused: nothing is ever
 * inflated.
 */
import { errors } from '../errors/gateway-error.ts'
import { readCappedJson, type CappedJson } from './read-capped.ts'

export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const encoding = request.headers.get('content-encoding')
  if (encoding && encoding.toLowerCase() !== 'identity') {
    throw errors.invalidRequest('Compressed request bodies (content-encoding) are not accepted.', null, 'unsupported_content_encoding')
  }
  let body: CappedJson
  try {
    body = await readCappedJson(request, limitBytes)
  } catch (err) {
    // The parser's message quotes the input; the client gets a fixed one.
    if (err instanceof SyntaxError) throw errors.invalidJson('The request body is not valid JSON.')
    throw err
  }
  if (body.kind === 'too_large') throw errors.payloadTooLarge(limitBytes)
  if (body.kind === 'empty') throw errors.invalidJson('The request body is empty; send a JSON object.')
  return body.value
}
