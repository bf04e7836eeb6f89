/**
 * The chat-completions pipeline, free of HTTP-server concerns:
 * validate -> route to a deployment -> fit params to the provider ->
 * call (stream or not) under one deadline and the client's abort signal ->
 * render the OpenAI response.
 */
import { GatewayError } from '../errors/gateway-error.ts'
import { upstreamError } from '../errors/upstream.ts'
import { completionId } from '../openai/ids.ts'
import { ChunkWriter, renderCompletion, type ResponseIdentity } from '../openai/render.ts'
import { SSE_HEADERS } from '../openai/sse.ts'
import type { ChatRequest } from '../openai/types.ts'
import { validateChatRequest } from '../openai/validate.ts'
import { fitToProvider } from '../providers/params.ts'
import type { CallContext, Deployment } from '../providers/types.ts'
import type { GatewayServices } from '../services.ts'
import { startRelay, type StreamOutcome } from '../streaming/relay.ts'
import { logRequest } from './request-log.ts'

export interface ChatCall {
  requestId: string
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal
  startedAt: number
}

/** Runs one chat completion; returns the response, or throws a GatewayError. */
export async function serveChat(body: unknown, s: GatewayServices, call: ChatCall): Promise<Response> {
  const parsed = validateChatRequest(body)
  const deployment = s.router.pick(parsed.model)
  const provider = s.providers[deployment.provider]
  const dropParams = typeof deployment.params.drop_params === 'boolean' ? deployment.params.drop_params : s.config.settings.dropParams
  const { request, dropped } = fitToProvider(parsed, provider, dropParams)

  const upstream = new AbortController()
  const timeoutMs = deploymentTimeoutMs(deployment, request, s.config.settings.requestTimeoutMs)
  const deadline = setTimeout(() => upstream.abort(upstreamError({ provider: provider.name, kind: 'timeout' })), timeoutMs)
  const onClientAbort = () => upstream.abort(new DOMException('client disconnected', 'AbortError'))
  call.clientSignal.addEventListener('abort', onClientAbort, { once: true })
  const release = () => {
    clearTimeout(deadline)
    call.clientSignal.removeEventListener('abort', onClientAbort)
  }

  const ctx: CallContext = { signal: upstream.signal, requestId: call.requestId, dropParams, timeoutMs }
  const who: ResponseIdentity = { id: completionId(), created: Math.floor(Date.now() / 1000), model: parsed.model }
  const headers: Record<string, string> = { 'x-gateway-model-used': deployment.modelName }
  if (dropped.length > 0) headers['x-gateway-dropped-params'] = dropped.join(',')
  const log = (status: number, o: Partial<StreamOutcome>) => logRequest(s.log, call, { request, deployment, status, outcome: o })

  if (!request.stream) {
    try {
      const result = await provider.complete(request, deployment, ctx)
      log(200, { usage: result.usage, finishReason: result.finishReason, clientAborted: false })
      return Response.json(renderCompletion(who, result), { headers })
    } catch (err) {
      throw abortReason(upstream.signal, err)
    } finally {
      release()
    }
  }

  try {
    const body = await startRelay({
      events: provider.stream(request, deployment, ctx),
      writer: new ChunkWriter(who),
      provider: provider.name,
      includeUsage: request.stream_options?.include_usage === true,
      keepaliveMs: s.config.settings.streamKeepaliveMs,
      upstream,
      onEnd: (outcome) => {
        release()
        log(outcome.error ? outcome.error.status : 200, outcome)
      },
    })
    return new Response(body, { headers: { ...SSE_HEADERS, ...headers } })
  } catch (err) {
    release()
    throw abortReason(upstream.signal, err)
  }
}

/** When our deadline aborted the call, report the deadline's error rather than the adapter's abort error. */
function abortReason(signal: AbortSignal, err: unknown): unknown {
  return signal.aborted && signal.reason instanceof GatewayError ? signal.reason : err
}

function deploymentTimeoutMs(d: Deployment, req: ChatRequest, fallbackMs: number): number {
  const key = req.stream && typeof d.params.stream_timeout === 'number' ? 'stream_timeout' : 'timeout'
  const secs = d.params[key]
  return typeof secs === 'number' && secs > 0 ? secs * 1000 : fallbackMs
}
