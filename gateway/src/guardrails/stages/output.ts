/**
 * Output checks on a whole (non-stream) response: span detectors over the
 * assistant text (redactions applied), hooks on the result, and tool-call
 * arguments checked as text too (a tool call cannot be redacted: a flag in
 * one blocks).
 */
import type { ProviderResult } from '../../providers/types.ts'
import { PASS, decideFindings, report, runHook, type Decision, type GuardContext } from '../decision.ts'
import type { Guardrail } from '../guardrail.ts'
import { scanWhole } from '../scan.ts'
import { auditMonitors } from './input.ts'

export interface OutputOutcome {
  result: ProviderResult
  decision: Decision
}

export async function evaluateOutput(result: ProviderResult, guards: readonly Guardrail[], cx: GuardContext): Promise<OutputOutcome> {
  const enforcing = guards.filter((g) => g.action !== 'monitor')
  const detectors = enforcing.flatMap((g) => g.detectors)
  let content = result.content
  if (detectors.length > 0) {
    const toolText = (result.toolCalls ?? []).map((t) => t.function.arguments).join('\n')
    if (toolText) {
      const d = decideFindings(cx, scanWhole(detectors, toolText).findings.map((f) => ({ ...f, action: 'block' as const })), 'output')
      if (d.kind !== 'pass') return { result, decision: d }
    }
    if (content) {
      const r = scanWhole(detectors, content)
      const d = decideFindings(cx, r.findings, 'output')
      if (d.kind !== 'pass') return { result, decision: d }
      if (r.redactions.length > 0) {
        content = r.redacted
        for (const name of new Set(r.redactions.map((f) => f.detector))) report(cx, cx.set.byName.get(name)!, 'output', 'redact')
      }
    }
  }
  const text = content ?? ''
  for (const g of guards) {
    if (!g.hooks.checkOutput) continue
    const d = await runHook(cx, g, 'output', () => g.hooks.checkOutput!({ text }))
    if (d.kind !== 'pass') return { result, decision: d }
  }
  auditMonitors(guards, text, cx, 'output')
  return { result: content === result.content ? result : { ...result, content }, decision: PASS }
}
