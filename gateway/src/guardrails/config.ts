/**
 * Builds the runnable guardrails from the config's `guardrails:` list
 * (LiteLLM's shape plus our options per built-in; see builtins/index.ts).
 * Every problem is collected with its field path; `GuardrailConfigError`
 * carries them all, and startup stops with exit code 2.
 */
import type { GuardrailEntry } from '../config/schema.ts'
import { BUILTINS } from './builtins/index.ts'
import { reader, str, positiveNumber } from './builtins/options.ts'
import { loadCustom } from './custom.ts'
import type { FlagAction, Guardrail, GuardrailMode } from './guardrail.ts'
import { GuardrailMetrics } from './metrics.ts'
import { DEFAULT_VIOLATION_MESSAGE } from './violation.ts'

export class GuardrailConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
    this.name = 'GuardrailConfigError'
  }
}

/** No guardrails configured. */
export function emptyGuardrailSet(): GuardrailSet {
  return { all: [], byName: new Map(), violationMessages: new Set(), metrics: new GuardrailMetrics(), warnings: [] }
}

export interface GuardrailSet {
  all: readonly Guardrail[]
  byName: ReadonlyMap<string, Guardrail>
  /** Our own violation messages: assistant turns equal to one are removed from history. */
  violationMessages: ReadonlySet<string>
  metrics: GuardrailMetrics
  warnings: string[]
}

/** Keys every guardrail understands; the rest are the guardrail's own options. */
const COMMON = new Set(['guardrail', 'mode', 'default_on', 'on_flagged_action', 'fail_open', 'violation_message', 'window'])

export async function buildGuardrails(entries: readonly GuardrailEntry[], opts: { configDir?: string } = {}): Promise<GuardrailSet> {
  const problems: string[] = []
  const warnings: string[] = []
  const all: Guardrail[] = []
  const byName = new Map<string, Guardrail>()
  for (const [i, entry] of entries.entries()) {
    const g = await buildOne(entry, `guardrails[${i}]`, problems, warnings, opts.configDir)
    if (!g) continue
    if (byName.has(g.name)) problems.push(`guardrails[${i}].guardrail_name: expected a unique name, got "${g.name}" twice`)
    byName.set(g.name, g)
    all.push(g)
  }
  if (problems.length > 0) throw new GuardrailConfigError(problems)
  return { all, byName, violationMessages: new Set(all.map((g) => g.violationMessage)), metrics: new GuardrailMetrics(), warnings }
}

async function buildOne(entry: GuardrailEntry, at: string, problems: string[], warnings: string[], configDir?: string): Promise<Guardrail | undefined> {
  const p = entry.litellm_params as Record<string, unknown> & GuardrailEntry['litellm_params']
  const name = entry.guardrail_name
  const r = reader(`${at}.litellm_params`, p, problems)
  const action: FlagAction = p.on_flagged_action ?? 'block'
  const violationMessage = str(r, 'violation_message') ?? DEFAULT_VIOLATION_MESSAGE
  const before = problems.length
  const options = Object.fromEntries(Object.entries(p).filter(([k]) => !COMMON.has(k)))

  let built: { detectors: Guardrail['detectors']; hooks: Guardrail['hooks']; defaultModes: GuardrailMode[]; allowedModes: ReadonlySet<GuardrailMode>; window?: number } | undefined
  const factory = BUILTINS[p.guardrail]
  if (factory) {
    built = factory(name, r, action === 'redact' ? 'redact' : 'block')
    for (const key of Object.keys(options)) if (!r.used.has(key)) problems.push(`${r.path}.${key}: unknown option for a ${p.guardrail} guardrail`)
  } else {
    try {
      const custom = await loadCustom(p.guardrail, name, options, configDir)
      const spans = custom.detectors.length > 0
      const modes: GuardrailMode[] = [
        ...(spans || custom.hooks.checkInput ? (['pre_call', 'during_call'] as const) : []),
        ...(spans || custom.hooks.checkOutput ? (['post_call'] as const) : []),
      ]
      built = {
        detectors: custom.detectors, hooks: custom.hooks, defaultModes: modes.filter((m) => m !== 'during_call'),
        allowedModes: new Set<GuardrailMode>([...modes, 'logging_only']), ...(custom.window ? { window: custom.window } : {}),
      }
    } catch (err) {
      problems.push(`${r.path}.guardrail: ${(err as Error).message}; built-ins: ${Object.keys(BUILTINS).join(', ')}`)
    }
  }
  const window = positiveNumber(r, 'window', { integer: true, max: 4096 }) ?? built?.window ?? 64
  if (!built || problems.length > before) return undefined

  const modes = p.mode === undefined ? built.defaultModes : Array.isArray(p.mode) ? p.mode : [p.mode]
  for (const m of modes) {
    if (!built.allowedModes.has(m)) problems.push(`${r.path}.mode: a ${p.guardrail} guardrail cannot run at ${m} (it can run at ${[...built.allowedModes].join(', ')})`)
  }
  if (modes.includes('logging_only')) warnings.push(`${r.path}.mode: logging_only does nothing in llm-gateway (message content is never logged)`)
  if (action === 'redact' && modes.includes('during_call')) {
    problems.push(`${r.path}.on_flagged_action: redact cannot run at during_call (the provider already has the request); use pre_call`)
  }
  if (action === 'redact' && built.detectors.length === 0) {
    problems.push(`${r.path}.on_flagged_action: redact needs a guardrail that reports spans (keyword, regex, pii); use block, passthrough or monitor`)
  }
  if (problems.length > before) return undefined
  return {
    name, kind: p.guardrail, modes: new Set(modes), defaultOn: p.default_on ?? false, action, failOpen: p.fail_open ?? false,
    violationMessage, detectors: built.detectors, hooks: built.hooks, window,
  }
}

/** Text main.ts prints when guardrails cannot be built. */
export function formatGuardrailError(e: GuardrailConfigError, source: string): string {
  return [`Invalid guardrails in ${source}:`, ...e.problems.map((p) => `  ${p}`)].join('\n')
}
