import { expect, test } from 'bun:test'
import { addDuration, fixedDurationMs, isDuration } from './duration.ts'

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

test.each([
  ['3600s', 3_600_000],
  ['60m', 3_600_000],
  ['24h', 86_400_000],
  ['7d', 7 * 86_400_000],
])('%s is a fixed length', (d, ms) => {
  expect(fixedDurationMs(d)).toBe(ms)
})

test.each(['1mo', '7', '7w', ' 7d', '0s'])('a fixed length refuses %p', (d) => {
  expect(() => fixedDurationMs(d)).toThrow('expected a duration')
})
