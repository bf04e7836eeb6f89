import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { normalize, normalizedIndex, originalSpan, stripInvisible } from './normalize.ts'

describe('normalize', () => {
  test.each([
    ['lowercases', 'DUCK', 'duck'],
    ['folds Cyrillic look-alikes', 'dսсk', 'duck'],
    ['folds Cyrillic capitals before lowercasing', 'АКІА', 'akia'],
    ['folds Greek capitals (eta reads as H)', 'ΗΟΤ', 'hot'],
    ['removes zero-width characters', 'd\u200bu\u200cc\u200dk\u2060', 'duck'],
    ['removes soft hyphens and BOMs', '\ufeffdu\u00adck', 'duck'],
    ['removes variation selectors and tag characters', 'd\ufe0fuck\u{e0041}', 'duck'],
    ['maps fullwidth letters to ASCII (NFKC)', 'ＤＵＣＫ', 'duck'],
    ['maps mathematical bold letters to ASCII (NFKC, astral)', '𝐝𝐮𝐜𝐤', 'duck'],
    ['expands ligatures', 'ﬁsh', 'fish'],
    ['composes a base letter and its combining mark', 'cafe\u0301', 'café'],
    ['folds look-alikes inside genuine Cyrillic words and keeps the rest', 'Кошка', 'koшka'],
  ])('%s', (_name, input, expected) => {
    expect(normalize(input).text).toBe(expected)
  })

  test('without fold keeps case and look-alikes but still removes invisible characters and applies NFKC', () => {
    expect(normalize('АK\u200bIA ４２', { fold: false }).text).toBe('АKIA 42')
  })

  test('maps each normalised character to its source segment, skipping invisible characters', () => {
    const n = normalize('d\u200bu\u0301x')
    expect({ text: n.text, map: [...n.map], ends: [...n.ends] }).toEqual({ text: 'dúx', map: [0, 2, 4], ends: [1, 4, 5] })
  })

  test('a span covers invisible characters inside it and none around it', () => {
    const text = 'say \u200bd\u200bu\u00adck\u200b!'
    const n = normalize(text)
    const at = n.text.indexOf('duck')
    const span = originalSpan(n, at, at + 4)
    expect(text.slice(span.start, span.end)).toBe('d\u200bu\u00adck')
  })

  test('every output character of an expansion maps to the whole source character', () => {
    const n = normalize('xﬁy')
    expect(originalSpan(n, 1, 2)).toEqual({ start: 1, end: 2 })
    expect(originalSpan(n, 2, 3)).toEqual({ start: 1, end: 2 })
  })

  test('normalizedIndex finds the first character at or after an original offset', () => {
    const n = normalize('a\u200b\u200bbc')
    expect([0, 1, 2, 3, 4, 5].map((o) => normalizedIndex(n, o))).toEqual([0, 1, 1, 1, 2, 3])
  })

  test('stripInvisible removes only invisible characters', () => {
    expect(stripInvisible('Ｄ\u200bu\u00adck')).toBe('Ｄuck')
  })

  test('the map is monotonic and within the original text for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.boolean(), (s, fold) => {
        const n = normalize(s, { fold })
        expect(n.map.length).toBe(n.text.length)
        for (let i = 0; i < n.map.length; i++) {
          expect(n.map[i]!).toBeLessThan(n.ends[i]!)
          expect(n.ends[i]!).toBeLessThanOrEqual(s.length)
          if (i > 0) expect(n.map[i]!).toBeGreaterThanOrEqual(n.map[i - 1]!)
        }
      }),
      { numRuns: 300 },
    )
  })
})
