/** The state one chat request's stages share, and the per-attempt plumbing. */
import type { GuardContext } from '../guardrails/decision.ts'
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
  deadline: number
  timeoutMs: number
  accounting: Accounting
  tel: RequestTelemetry
  /** Time spent waiting for providers so far, ms (for the overhead figure). */
  providerMs: number
  settleInfo: (status: number, stream: boolean, guardrails?: string, completionChars?: number) => SettleInfo
  release: () => void
}

export interface Attempt {
  controller: AbortController
  ctx: CallContext
}

/** A per-attempt controller, aborted with the whole request, so one failed attempt's cleanup cannot end the next. */
export function newAttempt(whole: AbortSignal, requestId: string, dropParams: boolean, timeoutMs: number): Attempt {
  const controller = new AbortController()
  if (whole.aborted) controller.abort(whole.reason)
  else whole.addEventListener('abort', () => controller.abort(whole.reason), { once: true })
  return { controller, ctx: { signal: controller.signal, requestId, dropParams, timeoutMs } }
}

export function timeoutMsFor(d: Deployment | undefined, req: ChatRequest, fallbackMs: number): number {
  if (!d) return fallbackMs
  const key = req.stream && typeof d.params.stream_timeout === 'number' ? 'stream_timeout' : 'timeout'
  const secs = d.params[key]
  return typeof secs === 'number' && secs > 0 ? secs * 1000 : fallbackMs
}

export function numRetries(d: Deployment, fallback: number): number {
  const n = d.params.max_retries
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : fallback
}
