/**
 * The non-stream path: scan a whole text, or the text of a list of chat
 * messages, with a set of detectors. The stream scanner is tested against
 * `scanWhole`, so the two share finding order and overlap resolution.
 */
import { applyRedactions, resolveRedactions, sortFindings } from './redact.ts'
import type { Detector, Finding, ScanResult } from './types.ts'

/**
 * Findings of `d` in `text` starting at or after `from` (see
 * `Detector.scanFrom`); falls back to a whole scan filtered by start.
 */
export function findingsFrom(d: Detector, text: string, from: number): Finding[] {
  return d.scanFrom ? d.scanFrom(text, from) : d.scan(text).filter((f) => f.start >= from)
}

/**
 * Scans `text` with every detector. The first `block` finding (by start,
 * longer first, then detector order) decides `flagged`; redactions are the
 * greedy non-overlapping choice among `redact` findings in the same order.
 */
export function scanWhole(detectors: readonly Detector[], text: string): ScanResult {
  const findings = sortFindings(detectors.flatMap((d) => findingsFrom(d, text, 0)))
  const redactions = resolveRedactions(findings)
  return { findings, flagged: findings.find((f) => f.action === 'block'), redactions, redacted: applyRedactions(text, redactions) }
}

/** A message's text: a plain string, or its text content parts in order. */
export type MessageText = string | readonly string[]

/** Where a part of a message sits in the joined text. */
export interface PartSpan {
  message: number
  part: number
  start: number
  end: number
}

export interface MessagesScanResult extends ScanResult {
  /** The joined text the offsets of `findings` refer to. */
  text: string
  /** Each part's span in `text`, in order. */
  parts: PartSpan[]
  /** Redacted text per message and part, in the input's shape (a string message becomes one part). */
  redactedMessages: string[][]
}

/** Separator between messages: whitespace, so words never fuse across messages. */
export const MESSAGE_SEPARATOR = '\n'

/**
 * Scans the text of several messages as one text, so content split to evade
 * a filter is still caught. Parts of one message are joined with nothing:
 * `["du", "ck"]` reads as `duck`, because a client controls part boundaries
 * and an attacker would otherwise split a word across parts. Messages are
 * joined with `\n`, so a word is never fused across messages, while a
 * multi-word phrase whose words straddle two messages still matches (keyword
 * phrases match any run of whitespace). Redactions that span parts leave the
 * replacement in the part where the span starts and remove the rest.
 */
export function scanMessagesText(detectors: readonly Detector[], messages: readonly MessageText[]): MessagesScanResult {
  const parts: PartSpan[] = []
  let text = ''
  messages.forEach((m, message) => {
    if (message > 0) text += MESSAGE_SEPARATOR
    const list = typeof m === 'string' ? [m] : m
    list.forEach((p, part) => {
      parts.push({ message, part, start: text.length, end: text.length + p.length })
      text += p
    })
  })
  const result = scanWhole(detectors, text)
  const redactedMessages: string[][] = messages.map(() => [])
  for (const p of parts) redactedMessages[p.message]!.push(redactPart(text, p, result.redactions))
  return { ...result, text, parts, redactedMessages }
}

function redactPart(text: string, p: PartSpan, redactions: readonly Finding[]): string {
  let out = ''
  let at = p.start
  for (const r of redactions) {
    if (r.end <= p.start || r.start >= p.end) continue
    if (r.start >= p.start) out += text.slice(at, r.start) + (r.replacement ?? '')
    at = Math.max(at, Math.min(r.end, p.end))
  }
  return out + text.slice(at, p.end)
}
