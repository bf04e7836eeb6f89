/**
 * Incremental guardrail scanning of streamed text with a bounded buffer.
 *
 * Peers either buffer a whole response (spinner, then a burst) or scan each
 * chunk alone (values split across chunks leak). This scanner releases text
 * as soon as no future text can change its verdict, whatever the chunking.
 *
 * How: a detector with `holdFrom` names the earliest offset where a match
 * attempt still depends on text not received yet (a partial keyword at a
 * word start, `duck` waiting for the character that decides whether it is a
 * whole word, a token that may still become an e-mail address); one without
 * it is assumed pending over its whole `window` (an attempt at offset x
 * reads nothing beyond x + window). Every finding that starts before the
 * earliest of these offsets (the limit) is final. A scan rereads the
 * unreleased buffer (plus a little released context for lookbehind),
 * resuming each detector exactly where a whole-text scan would, and then:
 * - flags the first `block` finding once it is final, releasing nothing more;
 * - releases text up to the limit, moved back to the start of a redaction
 *   that straddles it (and, for a window limit, to the start of the current
 *   word when the buffer cap allows), with the redactions fully inside
 *   applied; never beyond `maxHoldback` held characters (then it releases
 *   regardless, see Limits).
 * So with keyword detectors only, prose is held back by at most a trailing
 * word that begins like a keyword; with PII, by the trailing token that could
 * still become a value (any trailing word could be an e-mail's local part).
 *
 * Guarantees, given `holdFrom` answers that are never too late (see
 * `Detector.holdFrom`) or the window contract, and
 * `maxHoldback >= 2 x` the largest window, for any split of the text into
 * chunks and any `scanEvery`: the same blocking finding as `scanWhole`;
 * released text equal to the whole-text redacted text, or when blocked a
 * prefix of it that ends before the blocking match; no finding ever starts
 * in text already released; a buffer that never exceeds `maxHoldback` plus
 * the longest chunk (the released context adds at most
 * max(detector.lookbehind) characters); no surrogate pair split across
 * releases. stream-scanner.property.test.ts checks these.
 *
 * Limits: a match longer than its detector's window (a word padded with more
 * invisible characters than the window leaves room for, a phrase with a huge
 * whitespace run, a token beyond the PII bound) is found by `scanWhole` but
 * may already have been released by the stream: by the window rule, or when
 * a `holdFrom` match keeps the buffer past `maxHoldback`. A smaller
 * `maxHoldback` trades that exactness for memory. Detectors without
 * `scanFrom` are exact only when none of their matches straddles a release
 * point.
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
   * Characters to receive after a scan before the tail is scanned again while
   * a detector without `holdFrom` holds it back by its window. Default 16:
   * release and blocking then lag by at most this many characters, which
   * saves rescanning a window-sized tail for every small chunk. A tail held by
   * `holdFrom` is rescanned as soon as the pending match there is decided
   * (checked with one `holdFrom` call per push), so it never lags.
   * Decisions are unaffected either way.
   */
  scanEvery?: number
}

const SPACE = /\s/u
const LOW_SURROGATE_FIRST = /^[\udc00-\udfff]/
/** Whitespace that separates words; U+FEFF is \s in JavaScript but an invisible character here. */
const isSpace = (ch: string) => ch !== '\ufeff' && SPACE.test(ch)
const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff

/** What held the tail back at the last scan: a detector's pending match (absolute offset), a window, or nothing. */
type Holder = { detector: number; at: number } | 'window' | undefined

/** Scans a stream chunk by chunk; see the module doc for the guarantees. Not reusable after `end()` or a block. */
export class StreamScanner {
  readonly #detectors: readonly Detector[]
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
  #holder: Holder

  constructor(detectors: readonly Detector[], opts: StreamScannerOptions = {}) {
    if (detectors.length === 0) throw new Error('StreamScanner needs at least one detector')
    this.#detectors = detectors
    this.#maxHoldback = opts.maxHoldback ?? 2 * Math.max(...detectors.map((d) => d.window))
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
    if (this.#buf.length <= this.#maxHoldback && !this.#mayRelease()) return { release: '' }
    this.#unscanned = 0
    return this.#step(false)
  }

  /**
   * False only when a scan now could release nothing and flag nothing: the
   * attempt that set the limit is still pending (the limit never moves back,
   * see `Detector.holdFrom`), or a window holds the tail and fewer than
   * `scanEvery` characters arrived.
   */
  #mayRelease(): boolean {
    const h = this.#holder
    if (h === undefined) return true
    if (h === 'window') return this.#unscanned >= this.#scanEvery
    if (h.at < this.#base) return true
    const shift = this.#base - this.#context.length
    return this.#detectors[h.detector]!.holdFrom!(this.#context + this.#buf, h.at - shift) + shift > h.at
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
    const limit = final ? end : this.#limit(text, shift, end)
    const block = sorted.find((f) => f.action === 'block')
    if (block && (final || block.start < limit)) return this.#block(block)
    const kept = resolveRedactions(final ? sorted : sorted.filter((f) => f.start < limit), this.#keptEnd)
    const cut = final ? end : this.#cutPoint(limit, end, kept)
    if (cut <= this.#base) return { release: '' }
    return { release: this.#release(cut, kept, perDetector) }
  }

  /** Offset before which every finding is final: the earliest pending attempt or window start; records what set it. */
  #limit(text: string, shift: number, end: number): number {
    let limit = end
    let holder: Holder
    this.#detectors.forEach((d, i) => {
      const at = d.holdFrom ? d.holdFrom(text, this.#resume[i]! - shift) + shift : end - d.window
      // On a tie prefer a holdFrom holder: push can then tell exactly when it moves.
      if (at < limit || (at === limit && holder === 'window' && d.holdFrom)) {
        limit = at
        holder = d.holdFrom ? { detector: i, at } : 'window'
      }
    })
    this.#holder = holder
    return limit
  }

  #block(f: Finding): ScanStep {
    this.#done = true
    this.#flagged = f
    this.#buf = ''
    this.#context = ''
    return { release: '', flagged: f }
  }

  /**
   * Release point at or before `limit`, outside kept redactions, at a word
   * start for a window limit when the cap allows, never holding more than
   * `maxHoldback` nor splitting a surrogate pair.
   */
  #cutPoint(limit: number, end: number, kept: readonly Finding[]): number {
    const floor = end - this.#maxHoldback
    const inside = (at: number) => kept.find((k) => k.start < at && at < k.end)
    let cut = inside(limit)?.start ?? limit
    if (this.#holder === 'window') {
      const word = this.#wordStart(cut)
      if (word >= floor && !inside(word)) cut = word
    }
    if (cut < floor) cut = inside(floor)?.end ?? floor
    const i = cut - this.#base
    if (isLow(this.#buf.charCodeAt(i)) && cut > this.#base) cut += cut - 1 >= floor ? -1 : 1
    else if (cut === end && isHigh(this.#buf.charCodeAt(i - 1))) cut -= 1
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
