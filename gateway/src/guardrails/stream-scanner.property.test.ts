/**
 * Property tests: streaming a text in any chunking gives the whole-text
 * verdict (see the guarantees in stream-scanner.ts).
 */
import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { BENIGN, INJECTIONS } from './detectors/fixtures/prompt-injection-corpus.ts'
import { keywordDetector } from './detectors/keyword.ts'
import { PII_ENTITIES, piiDetector } from './detectors/pii.ts'
import { promptInjectionDetector } from './detectors/prompt-injection.ts'
import { regexDetector } from './detectors/regex.ts'
import { applyRedactions } from './redact.ts'
import { scanWhole } from './scan.ts'
import { StreamScanner } from './stream-scanner.ts'
import type { Detector, Finding } from './types.ts'

const FLAGGED = ['duck', 'ducks', 'bunny', 'bunnies']
const NEAR_MISSES = ['Ducktape', 'ducked', 'bunnyhop', 'duckling', 'unduck', 'bunn', 'duc', 'rubber']
// Beginnings of values and characters that change the one before them: what holdFrom must wait on.
const PARTIALS = ['bob@', 'bob@example.', '415-555-', '(415) ', '4111 1111 ', '123-45-', '10.0.0.', 'sk-', '=', '\u0301', '\u0338', '\u200b']
const PII_VALUES = [
  'bob@example.com',
  'jane.doe+x@mail.example.org',
  'b\u200bob@exa\u00admple.com',
  '4111 1111 1111 1111',
  '4111111111111111',
  '4111 1111 1111 1112',
  '5500-0000-0000-0004',
  '(415) 555-0132',
  '+442071838750',
  '123-45-6789',
  '999-45-6789',
  '10.0.0.1',
  'v1.2.3.4',
  'order-123456',
]
const PLAIN = ['the', 'a', 'quick', 'brown', 'fox', 'over', 'lazy', 'dog', 'hello', 'world', 'café', 'cafe\u0301', '😀', 'naïve', 'ﬁne', '@', '-', '1234', 'x.com', 'example.com']
// Longer than a keyword-only buffer cap (128): forces releases inside a word, where lookbehind context matters.
const LONG_RUNS = ['z'.repeat(140), `${'y'.repeat(70)}😀${'y'.repeat(70)}`]
const LOOK_ALIKES: Record<string, string> = { a: 'а', b: 'в', c: 'с', d: 'ԁ', e: 'е', i: 'і', k: 'к', n: 'η', s: 'ѕ', u: 'ս', y: 'у' }
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad']

const variant = (w: string) =>
  fc.oneof(
    fc.constant(w),
    fc.constantFrom(w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)),
    fc.array(fc.boolean(), { minLength: w.length, maxLength: w.length }).map((swap) => [...w].map((c, i) => (swap[i] ? (LOOK_ALIKES[c] ?? c) : c)).join('')),
    fc.tuple(fc.integer({ min: 1, max: w.length - 1 }), fc.constantFrom(...INVISIBLES), fc.integer({ min: 1, max: 3 })).map(([i, z, n]) => w.slice(0, i) + z.repeat(n) + w.slice(i)),
    fc.constant([...w].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('')),
  )

const token = fc.oneof(
  { arbitrary: fc.constantFrom(...FLAGGED).chain(variant), weight: 1 },
  { arbitrary: fc.constantFrom(...NEAR_MISSES), weight: 2 },
  { arbitrary: fc.constantFrom(...PII_VALUES), weight: 2 },
  { arbitrary: fc.constantFrom(...PARTIALS), weight: 1 },
  { arbitrary: fc.constantFrom(...PLAIN), weight: 8 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }), weight: 1 },
  { arbitrary: fc.constantFrom(...LONG_RUNS), weight: 1 },
)
const separator = fc.constantFrom(' ', ' ', ' ', ' ', '\n', '  ', '', ', ', '. ', '\t')
// size 'max': fast-check's default size would keep texts shorter than one window.
const textOf = (maxTokens: number) =>
  fc.array(fc.tuple(token, separator), { maxLength: maxTokens, size: 'max' }).map((parts) => parts.map(([t, s]) => t + s).join(''))
