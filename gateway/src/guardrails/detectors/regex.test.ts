import { describe, expect, test } from 'bun:test'
import { regexDetector } from './regex.ts'

describe('regexDetector', () => {
  const orders = regexDetector({ name: 'orders', patterns: ['order-\\d{4,8}', 'ticket #\\d+'], action: 'redact', entity: 'ORDER_ID' })

  test('matches case-insensitively on normalised text and reports original spans', () => {
    const text = 'see ORDER-1234 and Тicket\u200b #9'
    expect(orders.scan(text).map((f) => text.slice(f.start, f.end))).toEqual(['ORDER-1234', 'Тicket\u200b #9'])
  })

  test('redact findings carry the entity replacement', () => {
    expect(orders.scan('order-12345')[0]).toMatchObject({ entity: 'ORDER_ID', replacement: '[REDACTED_ORDER_ID]' })
  })

  test('ignores empty matches', () => {
    expect(regexDetector({ name: 'r', patterns: ['x*'] }).scan('abc')).toEqual([])
  })

  test('rejects an invalid pattern, naming it', () => {
    expect(() => regexDetector({ name: 'r', patterns: ['('] })).toThrow("regex detector 'r': invalid pattern \"(\"")
  })

  test('defaults: block action, REGEX entity, window 64', () => {
    const d = regexDetector({ name: 'r', patterns: ['abc'] })
    expect({ window: d.window, finding: d.scan('abc')[0] }).toEqual({
      window: 64,
      finding: { detector: 'r', entity: 'REGEX', start: 0, end: 3, action: 'block' },
    })
  })
})
