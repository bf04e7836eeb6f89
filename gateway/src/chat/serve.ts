/**
 * The chat-completions pipeline, free of HTTP-server concerns:
 * validate -> route to a deployment -> fit params to the provider ->
 * guardrail input stages -> call (stream or not) under one deadline and the
 * client's abort signal, retrying failures that happen before anything
 * reached the client, with during_call checks alongside -> guardrail output
 * stages -> render the OpenAI response.
 */
import { GatewayError } from '../errors/gateway-error.ts'
import { upstreamError } from '../errors/upstream.ts'
import type { GuardContext } from '../guardrails/decision.ts'
import { guardEvents, guardRequest, guardResult, planFor, startDuring, type GuardPlan } from '../guardrails/pipeline.ts'
import { selectGuardrails } from '../guardrails/select.ts'
import { passthroughEvents, passthroughResult } from '../guardrails/violation.ts'
import { completionId } from '../openai/ids.ts'
import { ChunkWriter, renderCompletion, type ResponseIdentity } from '../openai/render.ts'
import { SSE_HEADERS } from '../openai/sse.ts'
import type { ChatRequest } from '../openai/types.ts'
import { validateChatRequest } from '../openai/validate.ts'
import { fitToProvider } from '../providers/params.ts'
import type { CallContext, Deployment, ProviderName, ProviderResult, StreamEvent } from '../providers/types.ts'
import type { GatewayServices } from '../services.ts'
import { startRelay, type RelayOptions, type StreamOutcome } from '../streaming/relay.ts'
import { logRequest } from './request-log.ts'
import { withRetries, type RetryOptions } from './retry.ts'

export interface ChatCall {
  requestId: string
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal
  startedAt: number
  /** The `x-guardrails` request header, if any. */
  guardrailsHeader?: string | null
}

/** Everything one request's stages share. */
interface Run {
  s: GatewayServices
  call: ChatCall
  request: ChatRequest
  deployment: Deployment
  plan: GuardPlan
  gx: GuardContext
  who: ResponseIdentity
  headers: Record<string, string>
  /** Aborted by the client leaving, the deadline, or a during_call flag. */
  whole: AbortController
  retry: RetryOptions
  release: () => void
  log: (status: number, o: Partial<StreamOutcome>) => void
  attempt: () => Attempt
}

/** Runs one chat completion; returns the response, or throws a GatewayError. */
export async function serveChat(body: unknown, s: GatewayServices, call: ChatCall): Promise<Response> {
  const parsed = validateChatRequest(body)
  const plan = planFor(selectGuardrails(s.guardrails, parsed.guardrails, call.guardrailsHeader ?? null))
  const deployment = s.router.pick(parsed.model)
  if (parsed.max_tokens === undefined && typeof deployment.params.max_tokens === 'number') parsed.max_tokens = deployment.params.max_tokens
  const provider = s.providers[deployment.provider]
  const dropParams = typeof deployment.params.drop_params === 'boolean' ? deployment.params.drop_params : s.config.settings.dropParams
  const fitted = fitToProvider(parsed, provider, dropParams)

  const headers: Record<string, string> = { 'x-gateway-model-used': deployment.modelName }
  if (fitted.dropped.length > 0) headers['x-gateway-dropped-params'] = fitted.dropped.join(',')
  if (plan.applied.length > 0) headers['x-guardrails-applied'] = plan.applied.join(',')
  const gx: GuardContext = { set: s.guardrails, log: s.log, requestId: call.requestId }
  const who: ResponseIdentity = { id: completionId(), created: Math.floor(Date.now() / 1000), model: parsed.model }

  const guarded = await guardRequest(fitted.request, plan, gx).catch((err: unknown) => {
    throw withHeaders(err, headers)
  })
  const request = guarded.request
  if (guarded.decision.kind === 'passthrough') {
    const g = guarded.decision.guardrail
    if (!request.stream) return Response.json(renderCompletion(who, passthroughResult(g)), { headers })
    const body = await startRelay(relayOptions(passthroughEvents(g), request, provider.name, who, s, new AbortController()))
    return new Response(body, { headers: { ...SSE_HEADERS, ...headers } })
  }

  // One controller for the whole request: the client leaving or the deadline passing ends every attempt.
  const whole = new AbortController()
  const timeoutMs = deploymentTimeoutMs(deployment, request, s.config.settings.requestTimeoutMs)
  const timer = setTimeout(() => whole.abort(upstreamError({ provider: provider.name, kind: 'timeout' })), timeoutMs)
  const onClientAbort = () => whole.abort(new DOMException('client disconnected', 'AbortError'))
  call.clientSignal.addEventListener('abort', onClientAbort, { once: true })
  const run: Run = {
    s, call, request, deployment, plan, gx, who, headers, whole,
    retry: {
      retries: numRetries(deployment, s.config.settings.numRetries),
      signal: whole.signal,
      deadline: Date.now() + timeoutMs,
      onRetry: (n, err, delayMs) => s.log.info('retry', { request_id: call.requestId, deployment: deployment.id, attempt: n, error_type: err.errorType, delay_ms: delayMs }),
    },
    release: () => {
      clearTimeout(timer)
      call.clientSignal.removeEventListener('abort', onClientAbort)
    },
    log: (status, o) => logRequest(s.log, call, { request, deployment, status, outcome: o }),
    attempt: () => newAttempt(whole.signal, call.requestId, dropParams, timeoutMs),
  }
  try {
    return request.stream ? await serveStream(run) : await serveWhole(run)
  } catch (err) {
    run.release()
    throw withHeaders(abortReason(whole.signal, err), headers)
  }
}