const textArb = textOf(150)

const CONFIGS: Record<string, Detector[]> = {
  'keyword block': [keywordDetector({ name: 'words', words: FLAGGED })],
  'keyword block + PII redact': [keywordDetector({ name: 'words', words: FLAGGED }), piiDetector({ name: 'pii' })],
  'card block + keyword redact': [
    piiDetector({ name: 'pii', entities: { CREDIT_CARD: 'block', EMAIL: 'redact', PHONE: 'redact', US_SSN: 'redact', IPV4: 'redact' } }),
    keywordDetector({ name: 'words', words: [...FLAGGED, 'rubber duck'], action: 'redact' }),
  ],
  'regex + keyword redact': [
    regexDetector({ name: 'orders', patterns: ['order-\\d{4,8}'], action: 'redact', window: 32 }),
    // `café` is flagged only once the mark after `cafe` arrives: the last letter stays unsettled.
    keywordDetector({ name: 'words', words: [...FLAGGED, 'hello world', 'café'], action: 'redact' }),
  ],
  // The regex match often starts inside an email that wins the overlap, and is dropped while straddling the release point.
  'overlapping redactions': [
    piiDetector({ name: 'pii', entities: { EMAIL: 'redact' } }),
    regexDetector({ name: 'domains', patterns: ['\\w{1,12}\\.com\\s\\w{1,8}'], action: 'redact', window: 32 }),
    keywordDetector({ name: 'words', words: FLAGGED }),
  ],
}
const configArb = fc.constantFrom(...Object.keys(CONFIGS))
// Scanning after every chunk exercises every release point; the default (16) and others must decide the same.
const scanEveryArb = fc.oneof(fc.constant(1), fc.constant(16), fc.integer({ min: 2, max: 64 }))
// Bounds the time spent shrinking a failure (each run of the split-point property scans the text hundreds of times).
const limits = { plugins: [fc.interruptAfterTimeLimit(15_000)] }

interface Streamed {
  released: string
  flagged?: Finding
  releasedOffset: number
  /** After each step: original characters received and released. */
  log: Array<{ received: number; released: number }>
}

function stream(detectors: Detector[], chunks: string[], scanEvery: number): Streamed {
  const scanner = new StreamScanner(detectors, { scanEvery })
  const cap = 2 * Math.max(...detectors.map((d) => d.window))
  const log: Streamed['log'] = []
  let released = ''
  let received = 0
  let flagged: Finding | undefined
  for (const chunk of chunks) {
    // (d) at rest the buffer is within the cap, so during a push it is within cap + chunk.
    expect(scanner.buffered).toBeLessThanOrEqual(cap)
    received += chunk.length
    const step = scanner.push(chunk)
    // (e) no surrogate pair is split across releases.
    expect(step.release).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/)
    released += step.release
    log.push({ received, released: scanner.releasedOffset })
    if (step.flagged) {
      flagged = step.flagged
      break
    }
  }
  if (!flagged) {
    const step = scanner.end()
    released += step.release
    flagged = step.flagged
  }
  return { released, flagged, releasedOffset: scanner.releasedOffset, log }
}

function checkAgainstWhole(detectors: Detector[], text: string, chunks: string[], scanEvery = 1) {
  const whole = scanWhole(detectors, text)
  const r = stream(detectors, chunks, scanEvery)
  // (a) same decision: the same first blocking finding, or none.
  expect(r.flagged).toEqual(whole.flagged)
  if (!whole.flagged) {
    // (b) unblocked: exactly the whole-text redacted text.
    expect(r.released).toBe(whole.redacted)
    return
  }
  // (b) blocked: a redacted prefix that ends before the blocking match; no redaction cut in two.
  const off = r.releasedOffset
  expect(off).toBeLessThanOrEqual(whole.flagged.start)
  expect(whole.redactions.filter((x) => x.start < off && x.end > off)).toEqual([])
  expect(r.released).toBe(applyRedactions(text.slice(0, off), whole.redactions.filter((x) => x.end <= off)))
  // (c) no block finding fully visible at a release starts inside the text released then.
  for (const { received, released } of r.log) {
    expect(whole.findings.filter((f) => f.action === 'block' && f.end <= received && f.start < released)).toEqual([])
  }
}

