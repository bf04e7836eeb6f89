/**
 * Shared loop turning regex matches on normalised text into findings on the
 * original text. Used by every regex-based detector.
 */
import { normalizedIndex, type Normalized } from '../normalize.ts'
import type { Finding, GuardrailAction } from '../types.ts'

/** Builds the finding for an accepted match, or returns undefined to reject it. */
export type ToFinding = (m: RegExpExecArray, start: number, end: number) => Finding | undefined

/**
 * Runs the global regex `re` over `n.text`, starting at the first normalised
 * character whose source is at or after original offset `from`. Accepted
 * matches consume their text (findings never overlap); a rejected or empty
 * match consumes nothing and matching resumes one code point later, so the
 * result for any position depends only on the text, not on where scanning
 * began. `re` must have the `g` flag and is reset on every call.
 */
export function regexFindings(re: RegExp, n: Normalized, from: number, toFinding: ToFinding): Finding[] {
  const out: Finding[] = []
  const text = n.text
  re.lastIndex = normalizedIndex(n, from)
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const s = m.index
    const e = s + m[0].length
    const f = e > s ? toFinding(m, n.map[s]!, n.ends[e - 1]!) : undefined
    if (f) out.push(f)
    else re.lastIndex = s + (text.codePointAt(s)! > 0xffff ? 2 : 1)
  }
  return out
}

/** Escapes `s` for literal use inside a regex. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** `[REDACTED_<ENTITY>]`, the replacement convention of every built-in detector. */
export function redactionFor(entity: string): string {
  return `[REDACTED_${entity}]`
}

/** The finding builder shared by pattern detectors: every match is one `entity` span with the detector's action. */
export function findingMaker(name: string, entity: string, action: GuardrailAction): ToFinding {
  const replacement = action === 'redact' ? redactionFor(entity) : undefined
  return (_m, start, end) =>
    replacement === undefined ? { detector: name, entity, start, end, action } : { detector: name, entity, start, end, action, replacement }
}
