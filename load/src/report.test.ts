import { expect, test } from 'bun:test'
import { lat, run, scenario, target } from '../test/fixtures.ts'
import { fmtInt, fmtMs, fmtRatio, sideBySide, toJson, toMarkdown } from './report.ts'

const chat = scenario('chat', [
  target('direct', 'direct', { rps: 1000, latency: lat(0.5, 1) }),
  target('gateway', 'gateway', { rps: 1000, latency: lat(0.75, 1.5), addedLatency: { p50: 0.25, p90: 0.3, p99: 0.5, max: 1 }, rssPeakMb: 80.04 }),
  target('bun-passthrough', 'passthrough', { rps: 1000, latency: lat(0.6, 1.2) }),
])
const throughput = scenario(
  'throughput',
  [
    target('gateway', 'gateway', { rps: 20_000, latency: lat(2, 8) }),
    target('bun-passthrough', 'passthrough', { rps: 25_000, latency: lat(1.5, 6) }),
    target('portkey', 'peer', { rps: 1_000, latency: lat(50, 160) }),
  ],
  { load: { connections: 64, durationS: 10, rounds: 3 } },
)

test.each([
  [fmtMs(1.23456), '1.23'],
  [fmtMs(Number.NaN), '–'],
  [fmtMs(undefined), '–'],
  [fmtInt(12345.6), '12,346'],
  [fmtRatio(20_000, 1_000), '20×'],
  [fmtRatio(2, 3), '0.67×'],
  [fmtRatio(1, 0), '–'],
])('formats %p as %p', (got, want) => {
  expect(got).toBe(want)
})

test('the side-by-side table puts the gateway first and gives ratios against it', () => {
  expect(sideBySide(throughput)).toEqual([
    '| target | req/s | gateway req/s ÷ this | p99 ms | this p99 ÷ gateway p99 |',
    '| --- | --- | --- | --- | --- |',
    '| gateway | 20,000 | 1.00× | 8.00 | 1.00× |',
    '| bun-passthrough | 25,000 | 0.80× | 6.00 | 0.75× |',
    '| portkey | 1,000 | 20× | 160.00 | 20× |',
  ])
})

test('no side-by-side table without a floor or a peer', () => {
  expect(sideBySide(scenario('x', [target('direct', 'direct'), target('gateway', 'gateway')]))).toEqual([])
})

test('the Markdown report has the machine, the goals, a table per scenario and the skip reasons', () => {
  const md = toMarkdown(run([chat, throughput, scenario('chat-keyed', [], { status: 'skipped', skipReason: 'virtual keys not available' })]))
  expect(md).toContain('Run 2026-01-02T03:04:05.000Z on 2 × Test CPU, linux 6.0, Bun 1.4.5.')
  expect(md).toContain('Pinned with taskset')
  expect(md).toContain('| added latency p99 <= 1 ms at 1000 rps | chat | 0.500 ms | pass |')
  expect(md).toContain('| >= 10x portkey throughput, with lower p99 | throughput | 20.0x, p99 8.000 ms vs 160.000 ms | pass |')
  expect(md).toContain('Offered: 1,000 requests/s, evenly spaced, 32 in flight at most; 10 s × 3 rounds per target (median of round medians).')
  expect(md).toContain('| gateway | 1,000 | 0.75 | 1.13 | 1.50 | 2.25 | 0.25 | 0.50 | 0 | 0 | 80.0 |')
  expect(md).toContain('Offered: saturating, 64 connections')
  expect(md).toContain('## chat-keyed\n\nchat-keyed description\n\nSkipped: virtual keys not available')
})

test('stream scenarios get TTFT columns, and failures and notes become a list', () => {
  const s = scenario('stream', [target('gateway', 'gateway', { ttft: lat(2, 5), ttftOverhead: { p50: 0.3, p90: 0.4, p99: 0.9, max: 2 }, failures: ['HTTP 500'] })], {
    mode: 'stream',
    notes: ['the mock saw 10 streams'],
  })
  const md = toMarkdown(run([s]))
  expect(md).toContain('| target | streams/s | p50 ms | p90 ms | p99 ms | max ms | added p50 | added p99 | TTFT p50 | TTFT p99 | TTFT +p50 | TTFT +p99 | errors | non-2xx | RSS peak MB |')
  expect(md).toContain('| 2.00 | 5.00 | 0.30 | 0.90 |')
  expect(md).toContain('- the mock saw 10 streams\n- gateway failures: HTTP 500')
})

test('toJson writes NaN as null and round-trips everything else', () => {
  const r = run([scenario('s', [target('gateway', 'gateway', { latency: lat(Number.NaN, 2) })])])
  const back = JSON.parse(toJson(r))
  expect(back.scenarios[0].targets[0].latency.p50).toBeNull()
  expect(back.scenarios[0].targets[0].latency.p99).toBe(2)
  expect(back.machine).toEqual(r.machine)
})
