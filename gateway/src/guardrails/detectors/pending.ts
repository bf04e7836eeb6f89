/**
 * `Detector.holdFrom` for regex detectors: where the earliest match attempt
 * that still depends on text not yet received starts.
 *
 * A detector describes its unfinished attempts with a prefix pattern: its
 * own lookbehind followed by a pattern that matches everything an attempt
 * can have read when the text runs out (every prefix of a match, and a whole
 * match when a lookahead or a greedy quantifier still needs the next
 * character). Anchored at the end of the settled text, the leftmost match of
 * that pattern is the hold. A prefix pattern may accept more than that (it
 * costs latency, never a leak) but never less.
 *
 * Settled text: normalisation works per segment (a character and the
 * combining marks after it), and a mark that arrives later joins the last
 * segment and may change it (`e` + U+0301 is `é`, `=` + U+0338 is `≠`). So
 * the last segment is unknown, except its first character when that is
 * whitespace or an ASCII character that no mark composes with (all but the
 * letters and `<=>`): after it come only marks, whatever arrives, and a mark
 * starts no match unless a pattern can start with one. Invisible characters
 * that arrive later change nothing.
 */
import { normalize, normalizedIndex, type Normalized } from '../normalize.ts'

const COMPOSES = /[A-Za-z<=>]/
const SPACE = /^\s$/u
const MARK = /^\p{M}$/u
const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff

export interface PendingOptions {
  /** Normalisation mode of the detector's matching (see `NormalizeOptions.fold`). Default true. */
  fold?: boolean
  /** Some match may start with a combining mark. Default false. */
  marksStart?: boolean
}

/** Normalised index where the last segment of `n` starts (0 when `n` is empty). */
function lastSegmentStart(n: Normalized): number {
  let k = n.text.length - 1
  while (k > 0 && n.map[k - 1] === n.map[k]) k--
  return Math.max(k, 0)
}

/**
 * Length of the prefix of `n.text` (normalised `text`) that no continuation
 * of `text` can change, nor start a match in: everything before the last
 * segment, plus that segment's first character when it is settled and no
 * match can start with a mark (`marksStart` false).
 */
export function settledLength(n: Normalized, text: string, marksStart = false): number {
  if (n.text.length === 0) return 0
  const k = lastSegmentStart(n)
  if (marksStart) return k
  const first = text[n.map[k]!]!
  return first.charCodeAt(0) < 0x80 ? (COMPOSES.test(first) ? k : k + 1) : SPACE.test(first) ? k + 1 : k
}

/**
 * Original offset >= `from` where the earliest pending attempt in `text`
 * starts, or `text.length`. `pending` is a global regex: a prefix pattern
 * ending in `$`.
 */
export function pendingHold(pending: RegExp, text: string, from: number, opts: PendingOptions = {}): number {
  // A trailing high surrogate may become a mark that joins the segment before it: decide without it.
  const whole = text.length
  if (isHigh(text.charCodeAt(whole - 1))) text = text.slice(0, -1)
  const n = normalize(text, { fold: opts.fold ?? true })
  const len = n.text.length
  const first = normalizedIndex(n, from)
  if (first >= len) return from > text.length ? whole : text.length
  const settled = settledLength(n, text, opts.marksStart)
  pending.lastIndex = first
  const m = pending.exec(settled === len ? n.text : n.text.slice(0, settled))
  if (m && m.index < settled) return n.map[m.index]!
  // Left: the last segment (one original offset). After a settled first character it only gains marks,
  // which start no match. Otherwise it is open: an attempt at its start reads unknown text (pending when
  // its lookbehind passes: m), and so may one further in, or a mark yet to arrive with `marksStart`.
  const open = settled === lastSegmentStart(n)
  if (open && (opts.marksStart || m || laterMayStart(n.text.slice(settled)))) return n.map[settled]!
  return text.length
}

/**
 * Whether a match may start after the first character of `segment` (a
 * normalised open last segment): at a character other than a mark, as when
 * NFKC expands it (`ﬁ` is `fi`). Marks arriving later add only marks after
 * the first character.
 */
function laterMayStart(segment: string): boolean {
  return [...segment].slice(1).some((c) => !MARK.test(c))
}

interface Node {
  next: Map<string, Node>
}

/**
 * Regex source matching every prefix, the empty one included, of every
 * sequence in `seqs`; each atom is a regex source matching one unit (a
 * character, a class, or a quantified class that also matches nothing).
 * Shared prefixes are merged, so the source grows with the number of
 * distinct prefixes. With `complete: false`, a whole sequence that no other
 * extends is left out: nothing after it is read, so it is not pending.
 */
export function prefixPattern(seqs: readonly (readonly string[])[], complete = true): string {
  const root: Node = { next: new Map() }
  for (const seq of seqs) {
    let node = root
    for (const atom of seq) {
      let child = node.next.get(atom)
      if (!child) node.next.set(atom, (child = { next: new Map() }))
      node = child
    }
  }
  const emit = (node: Node): string => {
    const alts = [...node.next].filter(([, c]) => complete || c.next.size > 0).map(([atom, c]) => atom + emit(c))
    return alts.length === 0 ? '' : `(?:${alts.join('|')})?`
  }
  return emit(root)
}
