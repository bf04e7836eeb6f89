import { describe, expect, test } from 'bun:test'
import { KeyDigest, generateKey, presentedKey } from './keys.ts'

describe('presentedKey', () => {
  test.each([
    [{ authorization: 'Bearer sk-abc' }, 'sk-abc'],
    [{ authorization: 'bearer sk-abc' }, 'sk-abc'],
    [{ authorization: 'Bearer   sk-abc  ' }, 'sk-abc'],
    [{ 'x-api-key': 'sk-abc' }, 'sk-abc'],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, undefined],
    [{ authorization: 'Bearer' }, undefined],
    [{ authorization: 'Bearer a b' }, undefined],
    [{ authorization: `Bearer ${'x'.repeat(600)}` }, undefined],
    [{}, undefined],
  ])('reads %p as %p', (headers, expected) => {
    expect(presentedKey(new Headers(headers))).toBe(expected)
  })
})

describe('KeyDigest', () => {
  test('matches only the exact key', () => {
    const d = new KeyDigest('sk-right')
    expect([d.matches('sk-right'), d.matches('sk-wrong'), d.matches(''), d.matches('sk-right ')]).toEqual([true, false, false, false])
  })

  test('does not keep the key itself', () => {
    expect(JSON.stringify(Object.values(new KeyDigest('sk-secret-value')))).not.toContain('sk-secret-value')
  })
})

test('generateKey makes distinct sk- keys with 256 bits of randomness', () => {
  const a = generateKey()
  expect(a).toMatch(/^sk-[A-Za-z0-9_-]{43}$/)
  expect(generateKey()).not.toBe(a)
})
