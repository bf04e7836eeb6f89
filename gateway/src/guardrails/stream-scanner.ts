/**
 * Incremental guardrail scanning of streamed text with a bounded buffer.
 *
 * Peers either buffer a whole response (spinner, then a burst) or scan each
 * chunk alone (values split across chunks leak). This scanner releases text
 * once no future text can change its verdict, whatever the chunking.
 *
 * How: every detector promises (`Detector.window`) that a match attempt at
 * offset x reads nothing beyond x + window. With `horizon` = the largest
 * window, every finding that starts more than `horizon` characters before
 * the end of the text received so far is final. A scan rereads the
 * unreleased buffer (plus a little released context for lookbehind),
 * resuming each detector exactly where a whole-text scan would, and then:
 * - flags the first `block` finding once it is final, releasing nothing more;
 * - releases text up to `end - horizon`, moved back to the start of a
 *   redaction that straddles that point and, when the buffer cap allows, to
 *   the start of the current word (so a half word is never sent), with the
 *   redactions that lie fully inside applied.
 * So the holdback is `horizon` characters, extended to a word or redaction
 * start but never beyond `maxHoldback` (default 2 x horizon).
 *
 * Guarantees, given the window contract and `maxHoldback >= 2 x horizon`,
 * for any split of the text into chunks and any `scanEvery`: the same
 * blocking finding as `scanWhole`; released text equal to the whole-text
 * redacted text, or when blocked a prefix of it that ends before the
 * blocking match; no finding ever starts in text already released; a buffer
 * that never exceeds `maxHoldback` plus the longest chunk (the released
 * context adds at most max(detector.lookbehind) characters); no surrogate
 * pair split across releases. stream-scanner.property.test.ts checks these.
 *
 * Limits: a match longer than its detector's window (a word padded with more
 * invisible characters than the window leaves room for, a phrase with a huge
 * whitespace run, a token beyond the PII bound) is found by `scanWhole` but
 * may already have been released by the stream. A smaller `maxHoldback`
 * trades that exactness for memory. Detectors without `scanFrom` are exact
 * only when none of their matches straddles a release point.
 */
import { stripInvisible } from './normalize.ts'
import { applyRedactions, resolveRedactions, sortFindings } from './redact.ts'
import { findingsFrom } from './scan.ts'
import type { Detector, Finding, ScanStep } from './types.ts'

export type { ScanStep } from './types.ts'

export interface StreamScannerOptions {
  /**
   * Most unreleased characters kept between pushes. Default 2 x the largest
   * detector window: one window to make findings final, one for a redaction
   * that straddles the release point. Lower values bound memory tighter but
   * can release text a later match would have covered.
   */
  maxHoldback?: number
  /**
   * Characters to receive after a scan before the held-back tail is scanned
   * again. Default 16. Every scan re-reads up to `maxHoldback` characters, so
   * scanning on every small chunk costs CPU for little gain; release and
   * blocking lag by at most this many characters. Decisions are unaffected.
   */
  scanEvery?: number
}

const SPACE = /\s/u
const LOW_SURROGATE_FIRST = /^[\udc00-\udfff]/
/** Whitespace that separates words; U+FEFF is \s in JavaScript but an invisible character here. */
const isSpace = (ch: string) => ch !== '\ufeff' && SPACE.test(ch)

/** Scans a stream chunk by chunk; see the module doc for the guarantees. Not reusable after `end()` or a block. */
export class StreamScanner {
  readonly #detectors: readonly Detector[]
  readonly #horizon: number
  readonly #maxHoldback: number
  readonly #contextSize: number
  readonly #scanEvery: number
  readonly #resume: number[]
  #unscanned = 0
  #context = ''
  #buf = ''
  #base = 0
  #keptEnd = 0
  #done = false
  #flagged: Finding | undefined

