/** POST /v1/chat/completions (alias /chat/completions). */
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin.ts'
import type { Principal } from '../auth/principal.ts'
import { serveChat } from '../chat/serve.ts'
import { errors } from '../errors/gateway-error.ts'
import { readJsonBody } from '../http/body.ts'
import { requestIdOf } from '../http/request-id.ts'
import { isObject } from '../openai/validate-util.ts'
import type { GatewayServices } from '../services.ts'

interface HandlerContext {
  request: Request
  principal: Principal
  server: { timeout(req: Request, secs: number): void } | null
}

export function chatCompletionsRoutes(s: GatewayServices) {
  const handler = async ({ request, principal, server }: HandlerContext) => {
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
    return serveChat(body, s, {
      requestId: requestIdOf(request),
      principal,
      clientSignal: request.signal,
      startedAt,
      guardrailsHeader: request.headers.get('x-guardrails'),
    })
  }
  return new Elysia({ name: 'routes.chat-completions' })
    .use(authPlugin(s))
    .post('/v1/chat/completions', handler, { parse: 'none' })
    .post('/chat/completions', handler, { parse: 'none' })
}
