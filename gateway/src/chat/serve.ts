/**
 * The chat-completions pipeline, free of HTTP-server concerns:
 * validate -> key allowlist -> guardrail input stages -> key budget and
 * limits -> failover (deployments, retries, fallbacks; see failover.ts) under
 * one deadline and the client's abort signal, with during_call checks
 * alongside -> guardrail output stages -> cost, spend -> the OpenAI response.
 */
import type { Principal } from '../auth/principal.ts'
import { requireModel } from '../auth/principal.ts'
import { GatewayError, errors } from '../errors/gateway-error.ts'
import { toGatewayError } from '../errors/envelope.ts'
import { guardEvents, guardRequest, guardResult, planFor, startDuring } from '../guardrails/pipeline.ts'
import { selectGuardrails } from '../guardrails/select.ts'
import { passthroughEvents, passthroughResult } from '../guardrails/violation.ts'
import { completionId } from '../openai/ids.ts'
import { ChunkWriter, renderCompletion } from '../openai/render.ts'
import { SSE_HEADERS } from '../openai/sse.ts'
import { validateChatRequest } from '../openai/validate.ts'
import type { ProviderName, ProviderResult, StreamEvent } from '../providers/types.ts'
import type { GatewayServices } from '../services.ts'
import { startRelay, type RelayOptions } from '../streaming/relay.ts'
import { Accounting } from './accounting.ts'
import { failover, type Target } from './failover.ts'
import { logRequest } from './request-log.ts'
import { timeoutMsFor, type Run } from './run.ts'

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
  const keyAlias = call.principal.kind === 'master' ? 'master' : (call.principal.key.keyAlias ?? 'key')
  // Unknown names stay out of metrics and logs: they are the caller's free text (and bound label cardinality).
  const modelLabel = s.router.has(parsed.model) ? parsed.model : 'unknown'
  const tel = s.telemetry.startRequest({ requestId: call.requestId, route: 'chat.completions', model: modelLabel, stream: parsed.stream, keyAlias })
  const headers: Record<string, string> = {}
  let run: Run | undefined
  try {
    requireModel(call.principal, parsed.model)
    if (!s.router.has(parsed.model)) throw errors.modelNotFound(parsed.model)
    const keyGuardrails = call.principal.kind === 'key' ? call.principal.key.guardrails : []
    const plan = planFor(selectGuardrails(s.guardrails, [...(parsed.guardrails ?? []), ...keyGuardrails], call.guardrailsHeader ?? null))
    if (plan.applied.length > 0) headers['x-guardrails-applied'] = plan.applied.join(',')
    const gx = { set: s.guardrails, log: s.log, requestId: call.requestId }
    const guarded = await traced(tel, 'input', plan.applied.length > 0, () => guardRequest(parsed, plan, gx))
    const accounting = await Accounting.admitKey(s, call.principal, guarded.request)
    Object.assign(headers, accounting.headers)
    const timeoutMs = timeoutMsFor(s.router.deploymentsOf(parsed.model)?.[0], parsed, s.config.settings.requestTimeoutMs)
    run = newRun(s, call, guarded.request, plan, gx, headers, accounting, tel, timeoutMs)
    if (guarded.decision.kind === 'passthrough') return await answerEarly(run, guarded.decision.guardrail)
    return await (run.request.stream ? serveStream(run) : serveWhole(run))
  } catch (err) {
    const ge = toGatewayError(err)
    if (headers['x-gateway-overhead-duration-ms'] === undefined) {
      const ms = Math.max(0, performance.now() - call.startedAt - (run?.providerMs ?? 0))
      headers['x-gateway-overhead-duration-ms'] = ms.toFixed(2)
      tel.overhead(ms)
    }
    for (const [k, v] of Object.entries(headers)) ge.headers[k] ??= v
    tel.end({ status: ge.status, errorType: ge.errorType })
    logRequest(s.log, call, { request: { ...parsed, model: modelLabel }, deployment: undefined, status: ge.status, outcome: { error: ge }, ...(headers['x-guardrails-applied'] ? { guardrails: headers['x-guardrails-applied'] } : {}) })
    throw ge
  }
}

/** Runs a guardrail stage inside its trace span (when any guardrail runs). */
async function traced<T>(tel: Run['tel'], stage: string, on: boolean, f: () => Promise<T>): Promise<T> {
  if (!on) return f()
  const span = tel.guardrailStage(stage)
  try {
    const v = await f()
    span.end()
    return v
  } catch (err) {
    span.end({ errorType: toGatewayError(err).errorType })
    throw err
  }
}

