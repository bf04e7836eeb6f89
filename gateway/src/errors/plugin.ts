/**
 * Global error handling: every failure, including unknown routes and
 * unparseable bodies, leaves as an OpenAI envelope. Unexpected errors are
 * logged with the request id and answered with a generic 500.
 */
import { Elysia } from 'elysia'
import type { Logger } from '../observability/log.ts'
import { describeError } from '../observability/log.ts'
import { GatewayError, errors } from './gateway-error.ts'
import { errorResponse } from './envelope.ts'
import { requestIdOf } from '../http/request-id.ts'

export function errorPlugin(log: Logger) {
  return new Elysia({ name: 'errors' }).onError({ as: 'global' }, ({ code, error, request }) => {
    const id = { 'x-request-id': requestIdOf(request) }
    if (error instanceof GatewayError) return errorResponse(error, id)
    if (code === 'NOT_FOUND') return errorResponse(errors.routeNotFound(request.method, new URL(request.url).pathname), id)
    if (code === 'PARSE') return errorResponse(errors.invalidJson('The request body is not valid JSON.'), id)
    log.error('unhandled error', { request_id: id['x-request-id'], path: new URL(request.url).pathname, ...describeError(error) })
    return errorResponse(errors.internal(error), id)
  })
}
