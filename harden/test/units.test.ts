import { expect, test } from 'bun:test'
import { nearMisses } from '../src/auth-fuzz.ts'
import { leakForms } from '../src/canary.ts'
import { fig, renderTable } from '../src/report.ts'
import { slope } from '../src/soak.ts'
import { rejectionLines } from '../src/spawned.ts'
import { Histogram, pct } from '../src/sys.ts'

test('pct takes the nearest rank', () => {
  expect([pct([5, 1, 3, 2, 4], 50), pct([5, 1, 3, 2, 4], 100), pct([], 99)]).toEqual([3, 5, Number.NaN])
})

test('slope is the least-squares slope', () => {
  expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBe(2)
})

test('leakForms covers plain, base64, base64url and URL-encoded forms', () => {
  expect(leakForms('a/b+c')).toEqual(['a/b+c', btoa('a/b+c'), 'a%2Fb%2Bc', Buffer.from('a/b+c').toString('base64url')])
})

test('nearMisses never contains the key itself', () => {
  const key = 'sk-canary-0123456789'
  expect(nearMisses(key).includes(key)).toBe(false)
  expect(nearMisses(key).length).toBeGreaterThan(15)
})

test('renderTable writes one row per figure and escapes pipes', () => {
  const t = renderTable([{ area: 'x', figures: [fig('a|b', 1, '0', false)], problems: [], findings: ['f'], ms: 1500 }], { profile: 'p', date: 'd', bun: '1', cores: 2 })
  expect(t).toContain('| x | a\\|b | 1 | 0 | **NO** |')
  expect(t).toContain('- x: f')
})

test('Histogram percentiles land on the bucket edge', () => {
  const h = new Histogram()
  for (const ms of [0.05, 1.23, 2, 3, 2000]) h.add(ms)
  expect([h.pct(20), h.pct(60), h.pct(100), h.count]).toEqual([0.1, 2.1, 2000, 5])
})

test('rejectionLines finds the unhandled rejection lines among the error log lines', () => {
  const stderr = [
    '{"time":"t","level":"error","msg":"spend flush failed; will retry","pending":3}',
    '{"time":"t","level":"error","msg":"unhandled rejection","error":"lost promise","error_name":"TypeError"}',
    '',
  ].join('\n')
  expect(rejectionLines(stderr)).toEqual(['{"time":"t","level":"error","msg":"unhandled rejection","error":"lost promise","error_name":"TypeError"}'])
  expect(rejectionLines('')).toEqual([])
})
