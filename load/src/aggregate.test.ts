import { expect, test } from 'bun:test'
import { aggregate, roundOrder, type TargetRounds } from './aggregate.ts'
import type { RoundResult } from './http-load.ts'
import type { LatencySummary } from './stats.ts'

const lat = (p50: number): LatencySummary => ({ count: 100, mean: p50, p50, p90: p50 * 2, p99: p50 * 3, max: p50 * 4 })
const round = (rps: number, p50: number, over: Partial<RoundResult> = {}): RoundResult => ({ rps, latency: lat(p50), requests: 100, errors: 0, non2xx: 0, ...over })

test('aggregate takes medians over rounds, sums counts and computes added latency against direct round by round', () => {
  const direct: TargetRounds = { target: 'direct', kind: 'direct', rounds: [round(1000, 1), round(1100, 2), round(900, 3)] }
  const gateway: TargetRounds = {
    target: 'gateway',
    kind: 'gateway',
    rounds: [round(950, 1.5), round(1000, 2.5, { non2xx: 2 }), round(980, 3.5, { errors: 1 })],
    rssPeakMb: 80,
  }
  expect(aggregate([direct, gateway])).toEqual([
    { target: 'direct', kind: 'direct', rps: 1000, latency: { count: 300, mean: 2, p50: 2, p90: 4, p99: 6, max: 8 }, requests: 300, errors: 0, non2xx: 0 },
    {
      target: 'gateway',
      kind: 'gateway',
      rps: 980,
      latency: { count: 300, mean: 2.5, p50: 2.5, p90: 5, p99: 7.5, max: 10 },
      addedLatency: { p50: 0.5, p90: 1, p99: 1.5, max: 2 },
      addedLatencyRounds: { p50: [0.5, 0.5, 0.5], p90: [1, 1, 1], p99: [1.5, 1.5, 1.5], max: [2, 2, 2] },
      requests: 300,
      errors: 1,
      non2xx: 2,
      rssPeakMb: 80,
    },
  ])
})

test('aggregate adds TTFT and its overhead for stream rounds, and keeps the peak of open streams and failure reasons', () => {
  const direct: TargetRounds = { target: 'direct', kind: 'direct', rounds: [round(200, 10, { ttft: lat(2) })] }
  const gateway: TargetRounds = { target: 'gateway', kind: 'gateway', rounds: [{ ...round(200, 11, { ttft: lat(2.25) }), peakOpen: 12, failures: ['HTTP 502'] }] }
  const [, g] = aggregate([direct, gateway])
  expect({ ttft: g!.ttft, ttftOverhead: g!.ttftOverhead, peakOpen: g!.peakOpen, failures: g!.failures }).toEqual({
    ttft: { count: 100, mean: 2.25, p50: 2.25, p90: 4.5, p99: 6.75, max: 9 },
    ttftOverhead: { p50: 0.25, p90: 0.5, p99: 0.75, max: 1 },
    peakOpen: 12,
    failures: ['HTTP 502'],
  })
})

test('without a direct target there are no overheads', () => {
  const [g] = aggregate([{ target: 'gateway', kind: 'gateway', rounds: [round(10, 1, { ttft: lat(1) })] }])
  expect([g!.addedLatency, g!.ttftOverhead]).toEqual([undefined, undefined])
})

test.each([
  [0, ['a', 'b', 'c']],
  [1, ['b', 'c', 'a']],
  [2, ['c', 'a', 'b']],
  [3, ['a', 'b', 'c']],
])('roundOrder rotates the targets by the round number (round %p)', (i, want) => {
  expect(roundOrder(['a', 'b', 'c'], i)).toEqual(want)
})
