/** The state one chat request's stages share, and the per-attempt plumbing. */
import { GatewayError } from '../errors/gateway-error.ts'
import { toGatewayError } from '../errors/envelope.ts'
import { upstreamError } from '../errors/upstream.ts'
import type { GuardContext } from '../guardrails/decision.ts'
import { startDuring } from '../guardrails/pipeline.ts'
import type { GuardPlan } from '../guardrails/pipeline.ts'
import type { RequestTelemetry } from '../observability/telemetry.ts'
import type { ChatRequest } from '../openai/types.ts'
import type { CallContext, Deployment } from '../providers/types.ts'
import type { GatewayServices } from '../services.ts'
import type { Accounting, SettleInfo } from './accounting.ts'
import type { ChatCall } from './serve.ts'

export interface Run {
  s: GatewayServices
  call: ChatCall
  /** The request after the input guardrails (not yet fitted to a provider). */
  request: ChatRequest
  plan: GuardPlan
  gx: GuardContext
  id: string
  created: number
  headers: Record<string, string>
  /** Aborted by the client leaving, the deadline, a during_call flag or shutdown. */
  whole: AbortController
  /** When the whole request must be over (Date.now() ms; request_timeout). */
  deadline: number
  accounting: Accounting
  tel: RequestTelemetry
  /** Time spent waiting for providers so far, ms (for the overhead figure). */
  providerMs: number
  settleInfo: (status: number, stream: boolean, guardrails?: string, completionChars?: number) => SettleInfo
  release: () => void
  /** Ends the winning attempt (its timer) when the request is released. */
  endAttempt?: () => void
}

export interface Attempt {
  controller: AbortController
  ctx: CallContext
  /** Stops the attempt's timer and unhooks it from the whole request; idempotent. */
  end: () => void
}

/**
 * A per-attempt controller, aborted with the whole request, so one failed
 * attempt's cleanup cannot end the next; and aborted with the provider's
 * timeout error when the deployment's own `timeout` (`stream_timeout` for
 * streams) passes first. The timer is cleared by `end()`, so nothing
 * outlives the attempt.
 */
export function newAttempt(whole: AbortSignal, d: Deployment, requestId: string, dropParams: boolean, timeoutMs: number): Attempt {
  const controller = new AbortController()
  const ctx = { signal: controller.signal, requestId, dropParams }
  if (whole.aborted) {
    controller.abort(whole.reason)
    return { controller, ctx, end: () => {} }
  }
  const onWhole = () => controller.abort(whole.reason)
  whole.addEventListener('abort', onWhole, { once: true })
  const timer = timeoutMs > 0 && Number.isFinite(timeoutMs)
    ? setTimeout(() => controller.abort(deploymentTimeout(d, timeoutMs)), timeoutMs)
    : undefined
  return {
    controller, ctx,
    end: () => {
      clearTimeout(timer)
      whole.removeEventListener('abort', onWhole)
    },
  }
}

function deploymentTimeout(d: Deployment, ms: number): GatewayError {
  return upstreamError({ provider: d.provider, kind: 'timeout', cause: new Error(`no answer from ${d.id} within its timeout of ${ms / 1000} s`) })
}

/** A deployment's own timeout for this request (`stream_timeout` for streams when set, else `timeout`); 0 when it sets none. */
export function timeoutMsFor(d: Deployment, req: ChatRequest): number {
  const key = req.stream && typeof d.params.stream_timeout === 'number' ? 'stream_timeout' : 'timeout'
  const secs = d.params[key]
  return typeof secs === 'number' && secs > 0 ? secs * 1000 : 0
}

export function numRetries(d: Deployment, fallback: number): number {
  const n = d.params.max_retries
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fallback
}

/** What the failover loop needs from a run. */
export function failoverOptions(run: Run) {
  return {
    s: run.s, model: run.request.model, request: run.request, accounting: run.accounting, whole: run.whole.signal,
    deadline: run.deadline, requestId: run.call.requestId, tel: run.tel,
    onProviderTime: (ms: number) => (run.providerMs += ms),
    adopt: (end: () => void) => (run.endAttempt = end),
  }
}

/** The gateway's own share of the time to answer: x-gateway-overhead-duration-ms and the overhead histogram. */
export function finishOverhead(run: Run): void {
  const ms = Math.max(0, performance.now() - run.call.startedAt - run.providerMs)
  run.headers['x-gateway-overhead-duration-ms'] = ms.toFixed(2)
  run.tel.overhead(ms)
}

/** Starts the during_call checks; a flag aborts the whole request's upstream work. */
export function watchDuring(run: Run) {
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
export function abortReason(signal: AbortSignal, err: unknown): unknown {
  return signal.aborted && signal.reason instanceof GatewayError ? signal.reason : err
}

/** Runs a guardrail stage inside its trace span (when any guardrail runs; otherwise `f` as it is, sync or not). */
export function traced<T>(tel: Run['tel'], stage: string, on: boolean, f: () => T | Promise<T>): T | Promise<T> {
  return on ? tracedSpan(tel, stage, f) : f()
}

async function tracedSpan<T>(tel: Run['tel'], stage: string, f: () => T | Promise<T>): Promise<T> {
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
