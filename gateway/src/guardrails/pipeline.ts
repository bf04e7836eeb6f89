/**
 * The guardrail pipeline, in its fixed order:
 *   conversation validation -> history sanitization -> input checks (pre_call)
 *   -> provider call, with during_call checks run concurrently (a flag cancels it)
 *   -> output checks (post_call), which on a stream are the streaming output stage.
 * Pure of HTTP: chat/serve.ts calls these around the provider call.
 */
import { errors } from '../errors/gateway-error.ts'
import type { ChatMessage, ChatRequest } from '../openai/types.ts'
import type { ProviderResult, StreamEvent } from '../providers/types.ts'
import { PASS, type Decision, type GuardContext } from './decision.ts'
import type { GuardrailSet } from './config.ts'
import { runsAt, type Guardrail } from './guardrail.ts'
import { selectGuardrails } from './select.ts'
import { sanitizeHistory } from './stages/history.ts'
import { evaluateInput } from './stages/input.ts'
import { evaluateOutput } from './stages/output.ts'
import { guardStream } from './stages/stream-output.ts'
import { violationError } from './violation.ts'

/** Which guardrails run at each stage of one request. Plans are shared between requests: never change one. */
export interface GuardPlan {
  readonly pre: readonly Guardrail[]
  readonly during: readonly Guardrail[]
  readonly post: readonly Guardrail[]
  /** Names of the guardrails that run, for `x-guardrails-applied`. */
  readonly applied: readonly string[]
}

export function planFor(selected: readonly Guardrail[]): GuardPlan {
  const pre = selected.filter((g) => runsAt(g, 'pre_call'))
  const during = selected.filter((g) => runsAt(g, 'during_call'))
  const post = selected.filter((g) => runsAt(g, 'post_call'))
  const applied = selected.filter((g) => pre.includes(g) || during.includes(g) || post.includes(g)).map((g) => g.name)
  return { pre, during, post, applied }
}

const defaultPlans = new WeakMap<GuardrailSet, GuardPlan>()

/**
 * The plan for one request: the set's default_on guardrails plus those named
 * in its body, its key or its `x-guardrails` header. A request that names none
 * (the usual case) gets the set's default plan, built once.
 */
export function planRequest(set: GuardrailSet, named: readonly string[], header: string | null): GuardPlan {
  if (named.length > 0 || header) return planFor(selectGuardrails(set, named, header))
  let plan = defaultPlans.get(set)
  if (!plan) defaultPlans.set(set, (plan = planFor(selectGuardrails(set, undefined, null))))
  return plan
}

/** A flag becomes an error (block) or is returned for a passthrough answer. */
function settle(d: Decision): Decision {
  if (d.kind === 'block') throw violationError(d.guardrail, d.entity)
  return d
}

/** Conversation validation: at least one user turn. Merging turns for a provider is the adapter's job. */
export function validateConversation(messages: readonly ChatMessage[]): void {
  if (!messages.some((m) => m.role === 'user')) {
    throw errors.invalidRequest("Invalid 'messages': a conversation needs at least one user message.", 'messages')
  }
}

/**
 * The input side: validation, history sanitization and pre_call checks.
 * Returns the request the provider may see, and a passthrough decision when
 * the request must be answered without calling the provider. Throws a 400 on block.
 * With no pre_call guardrail the answer is immediate, not a promise (every
 * request without guardrails passes here; so for `guardResult`).
 */
export function guardRequest(req: ChatRequest, plan: GuardPlan, cx: GuardContext): Guarded | Promise<Guarded> {
  if (plan.applied.length === 0) return { request: req, decision: PASS }
  validateConversation(req.messages)
  if (plan.pre.length === 0) return { request: req, decision: PASS }
  return preCall(req, plan, cx)
}

type Guarded = { request: ChatRequest; decision: Decision }

async function preCall(req: ChatRequest, plan: GuardPlan, cx: GuardContext): Promise<Guarded> {
  const history = await sanitizeHistory(req.messages, plan.pre, cx)
  const r = await evaluateInput(history, plan.pre, cx, 'input')
  return { request: { ...req, messages: r.messages }, decision: settle(r.decision) }
}

/** Starts the during_call checks; resolves to their decision (block throws). */
export function startDuring(req: ChatRequest, plan: GuardPlan, cx: GuardContext): Promise<Decision> | undefined {
  if (plan.during.length === 0) return undefined
  return evaluateInput(req.messages, plan.during, cx, 'during').then((r) => settle(r.decision))
}

/** post_call on a whole response: the result to send, or a passthrough decision. Throws a 400 on block. */
export function guardResult(result: ProviderResult, plan: GuardPlan, cx: GuardContext): Checked | Promise<Checked> {
  if (plan.post.length === 0) return { result, decision: PASS }
  return evaluateOutput(result, plan.post, cx).then((r) => ({ result: r.result, decision: settle(r.decision) }))
}

type Checked = { result: ProviderResult; decision: Decision }

/**
 * The stream side: during_call checks gate the first event (the upstream call
 * runs meanwhile), then post_call guardrails filter the stream.
 */
export function guardEvents(
  events: AsyncIterable<StreamEvent>, plan: GuardPlan, cx: GuardContext, during: Promise<Decision> | undefined, abortUpstream: () => void,
): AsyncIterable<StreamEvent> {
  const gated = during ? gate(events, during, abortUpstream) : events
  return plan.post.length > 0 ? guardStream(gated, { guards: plan.post, cx, abortUpstream }) : gated
}

/** Starts the upstream at once, holds its events until the during_call checks pass. */
async function* gate(events: AsyncIterable<StreamEvent>, during: Promise<Decision>, abortUpstream: () => void): AsyncGenerator<StreamEvent> {
  const it = events[Symbol.asyncIterator]()
  const first = it.next()
  first.catch(() => undefined)
  try {
    let d: Decision
    try {
      d = await during
    } catch (err) {
      abortUpstream()
      throw err
    }
    if (d.kind === 'passthrough') {
      abortUpstream()
      yield { type: 'delta', text: d.guardrail.violationMessage }
      yield { type: 'finish', reason: 'content_filter' }
      return
    }
    for (let r = await first; !r.done; r = await it.next()) yield r.value
  } finally {
    await it.return?.()?.catch(() => undefined)
  }
}