/** Errors carry the request's guardrail and routing headers too. */
function withHeaders(err: unknown, headers: Record<string, string>): unknown {
  if (err instanceof GatewayError) for (const [k, v] of Object.entries(headers)) err.headers[k] ??= v
  return err
}

async function serveWhole(run: Run): Promise<Response> {
  const provider = run.s.providers[run.deployment.provider]
  const during = watchDuring(run)
  const completion = withRetries(async () => {
    const a = run.attempt()
    try {
      return await provider.complete(run.request, run.deployment, a.ctx)
    } finally {
      a.controller.abort()
    }
  }, run.retry)
  let result: ProviderResult
  if (during) {
    const [r, d] = await Promise.allSettled([completion, during])
    if (d.status === 'rejected') throw d.reason
    if (d.value.kind === 'passthrough') return finishWhole(run, passthroughResult(d.value.guardrail))
    if (r.status === 'rejected') throw r.reason
    result = r.value
  } else result = await completion
  const checked = await guardResult(result, run.plan, run.gx)
  if (checked.decision.kind === 'passthrough') return finishWhole(run, { ...passthroughResult(checked.decision.guardrail), usage: result.usage })
  return finishWhole(run, checked.result)
}

function finishWhole(run: Run, result: ProviderResult): Response {
  run.release()
  run.log(200, { usage: result.usage, finishReason: result.finishReason, clientAborted: false })
  return Response.json(renderCompletion(run.who, result), { headers: run.headers })
}

async function serveStream(run: Run): Promise<Response> {
  const provider = run.s.providers[run.deployment.provider]
  const during = watchDuring(run)
  const body = await withRetries(async () => {
    const a = run.attempt()
    const events = guardEvents(provider.stream(run.request, run.deployment, a.ctx), run.plan, run.gx, during, () => a.controller.abort())
    return startRelay(relayOptions(events, run.request, provider.name, run.who, run.s, a.controller, (outcome) => {
      run.release()
      run.log(outcome.error ? outcome.error.status : 200, outcome)
    }))
  }, run.retry)
  return new Response(body, { headers: { ...SSE_HEADERS, ...run.headers } })
}

/** Starts the during_call checks; a flag aborts the whole request's upstream work. */
function watchDuring(run: Run) {
  const during = startDuring(run.request, run.plan, run.gx)
  if (!during) return undefined
  const flagged = new Error('during_call guardrail flagged the request')
  return during.then(
    (d) => {
      if (d.kind !== 'pass' && !run.request.stream) run.whole.abort(flagged)
      return d
    },
    (err) => {
      run.whole.abort(flagged)
      throw err
    },
  )
}

function relayOptions(
  events: AsyncIterable<StreamEvent>, request: ChatRequest, provider: ProviderName, who: ResponseIdentity, s: GatewayServices,
  upstream: AbortController, onEnd?: (o: StreamOutcome) => void,
): RelayOptions {
  return {
    events,
    writer: new ChunkWriter(who),
    provider,
    includeUsage: request.stream_options?.include_usage === true,
    keepaliveMs: s.config.settings.streamKeepaliveMs,
    upstream,
    ...(onEnd ? { onEnd } : {}),
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
