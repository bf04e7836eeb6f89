import { expect, test } from 'bun:test'
import { lat, run, scenario, target } from '../test/fixtures.ts'
import { compareWithBaseline, DEFAULT_TOLERANCE, describeComparison, limitFor } from './baseline.ts'
import type { TargetResult } from './result.ts'

const gw = (over: Partial<TargetResult> = {}) =>
  target('gateway', 'gateway', { rps: 10_000, latency: lat(1, 4), addedLatency: { p50: 0.2, p90: 0.3, p99: 0.5, max: 2 }, rssPeakMb: 100, ...over })
const baseline = run([scenario('chat', [target('direct', 'direct'), gw()])])
const withGateway = (over: Partial<TargetResult>) => run([scenario('chat', [target('direct', 'direct'), gw(over)])])

test.each([
  ['the same figures', {}, []],
  ['throughput 5% lower (within 10%)', { rps: 9_500 }, []],
  ['throughput 20% lower', { rps: 8_000 }, ['rps']],
  ['p99 up by 1 ms with the added p99 unchanged (a slower machine: the direct call slowed too)', { latency: lat(1, 5) }, []],
  ['added p99 from 0.5 to 0.7 ms (within the 0.25 ms slack)', { addedLatency: { p50: 0.2, p90: 0.3, p99: 0.7, max: 2 } }, []],
  ['added p99 from 0.5 to 1.5 ms', { addedLatency: { p50: 0.2, p90: 0.3, p99: 1.5, max: 2 } }, ['addedLatency.p99']],
  ['RSS 15 MB higher (within 10% + 8 MB)', { rssPeakMb: 115 }, []],
  ['RSS 30 MB higher', { rssPeakMb: 130 }, ['rssPeakMb']],
  ['errors where there were none', { errors: 50 }, ['failureRate']],
  ['faster and smaller', { rps: 20_000, latency: lat(0.5, 2), rssPeakMb: 50 }, []],
] as const)('%s', (_name, over, metrics) => {
  const c = compareWithBaseline(withGateway(over as Partial<TargetResult>), baseline)
  expect(c.regressions.map((r) => r.metric)).toEqual([...metrics])
})

test('without a direct call in the scenario, absolute latency is gated: within 10 % + 0.25 ms passes, 1 ms more fails', () => {
  const alone = (p99: number) => run([scenario('chat', [target('gateway', 'gateway', { latency: lat(1, p99) })])])
  expect(compareWithBaseline(alone(4.3), alone(4)).regressions).toEqual([])
  expect(compareWithBaseline(alone(5), alone(4)).regressions.map((r) => r.metric)).toEqual(['latency.p99'])
})

test('with the Bun pass-through in the run, throughput is gated as a share of it, not in absolute terms', () => {
  const saturating = (gateway: number, floor: number) =>
    run([scenario('throughput', [target('gateway', 'gateway', { rps: gateway }), target('bun-passthrough', 'passthrough', { rps: floor })])])
  const base = saturating(12_000, 36_000)
  expect(compareWithBaseline(saturating(9_600, 28_800), base).regressions).toEqual([])
  const slower = compareWithBaseline(saturating(9_600, 36_000), base)
  expect(slower.regressions.map((r) => [r.metric, r.current, r.limit])).toEqual([['rps/passthrough', 9_600 / 36_000, (12_000 / 36_000) * 0.9]])
})