  constructor(detectors: readonly Detector[], opts: StreamScannerOptions = {}) {
    if (detectors.length === 0) throw new Error('StreamScanner needs at least one detector')
    this.#detectors = detectors
    this.#horizon = Math.max(...detectors.map((d) => d.window))
    this.#maxHoldback = opts.maxHoldback ?? 2 * this.#horizon
    this.#scanEvery = opts.scanEvery ?? 16
    if (!Number.isInteger(this.#maxHoldback) || this.#maxHoldback < 1) throw new Error('maxHoldback must be a positive integer')
    if (!Number.isInteger(this.#scanEvery) || this.#scanEvery < 1) throw new Error('scanEvery must be a positive integer')
    this.#contextSize = Math.max(...detectors.map((d) => d.lookbehind ?? 16))
    this.#resume = detectors.map(() => 0)
  }

  /** Original characters released so far (the stream offset of the buffer). */
  get releasedOffset(): number {
    return this.#base
  }

  /** Characters currently held back. */
  get buffered(): number {
    return this.#buf.length
  }

  /** The blocking finding, once one was flagged. */
  get flagged(): Finding | undefined {
    return this.#flagged
  }

  /** Adds a chunk; returns the text now safe to send and, on a block, the finding (then nothing more is released). */
  push(chunk: string): ScanStep {
    if (this.#done) return { release: '' }
    this.#buf += chunk
    this.#unscanned += chunk.length
    const over = this.#buf.length > this.#maxHoldback
    if (!over && (this.#buf.length <= this.#horizon || this.#unscanned < this.#scanEvery)) return { release: '' }
    this.#unscanned = 0
    return this.#step(false)
  }

  /** Ends the stream: everything left is final, so it is released (redacted) or flagged. */
  end(): ScanStep {
    if (this.#done) return { release: '' }
    const step = this.#step(true)
    this.#done = true
    return step
  }

  #step(final: boolean): ScanStep {
    const text = this.#context + this.#buf
    const shift = this.#base - this.#context.length
    const perDetector = this.#detectors.map((d, i) =>
      findingsFrom(d, text, this.#resume[i]! - shift).map((f) => ({ ...f, start: f.start + shift, end: f.end + shift })),
    )
    const sorted = sortFindings(perDetector.flat())
    const end = this.#base + this.#buf.length
    const limit = final ? end : end - this.#horizon
    const block = sorted.find((f) => f.action === 'block')
    if (block && (final || block.start < limit)) return this.#block(block)
    const kept = resolveRedactions(final ? sorted : sorted.filter((f) => f.start < limit), this.#keptEnd)
    const cut = final ? end : this.#cutPoint(limit, end - this.#maxHoldback, kept)
    if (cut <= this.#base) return { release: '' }
    return { release: this.#release(cut, kept, perDetector) }
  }

  #block(f: Finding): ScanStep {
    this.#done = true
    this.#flagged = f
    this.#buf = ''
    this.#context = ''
    return { release: '', flagged: f }
  }

  /** Release point at or before `limit`, outside kept redactions, at a word start when the cap `floor` allows. */
  #cutPoint(limit: number, floor: number, kept: readonly Finding[]): number {
    const inside = (at: number) => kept.find((k) => k.start < at && at < k.end)
    let cut = inside(limit)?.start ?? limit
    const word = this.#wordStart(cut)
    if (word >= floor && !inside(word)) cut = word
    if (cut < floor) cut = inside(floor)?.end ?? floor
    const code = this.#buf.charCodeAt(cut - this.#base)
    if (code >= 0xdc00 && code <= 0xdfff && cut > this.#base) cut += cut - 1 >= floor ? -1 : 1
    return cut
  }

  /** Start of the word `at` falls inside (absolute offset), or `at` when it is between words. */
  #wordStart(at: number): number {
    const buf = this.#buf
    let i = at - this.#base
    if (i <= 0 || i >= buf.length || isSpace(buf[i]!) || isSpace(buf[i - 1]!)) return at
    while (i > 0 && !isSpace(buf[i - 1]!)) i--
    return this.#base + i
  }

  #release(cut: number, kept: readonly Finding[], perDetector: readonly Finding[][]): string {
    const base = this.#base
    const raw = this.#buf.slice(0, cut - base)
    const applied = kept.filter((k) => k.end <= cut)
    if (applied.length > 0) this.#keptEnd = applied[applied.length - 1]!.end
    const release = applyRedactions(
      raw,
      applied.map((k) => ({ ...k, start: k.start - base, end: k.end - base })),
    )
    perDetector.forEach((list, i) => {
      let resume = Math.max(this.#resume[i]!, cut)
      for (const f of list) if (f.start < cut) resume = Math.max(resume, f.end)
      this.#resume[i] = resume
    })
    let context = (this.#context + stripInvisible(raw)).slice(-this.#contextSize)
    if (LOW_SURROGATE_FIRST.test(context)) context = context.slice(1)
    this.#context = context
    this.#buf = this.#buf.slice(cut - base)
    this.#base = cut
    return release
  }
}
