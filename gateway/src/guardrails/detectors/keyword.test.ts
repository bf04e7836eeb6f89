import { describe, expect, test } from 'bun:test'
import { keywordDetector } from './keyword.ts'

const animals = keywordDetector({ name: 'animals', words: ['duck', 'ducks', 'bunny', 'bunnies'] })
const matched = (text: string) => animals.scan(text).map((f) => text.slice(f.start, f.end))

describe('keywordDetector', () => {
  test.each([
    ['plain word', 'a duck', ['duck']],
    ['any case', 'DUCKS and Bunnies', ['DUCKS', 'Bunnies']],
    ['punctuation after the word', 'bunny! Bunny, bunny.', ['bunny', 'Bunny', 'bunny']],
    ['Cyrillic с and Armenian ս in duck', 'a dսсk', ['dսсk']],
    ['Armenian ս and Cyrillic у in bunny', 'bսnnу', ['bսnnу']],
    ['zero-width characters inside the word', 'd\u200bu\u200cck', ['d\u200bu\u200cck']],
    ['soft hyphens inside the word', 'bun\u00adnies', ['bun\u00adnies']],
    ['fullwidth letters', 'ｄｕｃｋ', ['ｄｕｃｋ']],
    ['word joiner and BOM around letters', '\ufeffdu\u2060ck', ['du\u2060ck']],
  ])('catches %s', (_name, text, expected) => {
    expect(matched(text)).toEqual(expected)
  })

  test.each([
    ['Ducktape'],
    ['I ducked under the branch'],
    ['a bunnyhop over the curb'],
    ['the duckling swam'],
    ['unducky'],
    ['d-u-c-k spelled out'],
  ])('lets benign text pass: %s', (text) => {
    expect(animals.scan(text)).toEqual([])
  })

  test('reports original offsets, block action and the entity', () => {
    expect(animals.scan('A d\u200buck!')).toEqual([{ detector: 'animals', entity: 'KEYWORD', start: 2, end: 7, action: 'block' }])
  })

  test('plurals are not implied', () => {
    const d = keywordDetector({ name: 'k', words: ['duck'] })
    expect(d.scan('ducks')).toEqual([])
  })

  test('phrases match across any run of whitespace but not across none', () => {
    const d = keywordDetector({ name: 'k', words: ['rubber duck'] })
    expect(['rubber   duck', 'Rubber\n\tDuck', 'rubberduck'].map((t) => d.scan(t).length)).toEqual([1, 1, 0])
  })

  test('wholeWord: false matches inside words', () => {
    const d = keywordDetector({ name: 'k', words: ['duck'], wholeWord: false })
    expect(d.scan('Ducktape').map((f) => [f.start, f.end])).toEqual([[0, 4]])
  })

  test('redact action carries a replacement named after the entity', () => {
    const d = keywordDetector({ name: 'k', words: ['duck'], action: 'redact', entity: 'BIRD' })
    expect(d.scan('duck')[0]).toMatchObject({ action: 'redact', entity: 'BIRD', replacement: '[REDACTED_BIRD]' })
  })

  test('configured words are normalised too', () => {
    const d = keywordDetector({ name: 'k', words: ['ＤＵＣＫ'] })
    expect(d.scan('duck').length).toBe(1)
  })

  test('prefers the longest word at the same position', () => {
    expect(matched('ducks')).toEqual(['ducks'])
  })

  test('window leaves room for invisible characters: at least 64, twice the longest word plus 16', () => {
    expect([animals.window, keywordDetector({ name: 'k', words: ['x'.repeat(40)] }).window]).toEqual([64, 96])
  })

  test('rejects a list without usable words', () => {
    expect(() => keywordDetector({ name: 'k', words: [' ', ''] })).toThrow("keyword detector 'k'")
  })
})
