/**
 * User-supplied regular expressions, run on normalised text (NFKC, invisible
 * characters removed, homoglyphs folded, lowercased) with flags `giu`.
 */
import { normalize } from '../normalize.ts'
import type { Detector, GuardrailAction } from '../types.ts'
import { findingMaker, regexFindings } from './match.ts'

export interface RegexDetectorOptions {
  /** Detector instance name, reported on findings. */
  name: string
  /**
   * Patterns (JavaScript syntax, compiled with `giu`). They are combined into
   * one alternation, earlier patterns winning at the same start, so numbered
   * backreferences are not supported; use named groups with distinct names.
   */
  patterns: string[]
  /** Default `block`. */
  action?: GuardrailAction
  /** Entity reported on findings. Default `REGEX`. */
  entity?: string
  /** Longest match in original characters, for streaming. Default 64; bound your quantifiers to fit. */
  window?: number
  /** Characters of context the patterns' lookbehinds read. Default 16. */
  lookbehind?: number
}

/** Creates a regex detector. Patterns are compiled once, here; an invalid pattern throws naming it. */
export function regexDetector(opts: RegexDetectorOptions): Detector {
  if (opts.patterns.length === 0) throw new Error(`regex detector '${opts.name}': patterns must not be empty`)
  for (const p of opts.patterns) {
    try {
      new RegExp(p, 'giu')
    } catch (err) {
      throw new Error(`regex detector '${opts.name}': invalid pattern ${JSON.stringify(p)}: ${(err as Error).message}`)
    }
  }
  const re = new RegExp(opts.patterns.map((p) => `(?:${p})`).join('|'), 'giu')
  const name = opts.name
  const toFinding = findingMaker(name, opts.entity ?? 'REGEX', opts.action ?? 'block')
  const scanFrom = (text: string, from: number) => regexFindings(re, normalize(text), from, toFinding)
  return {
    name,
    window: opts.window ?? 64,
    lookbehind: opts.lookbehind ?? 16,
    scan: (text) => scanFrom(text, 0),
    scanFrom,
  }
}