test('in a saturating scenario, latency is gated as a multiple of the pass-through\'s: a slower machine is not a regression, a slower gateway is', () => {
  // Figures shaped like a real saturating run (64 connections: latency is about connections ÷ throughput).
  const saturating = (machine: number, gateway = 1) =>
    run([scenario('throughput', [
      target('direct', 'direct', { rps: 44_000 / machine, latency: lat(1.3 * machine, 3 * machine) }),
      target('gateway', 'gateway', { rps: 14_500 / machine / gateway, latency: lat(4 * machine * gateway, 9.7 * machine * gateway), addedLatency: { p50: 2.7 * machine * gateway, p90: 4, p99: 6.7 * machine * gateway, max: 20 } }),
      target('bun-passthrough', 'passthrough', { rps: 39_000 / machine, latency: lat(1.5 * machine, 4 * machine) }),
    ], { load: { connections: 64, durationS: 10, rounds: 3 } })])
  const base = saturating(1)
  const slowerMachine = compareWithBaseline(saturating(1.25), base)
  expect(slowerMachine.regressions).toEqual([])
  expect(slowerMachine.compared).toBe(4) // rps/passthrough, p50 and p99 ÷ the pass-through's, failure rate
  const slowerGateway = compareWithBaseline(saturating(1, 1.25), base)
  expect(slowerGateway.regressions.map((r) => r.metric)).toEqual(['rps/passthrough', 'latency.p50/passthrough', 'latency.p99/passthrough'])
  // At a fixed rate the time added over the direct call is what counts, as before.
  const fixedRate = (added: number) => run([scenario('chat', [target('direct', 'direct'), target('gateway', 'gateway', { addedLatency: { p50: 0.2, p90: 0.3, p99: added, max: 2 } }), target('bun-passthrough', 'passthrough')])])
  expect(compareWithBaseline(fixedRate(1.5), fixedRate(0.5)).regressions.map((r) => r.metric)).toEqual(['addedLatency.p99'])
})

test('at a fixed rate, the time added is gated net of what the scenario\'s own pass-through adds; a scenario without one is gated on the time added alone', () => {
  // Added p50/p99 in ms from two full runs of the same code (2026-11-27, 07:14 and 08:56): the
  // second machine was noisier, and the raw added p99 of the stream scenario crossed the limit.
  const added = (p50: number, p99: number) => ({ addedLatency: { p50, p90: (p50 + p99) / 2, p99, max: p99 * 2 } })
  const streamLoad = { mode: 'stream' as const, load: { rate: 200, connections: 64, durationS: 10, rounds: 3 } }
  const fullRun = (stream: [number, number], floor: [number, number], guarded: [number, number]) =>
    run([
      scenario('stream', [target('direct', 'direct'), target('gateway', 'gateway', added(...stream)), target('bun-passthrough', 'passthrough', added(...floor))], streamLoad),
      scenario('stream-guardrails', [target('direct', 'direct'), target('gateway', 'gateway', added(...guarded))], streamLoad),
    ])
  const base = fullRun([0.19, 0.36], [0.14, 0.1], [0.03, 0.93])
  const noisier = compareWithBaseline(fullRun([0.26, 0.71], [0.18, 0.47], [0.28, 0.95]), base)
  expect(noisier.regressions).toEqual([])
  // A gateway that really got slower, on a machine as quiet as the baseline's, fails.
  const slower = compareWithBaseline(fullRun([0.19, 0.9], [0.14, 0.12], [0.03, 0.93]), base)
  expect(slower.regressions.map((r) => `${r.scenario} ${r.metric}`)).toEqual(['stream addedLatency.p99-passthrough'])
  // Without a pass-through of its own, a scenario does not borrow another's (measured minutes apart).
  const guarded = compareWithBaseline(fullRun([0.26, 0.71], [0.18, 0.47], [0.28, 1.4]), base)
  expect(guarded.regressions.map((r) => `${r.scenario} ${r.metric}`)).toEqual(['stream-guardrails addedLatency.p99'])
})

test('a burst scenario (streams opened at once) gates only RSS and failures: its latency is the client\'s burst as much as the gateway\'s', () => {
  const burst = (ttft: number, rss: number, errors = 0) =>
    run([scenario('open-streams', [target('gateway', 'gateway', { ttft: lat(ttft, ttft * 1.5), latency: lat(5000, 5200), rssPeakMb: rss, errors })], { mode: 'stream', load: { connections: 1000, durationS: 10, rounds: 1, total: 1000 } })])
  const base = burst(158, 136)
  expect(compareWithBaseline(burst(204, 136), base).regressions).toEqual([])
  expect(compareWithBaseline(burst(158, 180, 50), base).regressions.map((r) => r.metric)).toEqual(['rssPeakMb', 'failureRate'])
})

