/**
 * Keyword and phrase detector. Words are normalised like the scanned text
 * (NFKC, invisible characters removed, homoglyphs folded, lowercased), so
 * `Dսсk`, `d\u200Buck` and fullwidth `ｄｕｃｋ` all match `duck`.
 */
import { normalize } from '../normalize.ts'
import type { Detector, GuardrailAction } from '../types.ts'
import { escapeRegex, findingMaker, regexFindings } from './match.ts'
import { pendingHold, prefixPattern } from './pending.ts'

export interface KeywordDetectorOptions {
  /** Detector instance name, reported on findings. */
  name: string
  /** Words or phrases. Plurals and other forms are not implied: list them. Whitespace inside a phrase matches any run of whitespace. */
  words: string[]
  /** Default `block`. */
  action?: GuardrailAction
  /**
   * Match whole words only (default true): the characters on either side of
   * the match, in normalised text, must not be letters, digits or combining
   * marks. So `bunny` matches `Bunny,` and `bunny!` but not `bunnyhop`.
   */
  wholeWord?: boolean
  /** Entity reported on findings. Default `KEYWORD`. */
  entity?: string
  /**
   * Streaming window in original characters. Default max(64, 2 x longest
   * word + 16), which leaves room for invisible characters and combining
   * marks inside a match; phrases whose whitespace runs exceed it are still
   * found by whole-text scans but may be released by a stream first.
   */
  window?: number
}

const WORD_CHAR = '[\\p{L}\\p{N}\\p{M}]'
const MARK_FIRST = /^\p{M}/u

/** Creates a keyword detector; the regex is compiled once, here. Throws when no usable word is given. */
export function keywordDetector(opts: KeywordDetectorOptions): Detector {
  const phrases = [...new Set(opts.words.map((w) => normalize(w).text.trim()).filter((w) => w.length > 0))]
  if (phrases.length === 0) throw new Error(`keyword detector '${opts.name}': words must contain at least one non-blank entry`)
  phrases.sort((a, b) => b.length - a.length)
  const wholeWord = opts.wholeWord ?? true
  const words = phrases.map((p) => p.split(/\s+/u))
  const body = words.map((w) => w.map(escapeRegex).join('\\s+')).join('|')
  const re = new RegExp(wholeWord ? `(?<!${WORD_CHAR})(?:${body})(?!${WORD_CHAR})` : `(?:${body})`, 'gu')
  // Pending attempts: at a word start (whole words), a phrase prefix, or a whole phrase whose next character decides.
  const atoms = words.map((w) => w.flatMap((word, i) => [...(i > 0 ? ['\\s+'] : []), ...Array.from(word, escapeRegex)]))
  const pending = new RegExp(`${wholeWord ? `(?<!${WORD_CHAR})` : ''}${prefixPattern(atoms, wholeWord)}$`, 'gu')
  const marksStart = phrases.some((p) => MARK_FIRST.test(p))
  const name = opts.name
  const toFinding = findingMaker(name, opts.entity ?? 'KEYWORD', opts.action ?? 'block')
  const scanFrom = (text: string, from: number) => regexFindings(re, normalize(text), from, toFinding)
  return {
    name,
    window: opts.window ?? Math.max(64, 2 * phrases[0]!.length + 16),
    lookbehind: 16,
    scan: (text) => scanFrom(text, 0),
    scanFrom,
    holdFrom: (text, from) => pendingHold(pending, text, from, { marksStart }),
  }
}
