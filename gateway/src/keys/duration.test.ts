import { expect, test } from 'bun:test'
import { addDuration, isDuration } from './duration.ts'

const T0 = Date.UTC(2026, 0, 31, 12, 0, 0)

test.each([
  ['30s', T0 + 30_000],
  ['15m', T0 + 900_000],
  ['12h', T0 + 43_200_000],
  ['30d', T0 + 30 * 86_400_000],
  ['1mo', Date.UTC(2026, 2, 3, 12, 0, 0)],
])('%s after a fixed instant', (d, expected) => {
  expect(addDuration(T0, d)).toBe(expected)
})

test.each(['', '30', 'd30', '1y', '-1d', '1.5h', '30 d'])('rejects %p', (d) => {
  expect(isDuration(d)).toBe(false)
  expect(() => addDuration(T0, d)).toThrow('expected a duration')
})