test('a figure past the limit whose rounds overlap the baseline\'s is within the spread: reported, not failed; rounds all worse still fail', () => {
  // Added p99 per round (ms) of the stream scenario's gateway, shaped like repeated runs of unchanged code
  // (medians 0.36 to 1.32 ms over eight runs); the pass-through added about 0.1 ms.
  const added = (p99: number[]) => {
    const sorted = [...p99].sort((a, b) => a - b)
    return { addedLatency: { p50: 0.2, p90: 0.3, p99: sorted[1]!, max: 3 }, addedLatencyRounds: { p50: [0.2, 0.2, 0.2], p90: [0.3, 0.3, 0.3], p99, max: [3, 3, 3] } }
  }
  const floor = { addedLatency: { p50: 0.14, p90: 0.15, p99: 0.1, max: 1 } }
  const streamRun = (p99: number[]) =>
    run([scenario('stream', [target('direct', 'direct'), target('gateway', 'gateway', added(p99)), target('bun-passthrough', 'passthrough', floor)], { mode: 'stream', load: { rate: 200, connections: 64, durationS: 10, rounds: 3 } })])
  const base = streamRun([0.36, 0.3, 0.9])
  const noisy = compareWithBaseline(streamRun([1.2, 0.85, 1.4]), base)
  expect(noisy.regressions).toEqual([])
  expect(noisy.withinSpread.map((r) => r.metric)).toEqual(['addedLatency.p99-passthrough'])
  expect(describeComparison(noisy)[0]).toStartWith('within the spread of rounds stream/gateway addedLatency.p99-passthrough: 1.100')
  const slower = compareWithBaseline(streamRun([1.2, 1.0, 1.4]), base)
  expect(slower.regressions.map((r) => r.metric)).toEqual(['addedLatency.p99-passthrough'])
  // Results from before rounds were stored are judged on their medians alone.
  const old = (r: ReturnType<typeof streamRun>) => JSON.parse(JSON.stringify(r, (k, v) => (k === 'addedLatencyRounds' ? undefined : v)))
  expect(compareWithBaseline(streamRun([1.2, 0.85, 1.4]), old(base)).regressions.map((r) => r.metric)).toEqual(['addedLatency.p99-passthrough'])
})

test('only gateway targets are gated: a slower direct or peer is not a regression', () => {
  const base = run([scenario('chat', [target('direct', 'direct'), gw(), target('portkey', 'peer')])])
  const now = run([scenario('chat', [target('direct', 'direct', { rps: 1 }), gw(), target('portkey', 'peer', { rps: 1 })])])
  expect(compareWithBaseline(now, base).regressions).toEqual([])
})

test('a scenario missing or skipped in this run is listed as not compared', () => {
  const now = run([scenario('chat', [], { status: 'skipped', skipReason: 'x' })])
  expect(compareWithBaseline(now, baseline)).toEqual({ regressions: [], withinSpread: [], compared: 0, notCompared: ['chat/gateway'] })
})

test('a scenario skipped in the baseline is not compared at all', () => {
  const base = run([scenario('chat', [], { status: 'skipped' })])
  expect(compareWithBaseline(withGateway({ rps: 1 }), base).compared).toBe(0)
})

test('NaN figures stored as null in JSON are ignored', () => {
  const base = JSON.parse(JSON.stringify(run([scenario('chat', [gw({ latency: lat(Number.NaN, Number.NaN) })])]), (_k, v) => (Number.isNaN(v) ? null : v)))
  expect(compareWithBaseline(withGateway({}), base).regressions).toEqual([])
})

test.each([
  ['higher is better', { better: 'higher', unit: 'rps' }, 1000, 900],
  ['lower is better, ms', { better: 'lower', unit: 'ms' }, 2, 2.45],
  ['lower is better, negative ms baseline', { better: 'lower', unit: 'ms' }, -1, -0.65],
  ['lower is better, MB', { better: 'lower', unit: 'mb' }, 100, 118],
] as const)('limitFor: %s', (_name, metric, base, want) => {
  expect(limitFor(metric, base, DEFAULT_TOLERANCE)).toBeCloseTo(want, 9)
})

test('describeComparison names each regression and ends with a count', () => {
  const lines = describeComparison(compareWithBaseline(withGateway({ rps: 5_000 }), baseline))
  expect(lines).toEqual(['REGRESSION chat/gateway rps: 5000.000 (baseline 10000.000, limit 9000.000)', '5 figures compared, 1 regressed'])
})
