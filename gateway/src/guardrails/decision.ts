/**
 * Turning findings and hook verdicts into one decision per request stage,
 * with metrics and a log line for every flag. Monitor guardrails only count
 * and log; a hook that throws fails closed (treated as a flag) unless its
 * guardrail says `fail_open: true`.
 */
import type { Logger } from '../observability/log.ts'
import { describeError } from '../observability/log.ts'
import type { GuardrailSet } from './config.ts'
import type { Guardrail, HookVerdict } from './guardrail.ts'
import type { CountedAction, GuardrailStage } from './metrics.ts'
import type { Finding } from './types.ts'

export type Decision =
  | { kind: 'pass' }
  | { kind: 'block' | 'passthrough'; guardrail: Guardrail; entity?: string }

export const PASS: Decision = { kind: 'pass' }

export interface GuardContext {
  set: GuardrailSet
  log: Logger
  requestId: string
}

export function report(cx: GuardContext, g: Guardrail, stage: GuardrailStage, action: CountedAction, entity?: string): void {
  cx.set.metrics.inc(g.name, stage, action)
  cx.log.info('guardrail', { request_id: cx.requestId, guardrail: g.name, stage, action, ...(entity ? { entity } : {}) })
}

/** The decision a flag by `g` leads to; monitor guardrails pass (after reporting). */
export function flag(cx: GuardContext, g: Guardrail, stage: GuardrailStage, entity: string | undefined, counted = true): Decision {
  if (g.action === 'monitor') {
    report(cx, g, stage, 'monitor', entity)
    return PASS
  }
  const kind = g.action === 'passthrough' ? 'passthrough' : 'block'
  if (counted) report(cx, g, stage, kind, entity)
  return entity === undefined ? { kind, guardrail: g } : { kind, guardrail: g, entity }
}

/** The first blocking finding's decision (findings are sorted); redact findings are applied by the caller. */
export function decideFindings(cx: GuardContext, findings: readonly Finding[], stage: GuardrailStage, counted = true): Decision {
  for (const f of findings) {
    if (f.action !== 'block') continue
    const g = cx.set.byName.get(f.detector)
    if (!g) continue
    const d = flag(cx, g, stage, f.entity, counted)
    if (d.kind !== 'pass') return d
  }
  return PASS
}

/** Runs one hook, failing closed unless the guardrail is fail_open. */
export async function runHook(
  cx: GuardContext, g: Guardrail, stage: GuardrailStage, call: () => ReturnType<NonNullable<Guardrail['hooks']['checkInput']>>, counted = true,
): Promise<Decision> {
  let verdict: HookVerdict | undefined | null | false
  try {
    verdict = await call()
  } catch (err) {
    cx.set.metrics.inc(g.name, stage, 'error')
    cx.log.error('guardrail failed', { request_id: cx.requestId, guardrail: g.name, stage, fail_open: g.failOpen, ...describeError(err) })
    return g.failOpen ? PASS : flag(cx, g, stage, 'GUARDRAIL_ERROR', counted)
  }
  return verdict && verdict.flagged ? flag(cx, g, stage, verdict.entity, counted) : PASS
}