const chunksAt = (text: string, cuts: number[]) => {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b)
  return [...points, text.length].map((p, i) => text.slice(i === 0 ? 0 : points[i - 1], p))
}
const chunksOf = (text: string, size: number) => text.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? []

describe('StreamScanner matches scanWhole', () => {
  test('for random splits at random points, empty chunks included', () => {
    fc.assert(
      fc.property(configArb, textArb, fc.array(fc.nat(), { maxLength: 60, size: 'max' }), scanEveryArb, (config, text, cuts, every) => {
        checkAgainstWhole(CONFIGS[config]!, text, chunksAt(text, cuts), every)
      }),
      { numRuns: 300, ...limits },
    )
  })

  test('for every fixed chunk size, one character at a time included', () => {
    fc.assert(
      fc.property(configArb, textArb, fc.integer({ min: 1, max: 48 }), scanEveryArb, (config, text, size, every) => {
        checkAgainstWhole(CONFIGS[config]!, text, chunksOf(text, size), every)
      }),
      { numRuns: 200, ...limits },
    )
  })

  test('for every single split point of a text', () => {
    fc.assert(
      fc.property(configArb, textOf(80), (config, text) => {
        for (let k = 0; k <= text.length; k++) checkAgainstWhole(CONFIGS[config]!, text, [text.slice(0, k), text.slice(k)])
      }),
      { numRuns: 20, ...limits },
    )
  }, 60_000)

  test('for prompt-injection clusters, with a redacting detector alongside', () => {
    const detectors = [promptInjectionDetector({ name: 'pi' }), keywordDetector({ name: 'words', words: FLAGGED, action: 'redact' })]
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom(...INJECTIONS), weight: 1 },
      { arbitrary: fc.oneof(fc.constantFrom(...BENIGN), fc.constantFrom(...FLAGGED).chain(variant)), weight: 8 },
    )
    const text = fc.array(piece, { maxLength: 40, size: 'max' }).map((p) => p.join(' '))
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 30 }), scanEveryArb, (t, size, every) => {
        checkAgainstWhole(detectors, t, chunksOf(t, size), every)
      }),
      { numRuns: 100, ...limits },
    )
  })
})

describe('holdFrom is never too late', () => {
  const HOLDING: Record<string, Detector> = {
    keyword: keywordDetector({ name: 'words', words: FLAGGED }),
    'keyword inside words': keywordDetector({ name: 'words', words: FLAGGED, wholeWord: false }),
    phrase: keywordDetector({ name: 'words', words: ['rubber duck', 'duck pond', 'hello world'] }),
    accented: keywordDetector({ name: 'words', words: ['café', 'naïve', '≠'] }),
    pii: piiDetector({ name: 'pii' }),
    // One entity at a time, so that no other entity's hold hides a gap (any e-mail-character token is held).
    ...Object.fromEntries(PII_ENTITIES.map((e) => [`pii ${e}`, piiDetector({ name: 'pii', entities: { [e]: 'redact' } })])),
  }

  // Values glued to digits and punctuation: where a match is decided by the characters right after it.
  const glued = fc
    .array(fc.constantFrom(...PII_VALUES, ...PARTIALS, ...FLAGGED, 'duc', 'rubber', 'café', '1', '12', '0', '.', '-', ' ', '  ', '@', 'x', 's', '.5', '/'), {
      maxLength: 16,
      size: 'max',
    })
    .map((parts) => parts.join(''))

  test('findings before the hold of every prefix are those of the whole text; the hold only moves forward', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(HOLDING)), fc.oneof(textOf(16), glued), (name, text) => {
        const d = HOLDING[name]!
        const whole = d.scan(text)
        const problems: string[] = []
        let last = 0
        for (let k = 0; k <= text.length; k++) {
          const prefix = text.slice(0, k)
          const hold = d.holdFrom!(prefix, 0)
          const early = d.scan(prefix).filter((f) => f.start < hold)
          if (hold > k || JSON.stringify(early) !== JSON.stringify(whole.filter((f) => f.start < hold))) problems.push(`findings before ${hold} at ${k}`)
          if (hold < last) problems.push(`hold moved back to ${hold} at ${k}`)
          // What StreamScanner.push relies on to skip a rescan: asking from the last hold answers it while it is pending.
          if (k > 0 && d.holdFrom!(prefix, last) === last && hold !== last) problems.push(`hold ${hold} but ${last} still pending at ${k}`)
          last = hold
        }
        expect(problems).toEqual([])
      }),
      { numRuns: 400, ...limits },
    )
  })
})

