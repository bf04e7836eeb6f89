import { expect, test } from 'bun:test'
import { lat, run, scenario, target } from '../test/fixtures.ts'
import { checkGoals } from './goals.ts'

test('every goal is n/a when nothing was measured', () => {
  expect(checkGoals(run([])).map((g) => g.status)).toEqual(['n/a', 'n/a', 'n/a', 'n/a', 'n/a', 'n/a'])
})

test('a skipped scenario leaves its goal n/a', () => {
  const goals = checkGoals(run([scenario('stream-guardrails', [], { status: 'skipped' })]))
  expect(goals[2]).toEqual({ goal: 'streaming with output guardrails: TTFT overhead p50 <= 1 ms', scenario: 'stream-guardrails', value: 'not measured', status: 'n/a' })
})

test('throughput goals: the full gateway (guardrails on) against the floor, the gateway against each peer by name', () => {
  const full = scenario('throughput-guardrails', [
    target('gateway', 'gateway', { rps: 20_000, latency: lat(2, 8) }),
    target('bun-passthrough', 'passthrough', { rps: 30_000 }),
  ])
  const tp = scenario('throughput', [
    target('gateway', 'gateway', { rps: 20_000, latency: lat(2, 8) }),
    target('bun-passthrough', 'passthrough', { rps: 25_000 }),
    target('portkey', 'peer', { rps: 1_000, latency: lat(50, 200) }),
    target('litellm', 'peer', { rps: 500, latency: lat(100, 7) }),
  ])
  const goals = checkGoals(run([tp, full]))
  expect([goals[0], goals[4], goals[5]].map((g) => [g!.value, g!.status])).toEqual([
    ['66.7%', 'fail'],
    ['20.0x, p99 8.000 ms vs 200.000 ms', 'pass'],
    ['40.0x, p99 8.000 ms vs 7.000 ms', 'fail'],
  ])
})

test.each([
  ['within the limit', { rssPeakMb: 120 }, 1000, 'pass'],
  ['over 256 MB', { rssPeakMb: 300 }, 1000, 'fail'],
  ['with errors', { rssPeakMb: 120, errors: 3 }, 1000, 'fail'],
  ['with fewer streams open upstream than asked', { rssPeakMb: 120 }, 256, 'fail'],
] as const)('open streams goal %s', (_name, over, upstream, status) => {
  const s = scenario('open-streams', [target('gateway', 'gateway', over)], { mode: 'stream', load: { connections: 1000, total: 1000, durationS: 10, rounds: 1 }, upstreamPeakOpen: upstream })
  expect(checkGoals(run([s]))[3]!.status).toBe(status)
})

test('added latency goal uses the p99 over direct at the chat rate', () => {
  const chat = scenario('chat', [target('gateway', 'gateway', { addedLatency: { p50: 0.2, p90: 0.5, p99: 1.2, max: 3 } })])
  expect(checkGoals(run([chat]))[1]).toEqual({ goal: 'added latency p99 <= 1 ms at 1000 rps', scenario: 'chat', value: '1.200 ms', status: 'fail' })
})

test('the floor goal is n/a without the guardrails throughput run, even when the plain one ran', () => {
  const tp = scenario('throughput', [target('gateway', 'gateway', { rps: 29_000 }), target('bun-passthrough', 'passthrough', { rps: 30_000 })])
  expect(checkGoals(run([tp]))[0]).toMatchObject({ scenario: 'throughput-guardrails', status: 'n/a' })
})
