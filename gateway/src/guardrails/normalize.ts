/**
 * Text normalisation with an exact map back to the original text, so a match
 * found in normalised text is reported as a span of the original.
 *
 * The text is cut into segments: one starter code point plus the combining
 * marks (\p{M}) that follow it. Each segment is NFKC-normalised on its own
 * (so `e` + U+0301 composes and fullwidth letters become ASCII) and, in fold
 * mode, homoglyph-folded and lowercased. Every output code unit of a segment
 * maps to the whole segment in the original. Invisible characters are dropped
 * and belong to no segment, so a span from the first to the last matched
 * segment covers any invisible characters inside the match and none outside.
 * Composition across segments (Hangul conjoining jamo) is not performed.
 */
import { foldHomoglyphs } from './homoglyphs.ts'

export interface Normalized {
  /** The normalised text. */
  text: string
  /** Normalised index -> original offset where its source segment starts. */
  map: Int32Array
  /** Normalised index -> original offset where its source segment ends (exclusive). */
  ends: Int32Array
}

export interface NormalizeOptions {
  /** Fold homoglyphs to Latin and lowercase. Default true; PII detection turns it off. */
  fold?: boolean
}

/**
 * Invisible characters removed before matching: zero-width space/joiners,
 * word joiner, BOM, soft hyphen, bidi marks, invisible operators, the
 * Mongolian vowel separator, variation selectors and Unicode tag characters.
 */
export function isInvisible(cp: number): boolean {
  return (
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2060 && cp <= 0x2064) ||
    cp === 0xfeff ||
    cp === 0x00ad ||
    cp === 0x180e ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0000 && cp <= 0xe01ef)
  )
}

const ASCII_ONLY = /^[\x00-\x7f]*$/
const MARK = /^\p{M}$/u
const INVISIBLE = /[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\ufe00-\ufe0f\u{e0000}-\u{e01ef}]/gu

/** `text` without invisible characters (no map). */
export function stripInvisible(text: string): string {
  return ASCII_ONLY.test(text) ? text : text.replace(INVISIBLE, '')
}

const memo = { fold: { input: '', out: undefined as Normalized | undefined }, plain: { input: '', out: undefined as Normalized | undefined } }

/**
 * Normalises `text` (see module doc). The last result per mode is memoised
 * (the stream scanner hands the same buffer to every detector), so treat the
 * returned arrays as read-only.
 */
export function normalize(text: string, opts: NormalizeOptions = {}): Normalized {
  const fold = opts.fold ?? true
  const slot = fold ? memo.fold : memo.plain
  if (slot.out && slot.input === text) return slot.out
  const out = ASCII_ONLY.test(text) ? normalizeAscii(text, fold) : normalizeUnicode(text, fold)
  slot.input = text
  slot.out = out
  return out
}

function normalizeAscii(text: string, fold: boolean): Normalized {
  const n = text.length
  const map = new Int32Array(n)
  const ends = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    map[i] = i
    ends[i] = i + 1
  }
  return { text: fold ? text.toLowerCase() : text, map, ends }
}

function normalizeUnicode(text: string, fold: boolean): Normalized {
  let out = ''
  const map: number[] = []
  const ends: number[] = []
  let seg = ''
  let segStart = -1
  let segEnd = -1
  const flush = () => {
    if (segStart < 0) return
    let n = seg.length === 1 && seg.charCodeAt(0) < 0x80 ? seg : seg.normalize('NFKC')
    if (fold) n = n.length === 1 && n.charCodeAt(0) < 0x80 ? n.toLowerCase() : foldHomoglyphs(n)
    for (let k = 0; k < n.length; k++) {
      map.push(segStart)
      ends.push(segEnd)
    }
    out += n
    segStart = -1
  }
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!
    const len = cp > 0xffff ? 2 : 1
    if (!isInvisible(cp)) {
      const ch = len === 1 ? text[i]! : text.slice(i, i + 2)
      if (segStart >= 0 && cp >= 0x300 && MARK.test(ch)) {
        seg += ch
        segEnd = i + len
      } else {
        flush()
        seg = ch
        segStart = i
        segEnd = i + len
      }
    }
    i += len
  }
  flush()
  return { text: out, map: Int32Array.from(map), ends: Int32Array.from(ends) }
}

/** First normalised index whose source starts at or after original offset `offset`. */
export function normalizedIndex(n: Normalized, offset: number): number {
  let lo = 0
  let hi = n.map.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (n.map[mid]! < offset) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Original span of the non-empty normalised span [start, end). */
export function originalSpan(n: Normalized, start: number, end: number): { start: number; end: number } {
  return { start: n.map[start]!, end: n.ends[end - 1]! }
}
