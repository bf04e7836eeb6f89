/**
 * Input checks over a list of messages (pre_call, during_call, and each
 * history turn): span detectors on the joined text (parts of one message
 * joined directly, so a word split across parts is still seen), redactions
 * applied in place, then the async hooks on the result.
 */
import type { ChatMessage } from '../../openai/types.ts'
import { PASS, decideFindings, report, runHook, type Decision, type GuardContext } from '../decision.ts'
import type { Guardrail } from '../guardrail.ts'
import type { GuardrailStage } from '../metrics.ts'
import { scanMessagesText, scanWhole } from '../scan.ts'
import { joinedText, messageText, withText } from '../text.ts'

export interface InputOutcome {
  messages: ChatMessage[]
  decision: Decision
}

/** `counted: false` leaves counting flags to the caller (history removal counts them as `removed`). */
export async function evaluateInput(
  messages: ChatMessage[], guards: readonly Guardrail[], cx: GuardContext, stage: GuardrailStage, counted = true,
): Promise<InputOutcome> {
  const enforcing = guards.filter((g) => g.action !== 'monitor')
  const detectors = enforcing.flatMap((g) => g.detectors)
  let out = messages
  if (detectors.length > 0) {
    const r = scanMessagesText(detectors, messages.map(messageText))
    const decision = decideFindings(cx, r.findings, stage, counted)
    if (decision.kind !== 'pass') return { messages, decision }
    if (r.redactions.length > 0) {
      out = messages.map((m, i) => withText(m, r.redactedMessages[i]!))
      for (const name of new Set(r.redactions.map((f) => f.detector))) {
        const g = cx.set.byName.get(name)
        if (g) report(cx, g, stage, 'redact')
      }
    }
  }
  const text = joinedText(out)
  for (const g of guards) {
    if (!g.hooks.checkInput) continue
    const d = await runHook(cx, g, stage, () => g.hooks.checkInput!({ text, messages: out }), counted)
    if (d.kind !== 'pass') return { messages: out, decision: d }
  }
  auditMonitors(guards, text, cx, stage)
  return { messages: out, decision: PASS }
}

/** Monitor guardrails' detectors: count and log what they would have flagged. */
export function auditMonitors(guards: readonly Guardrail[], text: string, cx: GuardContext, stage: GuardrailStage): void {
  for (const g of guards) {
    if (g.action !== 'monitor' || g.detectors.length === 0) continue
    for (const f of scanWhole(g.detectors, text).findings) report(cx, g, stage, 'monitor', f.entity)
  }
}
