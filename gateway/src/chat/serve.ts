/**
 * The chat-completions pipeline, free of HTTP-server concerns:
 * validate -> route to a deployment -> fit params to the provider ->
 * call (stream or not) under one deadline and the client's abort signal,
 * retrying failures that happen before anything reached the client ->
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
import type { CallContext, Deployment, Provider } from '../providers/types.ts'
import type { GatewayServices } from '../services.ts'
import { startRelay, type StreamOutcome } from '../streaming/relay.ts'
import { logRequest } from './request-log.ts'
import { withRetries } from './retry.ts'

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
  if (parsed.max_tokens === undefined && typeof deployment.params.max_tokens === 'number') parsed.max_tokens = deployment.params.max_tokens
  const provider = s.providers[deployment.provider]
  const dropParams = typeof deployment.params.drop_params === 'boolean' ? deployment.params.drop_params : s.config.settings.dropParams
  const { request, dropped } = fitToProvider(parsed, provider, dropParams)

  // One controller for the whole request: the client leaving or the deadline passing ends every attempt.
  const whole = new AbortController()
  const timeoutMs = deploymentTimeoutMs(deployment, request, s.config.settings.requestTimeoutMs)
  const deadline = Date.now() + timeoutMs
  const timer = setTimeout(() => whole.abort(upstreamError({ provider: provider.name, kind: 'timeout' })), timeoutMs)
  const onClientAbort = () => whole.abort(new DOMException('client disconnected', 'AbortError'))
  call.clientSignal.addEventListener('abort', onClientAbort, { once: true })
  const release = () => {
    clearTimeout(timer)
    call.clientSignal.removeEventListener('abort', onClientAbort)
  }

  const who: ResponseIdentity = { id: completionId(), created: Math.floor(Date.now() / 1000), model: parsed.model }
  const headers: Record<string, string> = { 'x-gateway-model-used': deployment.modelName }
  if (dropped.length > 0) headers['x-gateway-dropped-params'] = dropped.join(',')
  const log = (status: number, o: Partial<StreamOutcome>) => logRequest(s.log, call, { request, deployment, status, outcome: o })
  const attempt = () => newAttempt(whole.signal, call.requestId, dropParams, timeoutMs)
  const retry = {
    retries: numRetries(deployment, s.config.settings.numRetries),
    signal: whole.signal,
    deadline,
    onRetry: (n: number, err: GatewayError, delayMs: number) =>
      s.log.info('retry', { request_id: call.requestId, deployment: deployment.id, attempt: n, error_type: err.errorType, delay_ms: delayMs }),
  }

  try {
    if (!request.stream) {
      const result = await withRetries(async () => {
        const a = attempt()
        try {
          return await provider.complete(request, deployment, a.ctx)
        } finally {
          a.controller.abort()
        }
      }, retry)
      release()
      log(200, { usage: result.usage, finishReason: result.finishReason, clientAborted: false })
      return Response.json(renderCompletion(who, result), { headers })
    }
    const body = await withRetries(() => startStream(provider, request, deployment, attempt(), who, s, (outcome) => {
      release()
      log(outcome.error ? outcome.error.status : 200, outcome)
    }), retry)
    return new Response(body, { headers: { ...SSE_HEADERS, ...headers } })
  } catch (err) {
    release()
    throw abortReason(whole.signal, err)
  }
}

interface Attempt {
  controller: AbortController
  ctx: CallContext
}

/** A per-attempt controller, aborted with the whole request, so one failed attempt's cleanup cannot end the next. */
function newAttempt(whole: AbortSignal, requestId: string, dropParams: boolean, timeoutMs: number): Attempt {
  const controller = new AbortController()
  if (whole.aborted) controller.abort(whole.reason)
  else whole.addEventListener('abort', () => controller.abort(whole.reason), { once: true })
  return { controller, ctx: { signal: controller.signal, requestId, dropParams, timeoutMs } }
}

function startStream(
  provider: Provider, request: ChatRequest, deployment: Deployment, a: Attempt, who: ResponseIdentity,
  s: GatewayServices, onEnd: (o: StreamOutcome) => void,
): Promise<ReadableStream<Uint8Array>> {
  return startRelay({
    events: provider.stream(request, deployment, a.ctx),
    writer: new ChunkWriter(who),
    provider: provider.name,
    includeUsage: request.stream_options?.include_usage === true,
    keepaliveMs: s.config.settings.streamKeepaliveMs,
    upstream: a.controller,
    onEnd,
  })
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

function numRetries(d: Deployment, fallback: number): number {
  const n = d.params.max_retries
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fallback
}