function newRun(
  s: GatewayServices, call: ChatCall, request: Run['request'], plan: Run['plan'], gx: Run['gx'], headers: Record<string, string>,
  accounting: Accounting, tel: Run['tel'], timeoutMs: number,
): Run {
  // One controller for the whole request: the client leaving, the deadline or shutdown ends every attempt.
  const whole = new AbortController()
  const timer = setTimeout(() => whole.abort(errors.deadlineExceeded(timeoutMs)), timeoutMs)
  const onClientAbort = () => whole.abort(new DOMException('client disconnected', 'AbortError'))
  call.clientSignal.addEventListener('abort', onClientAbort, { once: true })
  s.lifecycle.inflight.add(whole)
  s.retryBudget.requestStarted()
  let released = false
  return {
    s, call, request, plan, gx, headers, whole, timeoutMs, accounting, tel,
    id: completionId(),
    created: Math.floor(Date.now() / 1000),
    deadline: Date.now() + timeoutMs,
    providerMs: 0,
    settleInfo: (status, stream, guardrails = plan.applied.join(','), completionChars) => ({
      requestId: call.requestId, status, stream, latencyMs: performance.now() - call.startedAt, guardrails, ...(completionChars !== undefined ? { completionChars } : {}),
    }),
    release: () => {
      if (released) return
      released = true
      clearTimeout(timer)
      call.clientSignal.removeEventListener('abort', onClientAbort)
      s.lifecycle.inflight.delete(whole)
      s.retryBudget.requestEnded()
    },
  }
}

/** The input guardrails answered for the model: no provider call. */
async function answerEarly(run: Run, g: import('../guardrails/guardrail.ts').Guardrail): Promise<Response> {
  const d = run.s.router.deploymentsOf(run.request.model)![0]!
  const result = passthroughResult(g)
  run.headers['x-gateway-response-cost'] = String(run.accounting.settle(d, result.usage, run.settleInfo(200, run.request.stream, `flagged:${g.name}`)))
  run.headers['x-gateway-model-used'] = run.request.model
  finishOverhead(run)
  run.release()
  run.tel.end({ status: 200, usage: result.usage, cost: 0, modelUsed: run.request.model })
  if (!run.request.stream) return Response.json(renderCompletion({ id: run.id, created: run.created, model: run.request.model }, result), { headers: run.headers })
  const body = await startRelay(relayOptions(run, passthroughEvents(g), run.request.model, d.provider, new AbortController()))
  return new Response(body, { headers: { ...SSE_HEADERS, ...run.headers } })
}

async function serveWhole(run: Run): Promise<Response> {
  const during = watchDuring(run)
  const attempt = failover(failoverOptions(run), async (t, a) => {
    try {
      return await t.provider.complete(t.request, t.deployment, a.ctx)
    } finally {
      a.controller.abort()
    }
  })
  let outcome: { value: ProviderResult; target: Target }
  try {
    if (during) {
      const [r, d] = await Promise.allSettled([attempt, during])
      if (r.status === 'fulfilled') settleWhole(run, r.value.target, r.value.value.usage)
      if (d.status === 'rejected') throw d.reason
      if (d.value.kind === 'passthrough') return finishWhole(run, r.status === 'fulfilled' ? r.value.target : undefined, passthroughResult(d.value.guardrail))
      if (r.status === 'rejected') throw r.reason
      outcome = r.value
    } else {
      outcome = await attempt
      settleWhole(run, outcome.target, outcome.value.usage)
    }
    const checked = await traced(run.tel, 'output', run.plan.post.length > 0, () => guardResult(outcome.value, run.plan, run.gx))
    const result = checked.decision.kind === 'passthrough' ? { ...passthroughResult(checked.decision.guardrail), usage: outcome.value.usage } : checked.result
    return finishWhole(run, outcome.target, result)
  } catch (err) {
    run.release()
    throw abortReason(run.whole.signal, err)
  }
}

function settleWhole(run: Run, t: Target, usage: ProviderResult['usage']): void {
  run.headers['x-gateway-response-cost'] = String(run.accounting.settle(t.deployment, usage, run.settleInfo(200, false)))
}

