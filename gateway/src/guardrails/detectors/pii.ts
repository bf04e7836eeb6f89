/**
 * PII and secret detector. Runs on the original text with invisible
 * characters removed and NFKC applied (fullwidth digits count as digits),
 * but without homoglyph folding or lowercasing, which would corrupt keys and
 * turn letters into digits. Patterns and decisions: pii-patterns.ts; what a
 * stream holds back for each entity: pii-pending.ts.
 */
import { normalize } from '../normalize.ts'
import type { Detector, Finding, GuardrailAction } from '../types.ts'
import { redactionFor, regexFindings } from './match.ts'
import { pendingHold } from './pending.ts'
import { PII_PENDING } from './pii-pending.ts'
import { PII_ENTITIES, PII_PATTERNS, validatePii, type PiiEntity } from './pii-patterns.ts'

export { PII_ENTITIES, type PiiEntity } from './pii-patterns.ts'

export interface PiiDetectorOptions {
  /** Detector instance name, reported on findings. */
  name: string
  /** Entities to detect and their action. When given, only these are detected; default: all, with `defaultAction`. */
  entities?: Partial<Record<PiiEntity, GuardrailAction>>
  /** Action for entities enabled without one. Default `redact`. */
  defaultAction?: GuardrailAction
}

/** Creates a PII detector; one combined regex is compiled here. Throws on an unknown entity. */
export function piiDetector(opts: PiiDetectorOptions): Detector {
  const defaultAction = opts.defaultAction ?? 'redact'
  const enabled: Array<{ entity: PiiEntity; action: GuardrailAction; replacement: string }> = []
  const wanted = opts.entities ?? Object.fromEntries(PII_ENTITIES.map((e) => [e, defaultAction]))
  for (const key of Object.keys(wanted)) {
    if (!(PII_ENTITIES as readonly string[]).includes(key)) throw new Error(`pii detector '${opts.name}': unknown entity '${key}'`)
  }
  // Fixed order (PII_ENTITIES) decides which entity wins at the same start offset; a candidate that fails
  // validation (Luhn) is not retried as another entity there, matching resumes one character later.
  for (const entity of PII_ENTITIES) {
    const action = wanted[entity]
    if (action !== undefined) enabled.push({ entity, action, replacement: redactionFor(entity) })
  }
  if (enabled.length === 0) throw new Error(`pii detector '${opts.name}': no entity enabled`)
  const re = new RegExp(enabled.map((e) => `(?<${e.entity}>${PII_PATTERNS[e.entity].source})`).join('|'), 'gu')
  const pending = new RegExp(`(?:${enabled.map((e) => `(?:${PII_PENDING[e.entity]})`).join('|')})$`, 'gu')
  const name = opts.name
  const toFinding = (m: RegExpExecArray, start: number, end: number): Finding | undefined => {
    const hit = enabled.find((e) => m.groups?.[e.entity] !== undefined)
    if (!hit || !validatePii(hit.entity, m)) return undefined
    const f: Finding = { detector: name, entity: hit.entity, start, end, action: hit.action }
    if (hit.action === 'redact') f.replacement = hit.replacement
    return f
  }
  const scanFrom = (text: string, from: number) => regexFindings(re, normalize(text, { fold: false }), from, toFinding)
  return {
    name,
    window: Math.max(...enabled.map((e) => PII_PATTERNS[e.entity].maxLength)) + 8,
    lookbehind: enabled.some((e) => e.entity === 'AWS_SECRET_ACCESS_KEY') ? 48 : 16,
    scan: (text) => scanFrom(text, 0),
    scanFrom,
    holdFrom: (text, from) => pendingHold(pending, text, from, { fold: false }),
  }
}
