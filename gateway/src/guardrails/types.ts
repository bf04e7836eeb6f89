/**
 * The contract of the pure detection engine. Nothing here knows about HTTP,
 * Elysia or configuration: detectors take text and return spans.
 */

/** What the pipeline does with a finding: refuse the request/stream, or replace the span. */
export type GuardrailAction = 'block' | 'redact'

/** One detected span. Offsets are UTF-16 code units in the ORIGINAL text. */
export interface Finding {
  /** Name of the detector instance that produced it. */
  detector: string
  /** What was found, e.g. `EMAIL`, `KEYWORD`, `PROMPT_INJECTION`. */
  entity: string
  /** Inclusive start offset in the original text. */
  start: number
  /** Exclusive end offset in the original text. */
  end: number
  action: GuardrailAction
  /** Text that replaces the span when `action` is `redact`; `[REDACTED_<ENTITY>]` by convention. */
  replacement?: string
  /** Heuristic score in [0, 1], for scoring detectors (prompt injection). */
  score?: number
}

/**
 * A detector. Its `window` is the contract the streaming scanner relies on
 * when the detector has no `holdFrom`: an attempt to match at offset `x`
 * reads no text beyond `x + window` (original characters, lookahead
 * included). Matches that would exceed it are still found by `scan` but are
 * not guaranteed to be caught before the stream releases them (see
 * stream-scanner.ts).
 */
export interface Detector {
  readonly name: string
  /**
   * Longest match this detector can produce, in original-text characters.
   * The streaming scanner holds back this much for a detector without
   * `holdFrom`, and caps its buffer at twice the largest window.
   */
  readonly window: number
  /**
   * How many characters before a match the detector reads (lookbehind), so the
   * streaming scanner keeps that much already-released context. Default 16.
   */
  readonly lookbehind?: number
  /** Findings in `text`, non-overlapping, sorted by start. */
  scan(text: string): Finding[]
  /**
   * Incremental form used by `StreamScanner` and `scanWhole`: every finding
   * that starts at or after `from`, with matching resumed at `from` exactly
   * as a whole-text scan would resume after a match ending there. Text before
   * `from` is read-only context. Detectors without it are scanned whole and
   * filtered, which is exact only when no match straddles `from`.
   */
  scanFrom?(text: string, from: number): Finding[]
  /**
   * Streaming hint: the earliest offset >= `from` where a match attempt
   * starts whose outcome depends on text not received yet (a match still
   * growing, one that needs the next character to be decided, or one a
   * combining mark could still change), or `text.length` when there is none.
   * So for any continuation `s`, `scanFrom(text + s, from)` and
   * `scanFrom(text, from)` agree on the findings starting before it. `from`
   * is as for `scanFrom`. Returning less is safe (the stream waits longer);
   * more leaks. Being the first such attempt, it never moves back as text is
   * appended, and asking from that offset returns it again while the attempt
   * there is pending: the scanner relies on both only to skip rescans, so an
   * answer that breaks them delays release but leaks nothing. Without it the
   * scanner holds back `window`.
   */
  holdFrom?(text: string, from: number): number
}

/** Result of scanning a complete text (the non-stream path). */
export interface ScanResult {
  /** Every finding of every detector, sorted by start, longer first, then detector order. */
  findings: Finding[]
  /** The first `block` finding in that order, if any: the request or stream is refused. */
  flagged?: Finding
  /** The non-overlapping `redact` findings applied to produce `redacted`. */
  redactions: Finding[]
  /** The text with `redactions` applied. */
  redacted: string
}

/** One step of a `StreamScanner`: text that is safe to send, and the blocking finding if any. */
export interface ScanStep {
  release: string
  flagged?: Finding
}
