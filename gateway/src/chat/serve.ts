/**
 * The chat-completions pipeline, free of HTTP-server concerns:
 * validate -> key allowlist -> route to a deployment -> fit params ->
 * guardrail input stages -> budget and rate limits -> call (stream or not)
 * under one deadline and the client's abort signal, retrying failures that
 * happen before anything reached the client, with during_call checks
 * alongside -> guardrail output stages -> cost, spend -> the OpenAI response.
 */
import type { Principal } from '../auth/principal.ts'
import { requireModel } from '../auth/principal.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { upstreamError } from '../errors/upstream.ts'
import { guardEvents, guardRequest, guardResult, planFor, startDuring } from '../guardrails/pipeline.ts'
import { selectGuardrails } from '../guardrails/select.ts'
import { passthroughEvents, passthroughResult } from '../guardrails/violation.ts'
import { completionId } from '../openai/ids.ts'
import { ChunkWriter, renderCompletion } from '../openai/render.ts'
import { SSE_HEADERS } from '../openai/sse.ts'
import { validateChatRequest } from '../openai/validate.ts'
import { fitToProvider } from '../providers/params.ts'
import type { ProviderResult } from '../providers/types.ts'
import type { GatewayServices } from '../services.ts'
import { startRelay, type RelayOptions } from '../streaming/relay.ts'
import { admitRequest } from './accounting.ts'
import { logRequest } from './request-log.ts'
import { withRetries } from './retry.ts'
import { newAttempt, numRetries, timeoutMsFor, type Run } from './run.ts'

export interface ChatCall {
  requestId: string
  principal: Principal
  /** Aborts when the client goes away. */
  clientSignal: AbortSignal
  startedAt: number
  /** The `x-guardrails` request header, if any. */
  guardrailsHeader?: string | null
}

/** Runs one chat completion; returns the response, or throws a GatewayError. */
export async function serveChat(body: unknown, s: GatewayServices, call: ChatCall): Promise<Response> {
  const parsed = validateChatRequest(body)
  requireModel(call.principal, parsed.model)
  const keyGuardrails = call.principal.kind === 'key' ? call.principal.key.guardrails : []
  const plan = planFor(selectGuardrails(s.guardrails, [...(parsed.guardrails ?? []), ...keyGuardrails], call.guardrailsHeader ?? null))
  const deployment = s.router.pick(parsed.model)
  if (parsed.max_tokens === undefined && typeof deployment.params.max_tokens === 'number') parsed.max_tokens = deployment.params.max_tokens
  const provider = s.providers[deployment.provider]
  const dropParams = typeof deployment.params.drop_params === 'boolean' ? deployment.params.drop_params : s.config.settings.dropParams
  const fitted = fitToProvider(parsed, provider, dropParams)

  const headers: Record<string, string> = { 'x-gateway-model-used': deployment.modelName }
  if (fitted.dropped.length > 0) headers['x-gateway-dropped-params'] = fitted.dropped.join(',')
  if (plan.applied.length > 0) headers['x-guardrails-applied'] = plan.applied.join(',')
  const gx = { set: s.guardrails, log: s.log, requestId: call.requestId }
  const who = { id: completionId(), created: Math.floor(Date.now() / 1000), model: parsed.model }
  const fail = (err: unknown) => {
    throw withHeaders(err, headers)
  }

  const guarded = await guardRequest(fitted.request, plan, gx).catch(fail)
  const request = guarded.request
  const accounting = await admitRequest(s, call.principal, deployment, request).catch(fail)
  Object.assign(headers, accounting.headers)
  const settleInfo = (status: number, stream: boolean, guardrails = plan.applied.join(','), completionChars?: number) => ({
    requestId: call.requestId, status, stream, latencyMs: performance.now() - call.startedAt, guardrails, ...(completionChars !== undefined ? { completionChars } : {}),
  })

  if (guarded.decision.kind === 'passthrough') {
    const g = guarded.decision.guardrail
    const cost = accounting.settle(passthroughResult(g).usage, settleInfo(200, request.stream, `flagged:${g.name}`))
    headers['x-gateway-response-cost'] = String(cost)
    if (!request.stream) return Response.json(renderCompletion(who, passthroughResult(g)), { headers })
    const body = await startRelay({ ...relayBase(s, request.stream_options?.include_usage === true), events: passthroughEvents(g), writer: new ChunkWriter(who), provider: provider.name, upstream: new AbortController() })
    return new Response(body, { headers: { ...SSE_HEADERS, ...headers } })
  }

  // One controller for the whole request: the client leaving or the deadline passing ends every attempt.
  const whole = new AbortController()
  const timeoutMs = timeoutMsFor(deployment, request, s.config.settings.requestTimeoutMs)
  const timer = setTimeout(() => whole.abort(upstreamError({ provider: provider.name, kind: 'timeout' })), timeoutMs)
  const onClientAbort = () => whole.abort(new DOMException('client disconnected', 'AbortError'))
  call.clientSignal.addEventListener('abort', onClientAbort, { once: true })
  const run: Run = {
    s, call, request, deployment, plan, gx, who, headers, whole, accounting, settleInfo,
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
    return fail(abortReason(whole.signal, err))
  }
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
    if (r.status === 'fulfilled') run.headers['x-gateway-response-cost'] = String(run.accounting.settle(r.value.usage, run.settleInfo(200, false)))
    if (d.status === 'rejected') throw d.reason
    if (d.value.kind === 'passthrough') return finishWhole(run, passthroughResult(d.value.guardrail))
    if (r.status === 'rejected') throw r.reason
    result = r.value
  } else {
    result = await completion
    run.headers['x-gateway-response-cost'] = String(run.accounting.settle(result.usage, run.settleInfo(200, false)))
  }
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
  let cost = 0
  const body = await withRetries(async () => {
    const a = run.attempt()
    const events = guardEvents(provider.stream(run.request, run.deployment, a.ctx), run.plan, run.gx, during, () => a.controller.abort())
    return startRelay({
      ...relayBase(run.s, run.request.stream_options?.include_usage === true),
      events, writer: new ChunkWriter(run.who), provider: provider.name, upstream: a.controller,
      trailer: (o) => {
        cost = run.accounting.settle(o.usage, run.settleInfo(o.error?.status ?? (o.clientAborted ? 499 : 200), true, undefined, o.completionChars))
        return `x-gateway-response-cost=${cost}`
      },
      onEnd: (o) => {
        run.release()
        // A client that left before the end never reached the trailer: bill what was streamed.
        if (o.clientAborted) run.accounting.settle(o.usage, run.settleInfo(499, true, undefined, o.completionChars))
        run.log(o.error ? o.error.status : o.clientAborted ? 499 : 200, o)
      },
    })
  }, run.retry)
  return new Response(body, { headers: { ...SSE_HEADERS, ...run.headers } })
}

function relayBase(s: GatewayServices, includeUsage: boolean): Pick<RelayOptions, 'includeUsage' | 'keepaliveMs'> {
  return { includeUsage, keepaliveMs: s.config.settings.streamKeepaliveMs }
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

/** Errors carry the request's guardrail, routing and rate-limit headers too. */
function withHeaders(err: unknown, headers: Record<string, string>): unknown {
  if (err instanceof GatewayError) for (const [k, v] of Object.entries(headers)) err.headers[k] ??= v
  return err
}

/** When our deadline aborted the call, report the deadline's error rather than the adapter's abort error. */
function abortReason(signal: AbortSignal, err: unknown): unknown {
  return signal.aborted && signal.reason instanceof GatewayError ? signal.reason : err
}
