import { expect, test } from 'bun:test'
import { lat, run, scenario, target } from '../test/fixtures.ts'
import { escapeXml, latencyChart, logDomain } from './chart.ts'

test.each<[number[], [number, number]]>([
  [[0.3, 4], [-1, 1]],
  [[1, 10], [0, 1]],
  [[0.5, 0.5], [-1, 0]],
  [[0.0001, 2], [-2, 1]],
  [[Number.NaN, 0, 250], [2, 3]],
  [[], [-1, 1]],
])('logDomain(%p) covers the values with whole decades: %p', (values, want) => {
  expect(logDomain(values)).toEqual(want)
})

test('escapeXml escapes markup characters', () => {
  expect(escapeXml(`<a & "b" 'c'>`)).toBe('&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;')
})

test('the chart has one panel per measured scenario and three bars per target', () => {
  const svg = latencyChart(
    run([
      scenario('chat', [target('direct', 'direct', { latency: lat(0.5, 2) }), target('gate<way>', 'gateway', { latency: lat(0.8, 3) })]),
      scenario('skipped-one', [], { status: 'skipped' }),
    ]),
  )
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
  expect(svg.match(/class="title"/g)?.length).toBe(1)
  expect(svg.match(/<title>/g)?.length).toBe(6)
  expect(svg).toContain('gate&lt;way&gt; p99 3.00 ms')
  expect(svg).not.toContain('skipped-one')
})

test('a run with nothing measured still gives a valid, empty chart', () => {
  const svg = latencyChart(run([]))
  expect(svg).toContain('</svg>')
  expect(svg).not.toContain('<title>')
})
