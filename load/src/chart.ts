/**
 * An SVG chart of latency percentiles per target: one panel per measured
 * scenario, one group of bars (p50, p90, p99) per target, on a log scale so
 * a sub-millisecond gateway and a slow peer fit on one axis. Pure.
 */
import type { RunResult, ScenarioResult } from './result.ts'

const WIDTH = 860
const LEFT = 150
const RIGHT = 70
const BAR = 9
const GAP = 10
const PANEL_HEAD = 34
const AXIS = 26
const SERIES = [
  { key: 'p50', color: '#4c78a8' },
  { key: 'p90', color: '#f58518' },
  { key: 'p99', color: '#e45756' },
] as const
const FLOOR_MS = 0.01

/** Escapes text for SVG/XML. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
}

/** Decades [lo, hi] (as powers of ten) covering every value, at least one decade wide. */
export function logDomain(values: readonly number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0).map((v) => Math.max(v, FLOOR_MS))
  if (finite.length === 0) return [-1, 1]
  const lo = Math.floor(Math.log10(Math.min(...finite)))
  const hi = Math.ceil(Math.log10(Math.max(...finite)))
  return [lo, Math.max(hi, lo + 1)]
}

const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2))

function panel(s: ScenarioResult, top: number): { svg: string[]; height: number } {
  const label = s.mode === 'stream' ? 'whole-stream latency' : 'latency'
  const values = s.targets.flatMap((t) => SERIES.map((x) => t.latency[x.key]))
  const [lo, hi] = logDomain(values)
  const plotW = WIDTH - LEFT - RIGHT
  const x = (v: number) => LEFT + ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * plotW
  const group = SERIES.length * BAR + GAP
  const plotTop = top + PANEL_HEAD
  const plotH = s.targets.length * group
  const svg = [`<text x="10" y="${top + 20}" class="title">${escapeXml(s.scenario)}: ${label} (ms, log scale)</text>`]
  for (let d = lo; d <= hi; d++) {
    const gx = x(10 ** d)
    svg.push(`<line x1="${gx}" y1="${plotTop}" x2="${gx}" y2="${plotTop + plotH}" class="grid"/>`)
    svg.push(`<text x="${gx}" y="${plotTop + plotH + 16}" text-anchor="middle">${fmt(10 ** d)}</text>`)
  }
  s.targets.forEach((t, i) => {
    const gy = plotTop + i * group
    svg.push(`<text x="${LEFT - 8}" y="${gy + (SERIES.length * BAR) / 2 + 4}" text-anchor="end">${escapeXml(t.target)}</text>`)
    SERIES.forEach((ser, j) => {
      const v = t.latency[ser.key]
      if (!Number.isFinite(v)) return
      const y = gy + j * BAR
      svg.push(`<rect x="${LEFT}" y="${y}" width="${Math.max(1, x(v) - LEFT).toFixed(1)}" height="${BAR - 1}" fill="${ser.color}"><title>${escapeXml(t.target)} ${ser.key} ${fmt(v)} ms</title></rect>`)
      svg.push(`<text x="${(x(v) + 4).toFixed(1)}" y="${y + BAR - 1}" class="value">${fmt(v)}</text>`)
    })
  })
  return { svg, height: PANEL_HEAD + plotH + AXIS }
}

/** The whole chart; scenarios that were skipped or have no targets are left out. */
export function latencyChart(run: RunResult): string {
  const body: string[] = []
  let top = 30
  for (const s of run.scenarios) {
    if (s.status !== 'ok' || s.targets.length === 0) continue
    const p = panel(s, top)
    body.push(...p.svg)
    top += p.height
  }
  const legend = SERIES.map((s, i) => `<rect x="${LEFT + i * 70}" y="8" width="12" height="12" fill="${s.color}"/><text x="${LEFT + i * 70 + 16}" y="18">${s.key}</text>`)
  const height = Math.max(top + 10, 60)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    '<style>.title{font-size:13px;font-weight:bold}.grid{stroke:#ddd}.value{font-size:9px;fill:#444}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...legend,
    ...body,
    '</svg>',
    '',
  ].join('\n')
}
