/** Every scenario by name, in the order `make load` runs them. */
import { chat, chatGuardrails } from './chat.ts'
import { chatKeyed } from './keyed.ts'
import { openStreams } from './open-streams.ts'
import { stream, streamGuardrails } from './stream.ts'
import { throughput, throughputGuardrails } from './throughput.ts'
import type { Scenario } from './types.ts'

export type { Scenario } from './types.ts'

/** All scenarios, default order. */
export const SCENARIOS: readonly Scenario[] = [chat, chatGuardrails, chatKeyed, stream, streamGuardrails, throughput, throughputGuardrails, openStreams]

/** Looks scenarios up by name; throws on an unknown one, listing the known names. */
export function pickScenarios(names: readonly string[]): Scenario[] {
  if (names.length === 0) return [...SCENARIOS]
  return names.map((n) => {
    const s = SCENARIOS.find((x) => x.name === n)
    if (!s) throw new Error(`unknown scenario "${n}"; known: ${SCENARIOS.map((x) => x.name).join(', ')}`)
    return s
  })
}
