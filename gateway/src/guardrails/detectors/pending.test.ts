import { describe, expect, test } from 'bun:test'
import { normalize } from '../normalize.ts'
import { prefixPattern, settledLength } from './pending.ts'

describe('settledLength', () => {
  test.each([
    ['a final letter (a mark may still compose with it)', 'ab', 1],
    ['a final space', 'ab ', 3],
    ['final ASCII punctuation and digits', 'a1?', 3],
    ['a final `=` (`=` + U+0338 is `≠`)', 'a=', 1],
    ['a final letter with its marks', 'ae\u0301', 1],
    ['final ASCII punctuation with a mark: its first character only', 'a?\u0301', 2],
    ['a final non-ASCII letter', 'aս', 1],
    ['a final ideographic space', 'a\u3000', 2],
    ['a final lone high surrogate', 'a\ud835', 1],
    ['trailing invisible characters (they never change a segment)', 'a!\u200b', 2],
    ['nothing', '', 0],
  ])('%s', (_name, text, expected) => {
    expect(settledLength(normalize(text), text)).toBe(expected)
  })
})

describe('prefixPattern', () => {
  const anchored = (source: string) => new RegExp(`^${source}$`, 'u')

  test('matches every prefix of every sequence, the empty one and the whole ones included', () => {
    const re = anchored(prefixPattern([['a', 'b'], ['a', 'c', '\\d{0,2}']]))
    expect(['', 'a', 'ab', 'ac', 'ac12', 'b', 'abc', 'ac123'].map((s) => re.test(s))).toEqual([true, true, true, true, true, false, false, false])
  })

  test('complete: false leaves out whole sequences that no other extends', () => {
    const re = anchored(prefixPattern([['d', 'u', 'c', 'k'], ['d', 'u', 'c', 'k', 's'], ['o', 'x']], false))
    expect(['du', 'duck', 'ducks', 'o', 'ox'].map((s) => re.test(s))).toEqual([true, true, false, true, false])
  })
})
