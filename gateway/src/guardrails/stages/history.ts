/**
 * History sanitization, the original deployment's bypass prevention: an
 * earlier user turn that an input guardrail would flag is removed together
 * with the assistant and tool turns that answered it, and assistant turns
 * that are our own violation messages are removed, so flagged content cannot
 * be smuggled to the provider through history. Redactions apply to earlier
 * turns as they do to the last one. The last user turn is left to the input
 * stage.
 */
import type { ChatMessage } from '../../openai/types.ts'
import { report, type GuardContext } from '../decision.ts'
import type { Guardrail } from '../guardrail.ts'
import { joinedText } from '../text.ts'
import { evaluateInput } from './input.ts'

export async function sanitizeHistory(messages: ChatMessage[], guards: readonly Guardrail[], cx: GuardContext): Promise<ChatMessage[]> {
  const lastUser = messages.findLastIndex((m) => m.role === 'user')
  const out: ChatMessage[] = []
  let dropping = false
  for (const [i, m] of messages.entries()) {
    if (m.role === 'user' || m.role === 'system' || m.role === 'developer') dropping = false
    if (dropping) continue
    if (m.role === 'assistant' && cx.set.violationMessages.has(joinedText([m]))) continue
    if (m.role === 'user' && i < lastUser) {
      const r = await evaluateInput([m], guards, cx, 'history', false)
      if (r.decision.kind !== 'pass') {
        report(cx, r.decision.guardrail, 'history', 'removed', r.decision.entity)
        dropping = true
        continue
      }
      out.push(r.messages[0]!)
      continue
    }
    out.push(m)
  }
  return out
}