function finishWhole(run: Run, t: Target | undefined, result: ProviderResult): Response {
  const model = t?.deployment.modelName ?? run.request.model
  run.headers['x-gateway-model-used'] = model
  if (t && t.dropped.length > 0) run.headers['x-gateway-dropped-params'] = t.dropped.join(',')
  finishOverhead(run)
  run.tel.firstToken()
  run.release()
  const cost = Number(run.headers['x-gateway-response-cost'] ?? 0)
  const outcome = { usage: result.usage, finishReason: result.finishReason, clientAborted: false, completionChars: 0 }
  logRequest(run.s.log, run.call, { request: run.request, deployment: t?.deployment, status: 200, outcome, cost, guardrails: run.plan.applied.join(',') })
  run.tel.end({ status: 200, usage: result.usage, cost, modelUsed: model })
  return Response.json(renderCompletion({ id: run.id, created: run.created, model }, result), { headers: run.headers })
}

async function serveStream(run: Run): Promise<Response> {
  const during = watchDuring(run)
  try {
    const { value: body, target } = await failover(failoverOptions(run), (t, a) => {
      const events = guardEvents(t.provider.stream(t.request, t.deployment, a.ctx), run.plan, run.gx, during, () => a.controller.abort())
      return startRelay({ ...relayOptions(run, events, t.deployment.modelName, t.provider.name, a.controller), ...streamAccounting(run, t) })
    })
    run.headers['x-gateway-model-used'] = target.deployment.modelName
    if (target.dropped.length > 0) run.headers['x-gateway-dropped-params'] = target.dropped.join(',')
    finishOverhead(run)
    return new Response(body, { headers: { ...SSE_HEADERS, ...run.headers } })
  } catch (err) {
    run.release()
    throw abortReason(run.whole.signal, err)
  }
}

/** Cost in the trailer comment when the stream ends; what was streamed is billed when the client leaves. */
function streamAccounting(run: Run, t: Target): Pick<RelayOptions, 'trailer' | 'onEnd' | 'onFirstToken'> {
  let settled = false
  let cost = 0
  const settle = (o: Parameters<NonNullable<RelayOptions['onEnd']>>[0], status: number) => {
    if (settled) return
    settled = true
    cost = run.accounting.settle(t.deployment, o.usage, run.settleInfo(status, true, undefined, o.completionChars))
  }
  return {
    onFirstToken: () => run.tel.firstToken(),
    trailer: (o) => {
      settle(o, o.error?.status ?? 200)
      return `x-gateway-response-cost=${cost}`
    },
    onEnd: (o) => {
      const status = o.error ? o.error.status : o.clientAborted ? 499 : 200
      settle(o, status)
      run.release()
      logRequest(run.s.log, run.call, { request: run.request, deployment: t.deployment, status, outcome: o, cost, guardrails: run.plan.applied.join(',') })
      run.tel.end({ status, ...(o.error ? { errorType: o.error.errorType } : {}), ...(o.usage ? { usage: o.usage } : {}), cost, modelUsed: t.deployment.modelName, clientAborted: o.clientAborted })
    },
  }
}

function relayOptions(run: Run, events: AsyncIterable<StreamEvent>, model: string, provider: ProviderName, upstream: AbortController): RelayOptions {
  return {
    events, upstream, provider,
    writer: new ChunkWriter({ id: run.id, created: run.created, model }),
    includeUsage: run.request.stream_options?.include_usage === true,
    keepaliveMs: run.s.config.settings.streamKeepaliveMs,
    idleTimeoutMs: run.s.config.settings.streamIdleTimeoutMs,
    register: (terminate) => {
      run.s.lifecycle.streams.add(terminate)
      return () => run.s.lifecycle.streams.delete(terminate)
    },
  }
}

function failoverOptions(run: Run) {
  return {
    s: run.s, model: run.request.model, request: run.request, accounting: run.accounting, whole: run.whole.signal,
    deadline: run.deadline, requestId: run.call.requestId, timeoutMs: run.timeoutMs, tel: run.tel,
    onProviderTime: (ms: number) => (run.providerMs += ms),
  }
}

/** The gateway's own share of the time to answer: x-gateway-overhead-duration-ms and the overhead histogram. */
function finishOverhead(run: Run): void {
  const ms = Math.max(0, performance.now() - run.call.startedAt - run.providerMs)
  run.headers['x-gateway-overhead-duration-ms'] = ms.toFixed(2)
  run.tel.overhead(ms)
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

/** When our deadline or shutdown aborted the call, report that rather than the adapter's abort error. */
function abortReason(signal: AbortSignal, err: unknown): unknown {
  return signal.aborted && signal.reason instanceof GatewayError ? signal.reason : err
}
