/**
 * x-request-id on every answer: the client's own id when it is well formed,
 * otherwise one minted for the request (openai/ids.ts). It is put on the
 * Response a route returns, as built: handing it to Elysia through
 * `set.headers` would make Elysia copy every Response (stream-backed) to merge
 * them. Objects that Elysia turns into a Response get it through `set.headers`;
 * the error handler puts it on error envelopes itself (`requestIdOf`).
 */
import { Elysia } from 'elysia'
import { requestIdFrom } from '../openai/ids.ts'

const ID = Symbol('x-request-id')
type Tagged = Request & { [ID]?: string }

/** The request's id: the client's, or one minted on first use. */
export function requestIdOf(request: Request): string {
  return ((request as Tagged)[ID] ??= requestIdFrom(request.headers.get('x-request-id')))
}

export function requestIdPlugin() {
  return new Elysia({ name: 'request-id' })
    .mapResponse({ as: 'global' }, ({ request, responseValue, set }) => {
      const id = requestIdOf(request)
      if (!(responseValue instanceof Response)) {
        set.headers['x-request-id'] = id
        return
      }
      // Bun's Response headers are always mutable (fetched ones included).
      responseValue.headers.set('x-request-id', id)
      return responseValue
    })
}
