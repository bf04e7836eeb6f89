/** POST /v1/chat/completions (alias /chat/completions). */
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin.ts'
import type { Principal } from '../auth/principal.ts'
import { serveChat } from '../chat/serve.ts'
import { errors } from '../errors/gateway-error.ts'
import { readJsonBody } from '../http/body.ts'
import { isObject } from '../openai/validate-util.ts'
import type { GatewayServices } from '../services.ts'

interface HandlerContext {
  request: Request
  principal: Principal
  server: { timeout(req: Request, secs: number): void } | null
  set: { headers: Record<string, unknown> }
}

export function chatCompletionsRoutes(s: GatewayServices) {
  const handler = async ({ request, principal, server, set }: HandlerContext) => {
    const startedAt = performance.now()
    const g = s.config.config.general_settings
    // Load shedding: refuse at once, before reading the body, rather than queue without bound.
    if (s.lifecycle.inflight.size + s.lifecycle.reading >= g.global_max_parallel_requests) throw errors.overloaded(`${g.global_max_parallel_requests} requests in flight`)
    // Bun's idle timeout stays on while the body arrives, so a stalled or trickled body is cut off.
    // Requests still sending their bodies count towards the cap too.
    s.lifecycle.reading++
    let body: unknown
    try {
      body = await readJsonBody(request, s.config.settings.maxRequestBodyBytes)
    } finally {
      s.lifecycle.reading--
    }
    // From here the gateway owns timeouts (request_timeout, keep-alives); lift Bun's idle cut-off for this request.
    server?.timeout(request, 0)
    if (isObject(body) && body.stream === true && s.lifecycle.streams.size >= g.max_open_streams) throw errors.overloaded(`${g.max_open_streams} open streams`)
    const requestId = String(set.headers['x-request-id'])
    // serveChat puts x-request-id on its answer. With set.headers empty, Elysia sends our Response as it is;
    // otherwise it copies every response into a new one (a stream-backed body) to merge them. Errors, rare,
    // get the header back the usual way (the error handler also logs it).
    set.headers = {}
    try {
      return await serveChat(body, s, {
        requestId,
        principal,
        clientSignal: request.signal,
        startedAt,
        guardrailsHeader: request.headers.get('x-guardrails'),
      })
    } catch (err) {
      set.headers['x-request-id'] = requestId
      throw err
    }
  }
  return new Elysia({ name: 'routes.chat-completions' })
    .use(authPlugin(s))
    .post('/v1/chat/completions', handler, { parse: 'none' })
    .post('/chat/completions', handler, { parse: 'none' })
}
