import { expect, test } from 'bun:test'
import { median, medianDifference, medianOfRounds, percentile, roundDifferences, Samples, summarize, type LatencySummary } from './stats.ts'

const ten = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])

test.each([
  [0, 1],
  [50, 5.5],
  [90, 9.1],
  [99, 9.91],
  [100, 10],
])('percentile %p of 1..10 interpolates between ranks to %p', (p, want) => {
  expect(percentile(ten, p)).toBeCloseTo(want, 10)
})

test.each([
  ['one sample', [7], 99, 7],
  ['two samples', [1, 3], 50, 2],
  ['below zero clamps to the minimum', [4, 8], -5, 4],
  ['above 100 clamps to the maximum', [4, 8], 150, 8],
])('percentile of %s', (_name, values, p, want) => {
  expect(percentile(Float64Array.from(values as number[]), p as number)).toBe(want as number)
})

test('percentile of nothing is NaN', () => {
  expect(percentile([], 50)).toBeNaN()
})

test('summarize sorts unsorted samples and reports every figure', () => {
  const got = Object.fromEntries(Object.entries(summarize([10, 1, 5, 3, 7])).map(([k, v]) => [k, Number(v.toFixed(9))]))
  expect(got).toEqual({ count: 5, mean: 5.2, p50: 5, p90: 8.8, p99: 9.88, max: 10 })
})

test('summarize of no samples has count 0 and NaN figures', () => {
  const s = summarize([])
  expect(s.count).toBe(0)
  expect([s.mean, s.p50, s.p90, s.p99, s.max].every(Number.isNaN)).toBe(true)
})

test.each([
  [[3, 1, 2], 2],
  [[4, 1, 3, 2], 2.5],
  [[Number.NaN, 5, 7], 6],
  [[Number.NaN], Number.NaN],
])('median of %p is %p', (values, want) => {
  expect(median(values)).toEqual(want)
})

const s = (p50: number, p99: number, count = 10): LatencySummary => ({ count, mean: p50, p50, p90: p50, p99, max: p99 * 2 })

test('medianOfRounds takes the median of each figure and adds the counts', () => {
  expect(medianOfRounds([s(1, 10), s(3, 30), s(2, 99)])).toEqual({ count: 30, mean: 2, p50: 2, p90: 2, p99: 30, max: 60 })
})

test('medianDifference pairs round i with round i before taking the median', () => {
  // Per-round p50 differences: 0.5, 0.25, 5 -> median 0.5 (a difference of medians would give 1).
  const target = [s(1.5, 4), s(2.25, 3), s(8, 20)]
  const direct = [s(1, 2), s(2, 2), s(3, 2)]
  expect(medianDifference(target, direct)).toEqual({ p50: 0.5, p90: 0.5, p99: 2, max: 4 })
  // The rounds themselves, in round order, as results.json keeps them for the release gate.
  expect(roundDifferences(target, direct).p50).toEqual([0.5, 0.25, 5])
})

test('Samples grows past its initial capacity and keeps every value in order', () => {
  const samples = new Samples()
  for (let i = 0; i < 10_000; i++) samples.push(i)
  expect(samples.length).toBe(10_000)
  expect([samples.values()[0], samples.values()[9_999]]).toEqual([0, 9_999])
})
