/**
 * Heuristic prompt-injection scorer.
 *
 * Signals (prompt-injection-signals.ts) are found on folded text, so
 * homoglyphs, invisible characters, fullwidth letters and odd spacing do not
 * hide them. Base64 and hex runs are decoded and count as one strong signal
 * when the decoded text contains a strong signal. Around each signal, the
 * signals starting within `near` characters after it form a cluster whose
 * score is a noisy-OR over kinds: 1 - product(1 - strongest weight of each
 * kind). One strong phrase ("ignore all previous instructions") passes the
 * default threshold of 0.5 alone; weak hints ("pretend you are", "without
 * restrictions") pass only together.
 *
 * Limits: this is a tripwire, not a classifier. It knows English phrasings
 * only; paraphrases outside its vocabulary ("let's play a game where your
 * earlier guidance no longer applies"), translations, leetspeak (`1gn0re`),
 * letter-per-line spelling, ciphers other than base64/hex, payloads split
 * across more than `near` characters, and social-engineering stories (the
 * "grandmother" prompt) are not detected. Benign text quoting an attack
 * phrase verbatim ("what does 'ignore previous instructions' do?") is
 * flagged. Pair it with a model-based classifier where recall matters.
 *
 * Streaming: its window is `near` + 416 characters (616 by default), so a
 * StreamScanner that includes it holds back that much output; it is meant for
 * request text first.
 */
import { normalize, normalizedIndex, type Normalized } from '../normalize.ts'
import type { Detector, Finding } from '../types.ts'
import { ENCODED_MAX, ENCODED_SOURCE, SIGNALS } from './prompt-injection-signals.ts'

export interface PromptInjectionOptions {
  /** Detector instance name, reported on findings. */
  name: string
  /** Score at or above which text is flagged. Default 0.5. */
  threshold?: number
  /** How far after a signal (original characters) other signals still join its cluster. Default 200. */
  near?: number
}

interface Hit {
  kind: string
  weight: number
  start: number
  end: number
}

const SIGNAL_RE = new RegExp(SIGNALS.map((s, i) => `(?<s${i}>${s.source})`).join('|'), 'gu')
const ENCODED_RE = new RegExp(ENCODED_SOURCE, 'gu')
const HEX_ONLY = /^(?:[0-9A-Fa-f]{2})+$/
const STRONG = 0.5
const utf8 = new TextDecoder('utf-8', { fatal: true })
const HEX_PAIR = /../g

/** Every match of `re` in `n` starting at or after original `from`, overlapping ones included. */
function* allMatches(re: RegExp, n: Normalized, from: number): Generator<[RegExpExecArray, number, number]> {
  re.lastIndex = normalizedIndex(n, from)
  for (let m = re.exec(n.text); m !== null; m = re.exec(n.text)) {
    if (m[0].length > 0) yield [m, n.map[m.index]!, n.ends[m.index + m[0].length - 1]!]
    re.lastIndex = m.index + (n.text.codePointAt(m.index)! > 0xffff ? 2 : 1)
  }
}

function phraseHits(text: string, from: number): Hit[] {
  const hits: Hit[] = []
  for (const [m, start, end] of allMatches(SIGNAL_RE, normalize(text), from)) {
    const i = SIGNALS.findIndex((_, k) => m.groups?.[`s${k}`] !== undefined)
    hits.push({ kind: SIGNALS[i]!.kind, weight: SIGNALS[i]!.weight, start, end })
  }
  return hits
}

/** The texts a run may encode: as hex when it is hex, as base64 when its length allows. */
function decodings(s: string): string[] {
  const out: string[] = []
  const attempt = (bytes: () => Uint8Array) => {
    try {
      out.push(utf8.decode(bytes()))
    } catch {
      // not valid base64 or not UTF-8 text: nothing hidden here
    }
  }
  if (HEX_ONLY.test(s)) attempt(() => Uint8Array.from(s.match(HEX_PAIR)!, (h) => parseInt(h, 16)))
  if (s.length % 4 === 0) attempt(() => Uint8Array.from(atob(s), (c) => c.charCodeAt(0)))
  return out
}

function encodedHits(text: string, from: number): Hit[] {
  const hits: Hit[] = []
  for (const [m, start, end] of allMatches(ENCODED_RE, normalize(text, { fold: false }), from)) {
    if (decodings(m[0]).some((d) => phraseHits(d, 0).some((h) => h.weight >= STRONG))) {
      hits.push({ kind: 'encoded', weight: 0.9, start, end })
    }
  }
  return hits
}

/** Scored clusters anchored at each signal, in start order. */
function clusters(text: string, from: number, near: number): Array<{ start: number; end: number; score: number }> {
  const hits = [...phraseHits(text, from), ...encodedHits(text, from)].sort((a, b) => a.start - b.start || b.weight - a.weight)
  return hits.map((anchor, i) => {
    const best = new Map<string, number>()
    let end = anchor.end
    for (let j = i; j < hits.length && hits[j]!.start <= anchor.start + near; j++) {
      const h = hits[j]!
      best.set(h.kind, Math.max(best.get(h.kind) ?? 0, h.weight))
      end = Math.max(end, h.end)
    }
    let miss = 1
    for (const w of best.values()) miss *= 1 - w
    return { start: anchor.start, end, score: 1 - miss }
  })
}

/** Creates the prompt-injection detector. `scan` returns at most one finding: the strongest span. */
export function promptInjectionDetector(opts: PromptInjectionOptions): Detector {
  const threshold = opts.threshold ?? 0.5
  const near = opts.near ?? 200
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`prompt injection detector '${opts.name}': threshold must be in (0, 1]`)
  const name = opts.name
  const finding = (c: { start: number; end: number; score: number }): Finding => ({
    detector: name,
    entity: 'PROMPT_INJECTION',
    start: c.start,
    end: c.end,
    action: 'block',
    score: Math.round(c.score * 1000) / 1000,
  })
  return {
    name,
    window: near + ENCODED_MAX + 16,
    lookbehind: 16,
    scan(text) {
      let best: { start: number; end: number; score: number } | undefined
      for (const c of clusters(text, 0, near)) if (c.score >= threshold && (!best || c.score > best.score)) best = c
      return best ? [finding(best)] : []
    },
    /** Every passing cluster, non-overlapping, earliest first: what a stream must stop at. */
    scanFrom(text, from) {
      const out: Finding[] = []
      for (const c of clusters(text, from, near)) {
        if (c.score < threshold || c.start < (out.at(-1)?.end ?? from)) continue
        out.push(finding(c))
      }
      return out
    },
  }
}
