/**
 * The chat-completions pipeline, free of HTTP-server concerns:
 * validate -> key allowlist -> guardrail input stages -> key budget and
 * limits -> failover (deployments, retries, fallbacks; see failover.ts) under
 * one deadline and the client's abort signal, with during_call checks
 * alongside -> guardrail output stages -> cost, spend -> the OpenAI response.
 */
import type { Principal } from '../auth/principal.ts'
import { requireModel } from '../auth/principal.ts'
import { errors } from '../errors/gateway-error.ts'
import { toGatewayError } from '../errors/envelope.ts'
import { guardRequest, planRequest } from '../guardrails/pipeline.ts'
import type { Guardrail } from '../guardrails/guardrail.ts'
import { passthroughEvents, passthroughResult } from '../guardrails/violation.ts'
import { completionId } from '../openai/ids.ts'
import { renderCompletion } from '../openai/render.ts'
import { SSE_HEADERS } from '../openai/sse.ts'
import { validateChatRequest } from '../openai/validate.ts'
import type { GatewayServices } from '../services.ts'
import { startRelay } from '../streaming/relay.ts'
import { Accounting } from './accounting.ts'
import { logRequest } from './request-log.ts'
import { finishOverhead, traced, type Run } from './run.ts'
import { relayOptions, serveStream } from './stream.ts'
import { serveWhole } from './whole.ts'

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
    const plan = planRequest(s.guardrails, parsed.guardrails ? [...parsed.guardrails, ...keyGuardrails] : keyGuardrails, call.guardrailsHeader ?? null)
    if (plan.applied.length > 0) headers['x-guardrails-applied'] = plan.applied.join(',')
    const gx = { set: s.guardrails, log: s.log, requestId: call.requestId }
    const guarded = await traced(tel, 'input', plan.applied.length > 0, () => guardRequest(parsed, plan, gx))
    const accounting = await Accounting.admitKey(s, call.principal, guarded.request)
    Object.assign(headers, accounting.headers)
    run = newRun(s, call, guarded.request, plan, gx, headers, accounting, tel, s.config.settings.requestTimeoutMs)
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
  const run: Run = {
    s, call, request, plan, gx, headers, whole, accounting, tel,
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
      run.endAttempt?.()
      call.clientSignal.removeEventListener('abort', onClientAbort)
      s.lifecycle.inflight.delete(whole)
      s.retryBudget.requestEnded()
    },
  }
  return run
}

/** The input guardrails answered for the model: no provider call. */
async function answerEarly(run: Run, g: Guardrail): Promise<Response> {
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

