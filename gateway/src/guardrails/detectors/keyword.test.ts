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

  describe('holdFrom: where a match may still be pending', () => {
    const rubber = keywordDetector({ name: 'k', words: ['rubber duck'] })
    const inside = keywordDetector({ name: 'k', words: ['duck'], wholeWord: false })

    test.each([
      ['prose ending in punctuation', animals, 'Hello, how are you today?', 0, 25],
      ['a trailing word no keyword starts with', animals, 'Hello world', 0, 11],
      ['a keyword prefix at a word start', animals, 'the du', 0, 4],
      ['a prefix of a longer keyword', animals, 'some bunnie', 0, 5],
      ['a whole keyword until the next character decides', animals, 'a duck', 0, 2],
      ['a whole keyword that may still grow into a longer one', animals, 'a ducks', 0, 2],
      ['nothing once a space follows the keyword', animals, 'a duck ', 0, 7],
      ['nothing once punctuation follows the keyword', animals, 'a duck!', 0, 7],
      ['nothing for a keyword prefix inside a word', animals, 'produ', 0, 5],
      ['a prefix with an Armenian homoglyph', animals, 'a dս', 0, 2],
      ['a prefix with a Cyrillic homoglyph', animals, 'a bսnnу', 0, 2],
      ['a prefix with a zero-width character inside', animals, 'a d\u200bu', 0, 2],
      ['a prefix with soft hyphens inside', animals, 'a bun\u00adn', 0, 2],
      ['a prefix followed by zero-width characters still to come', animals, 'a du\u200b\u200c', 0, 2],
      ['a fullwidth prefix', animals, 'the ｄｕ', 0, 4],
      ['a whole fullwidth keyword', animals, 'the ｄｕｃｋ', 0, 4],
      ['a whole keyword followed by a zero-width character', animals, 'a duck\u200b', 0, 2],
      ['a whole keyword whose last letter has a combining mark', animals, 'a duck\u0301', 0, 2],
      ['a last letter that a combining mark could still change', animals, 'so dux', 0, 3],
      ['a single letter at a word start', animals, 'so d', 0, 3],
      ['a trailing character a mark composes with (= + U+0338 is ≠)', animals, 'x =', 0, 2],
      ['a lone high surrogate at a word start', animals, 'a \ud835', 0, 2],
      ['nothing before `from`', animals, 'the du', 5, 6],
      ['a phrase prefix ending in its first word', rubber, 'my rubber', 0, 3],
      ['a phrase prefix ending in whitespace', rubber, 'my rubber ', 0, 3],
      ['a phrase prefix across a run of any whitespace', rubber, 'my Rubber\n\t du', 0, 3],
      ['nothing once a phrase diverges', rubber, 'my rubber band', 0, 14],
      ['without whole words, a prefix inside a word', inside, 'produ', 0, 3],
      ['without whole words, nothing after a whole keyword', inside, 'ducky.', 0, 6],
    ])('%s', (_name, d, text, from, expected) => {
      expect(d.holdFrom!(text, from)).toBe(expected)
    })
  })
})