describe('StreamScanner holds back as little as correctness allows', () => {
  const SPACE = /\s/u
  /** Characters after the last whitespace: the word still being written. */
  const trailingWord = (text: string) => {
    let i = text.length
    while (i > 0 && (text[i - 1] === '\ufeff' || !SPACE.test(text[i - 1]!))) i--
    return text.length - i
  }
  const LETTER_WORDS = [...PLAIN.filter((w) => /^\p{L}[\p{L}\p{M}]*$/u.test(w)), ...NEAR_MISSES]
  const proseOf = (words: fc.Arbitrary<string>, separators: fc.Arbitrary<string>) =>
    fc.array(fc.tuple(words, separators), { maxLength: 60, size: 'max' }).map((parts) => parts.map(([t, sep]) => t + sep).join(''))

  /** After every push, at most the trailing word of what was received is held; the text is not flagged. */
  function checkLatency(detectors: Detector[], text: string, chunks: string[], scanEvery: number) {
    fc.pre(scanWhole(detectors, text).findings.length === 0)
    const scanner = new StreamScanner(detectors, { scanEvery })
    let received = ''
    for (const chunk of chunks) {
      received += chunk
      expect(scanner.push(chunk).flagged).toBeUndefined()
      expect(received.length - scanner.releasedOffset).toBeLessThanOrEqual(trailingWord(received))
    }
  }

  test('with keywords only: prose, near misses and long words, in any chunking and for any scanEvery', () => {
    const words = fc.oneof(
      { arbitrary: fc.constantFrom(...PLAIN, ...NEAR_MISSES), weight: 8 },
      { arbitrary: fc.constantFrom(...NEAR_MISSES).chain(variant), weight: 2 },
      { arbitrary: fc.constantFrom(...LONG_RUNS), weight: 1 },
    )
    fc.assert(
      fc.property(proseOf(words, separator), fc.array(fc.nat(), { maxLength: 40, size: 'max' }), scanEveryArb, (text, cuts, every) => {
        checkLatency(CONFIGS['keyword block']!, text, chunksAt(text, cuts), every)
      }),
      { numRuns: 300, ...limits },
    )
  })

  test('with keywords and PII: prose of letters and punctuation, in any chunking and for any scanEvery', () => {
    const separators = fc.constantFrom(' ', ' ', '\n', ', ', '. ', '? ', '! ', '; ', '')
    fc.assert(
      fc.property(proseOf(fc.constantFrom(...LETTER_WORDS), separators), fc.array(fc.nat(), { maxLength: 40, size: 'max' }), scanEveryArb, (text, cuts, every) => {
        checkLatency(CONFIGS['keyword block + PII redact']!, text, chunksAt(text, cuts), every)
      }),
      { numRuns: 200, ...limits },
    )
  })
})
