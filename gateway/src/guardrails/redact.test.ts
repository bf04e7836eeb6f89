import { describe, expect, test } from 'bun:test'
import { keywordDetector } from './detectors/keyword.ts'
import { piiDetector } from './detectors/pii.ts'
import { applyRedactions, resolveRedactions, sortFindings } from './redact.ts'
import type { Finding } from './types.ts'

const f = (start: number, end: number, action: Finding['action'] = 'redact', replacement = '[R]'): Finding => ({
  detector: 'd',
  entity: 'E',
  start,
  end,
  action,
  replacement,
})

describe('applyRedactions', () => {
  test('replaces spans given in any order', () => {
    expect(applyRedactions('0123456789', [f(6, 8), f(1, 3)])).toBe('0[R]345[R]89')
  })

  test('returns the text unchanged without findings', () => {
    expect(applyRedactions('abc', [])).toBe('abc')
  })

  test('removes a span without replacement', () => {
    expect(applyRedactions('abc', [{ ...f(1, 2), replacement: undefined }])).toBe('ac')
  })

  test.each([
    ['zero-width space', 'a d\u200buck b'],
    ['soft hyphen and word joiner', 'a du\u00adc\u2060k b'],
    ['homoglyphs', 'a dսсk b'],
    ['fullwidth', 'a ｄｕｃｋ b'],
  ])('keyword spans map back exactly with %s inside the match', (_name, text) => {
    const d = keywordDetector({ name: 'k', words: ['duck'], action: 'redact' })
    expect(applyRedactions(text, d.scan(text))).toBe('a [REDACTED_KEYWORD] b')
  })

  test('PII spans map back exactly with invisible characters inside the match', () => {
    const text = 'mail bob\u200b@exa\u00admple.com now'
    const d = piiDetector({ name: 'pii' })
    expect(applyRedactions(text, d.scan(text))).toBe('mail [REDACTED_EMAIL] now')
  })
})

describe('resolveRedactions', () => {
  test('keeps the earliest, then longest, of overlapping redactions and skips blocks', () => {
    const sorted = sortFindings([f(5, 9), f(0, 3), f(2, 6), f(0, 4), f(10, 12, 'block')])
    expect(resolveRedactions(sorted).map((x) => [x.start, x.end])).toEqual([
      [0, 4],
      [5, 9],
    ])
  })

  test('starts after redactions already applied', () => {
    expect(resolveRedactions([f(2, 4), f(6, 8)], 5).map((x) => x.start)).toEqual([6])
  })
})
