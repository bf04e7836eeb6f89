/**
 * Which guardrails run for one request: every `default_on` guardrail, plus
 * those the request names in its `guardrails` body field or `x-guardrails`
 * header (comma-separated). A request can only add guardrails, never turn one
 * off. An unknown name is a 400 naming it.
 */
import { errors } from '../errors/gateway-error.ts'
import type { GuardrailSet } from './config.ts'
import type { Guardrail } from './guardrail.ts'

export function selectGuardrails(set: GuardrailSet, fromBody: readonly string[] | undefined, fromHeader: string | null): Guardrail[] {
  const requested = new Set<string>(fromBody ?? [])
  if (fromHeader) for (const n of fromHeader.split(',')) if (n.trim()) requested.add(n.trim())
  for (const name of requested) {
    if (!set.byName.has(name)) {
      throw errors.invalidRequest(`Unknown guardrail '${name.slice(0, 128)}'. Configured guardrails: ${[...set.byName.keys()].join(', ') || 'none'}.`, 'guardrails', 'unknown_guardrail')
    }
  }
  return set.all.filter((g) => g.defaultOn || requested.has(g.name))
}
