/**
 * Applying redactions and choosing which redactions apply when detectors
 * disagree. Shared by the whole-text and streaming paths so both resolve
 * overlaps identically.
 */
import type { Finding } from './types.ts'

/**
 * Replaces each finding's span (original offsets) with its `replacement`
 * (empty when absent). Findings must be non-overlapping; they may come in
 * any order. Spans outside `text` are clipped.
 */
export function applyRedactions(text: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return text
  const sorted = [...findings].sort((a, b) => a.start - b.start)
  let out = ''
  let at = 0
  for (const f of sorted) {
    const start = Math.max(at, Math.min(f.start, text.length))
    const end = Math.max(start, Math.min(f.end, text.length))
    out += text.slice(at, start) + (f.replacement ?? '')
    at = end
  }
  return out + text.slice(at)
}

/**
 * Orders findings by start, longer first, then by their existing order
 * (detector order). Stable, so callers concatenate per-detector lists in
 * detector order before sorting.
 */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.start - b.start || b.end - a.end)
}

/**
 * Picks non-overlapping `redact` findings greedily from `sorted` (as left by
 * `sortFindings`): a finding is kept when it starts at or after the end of
 * the last kept one, `after` being the end of redactions already applied.
 * Because the choice for a finding depends only on findings sorted before it,
 * a stream can resolve a prefix and get the same answer as the whole text.
 */
export function resolveRedactions(sorted: readonly Finding[], after = 0): Finding[] {
  const kept: Finding[] = []
  let end = after
  for (const f of sorted) {
    if (f.action !== 'redact' || f.start < end) continue
    kept.push(f)
    end = f.end
  }
  return kept
}
