/**
 * The release gate: compares a run with a stored result (`--baseline FILE`)
 * and lists every gateway figure that got worse beyond the tolerance. Only
 * `gateway` targets are gated (direct, the floor and peers are context).
 * Baselines are only meaningful from the same machine and options. Pure.
 */
import type { RunResult, TargetResult } from './result.ts'

/** How much worse a figure may get before it counts as a regression. */
export interface Tolerance {
  /** Fraction of the baseline value (0.10 = 10 %). Default 0.10. */
  relative: number
  /** Extra slack for millisecond figures, so sub-millisecond noise is not a regression. Default 0.25 ms. */
  absoluteMs: number
  /** Extra slack for memory. Default 8 MB. */
  absoluteMb: number
}

/** 10 %, plus 0.25 ms for millisecond figures and 8 MB for memory. */
export const DEFAULT_TOLERANCE: Tolerance = { relative: 0.1, absoluteMs: 0.25, absoluteMb: 8 }

/** One figure that regressed. */
export interface Regression {
  scenario: string
  target: string
  metric: string
  baseline: number
  current: number
  /** The worst value the tolerance allowed. */
  limit: number
}

/** The outcome of a comparison. */
export interface Comparison {
  regressions: Regression[]
  /** How many figures were compared. */
  compared: number
  /** Scenario/target pairs in the baseline that this run did not measure. */
  notCompared: string[]
}

type Metric = { name: string; get: (t: TargetResult) => number | undefined; better: 'higher' | 'lower'; unit: 'ms' | 'mb' | 'rps' | 'fraction' }

const METRICS: Metric[] = [
  { name: 'rps', get: (t) => t.rps, better: 'higher', unit: 'rps' },
  { name: 'latency.p50', get: (t) => t.latency.p50, better: 'lower', unit: 'ms' },
  { name: 'latency.p99', get: (t) => t.latency.p99, better: 'lower', unit: 'ms' },
  { name: 'addedLatency.p50', get: (t) => t.addedLatency?.p50, better: 'lower', unit: 'ms' },
  { name: 'addedLatency.p99', get: (t) => t.addedLatency?.p99, better: 'lower', unit: 'ms' },
  { name: 'ttft.p50', get: (t) => t.ttft?.p50, better: 'lower', unit: 'ms' },
  { name: 'ttftOverhead.p50', get: (t) => t.ttftOverhead?.p50, better: 'lower', unit: 'ms' },
  { name: 'rssPeakMb', get: (t) => t.rssPeakMb, better: 'lower', unit: 'mb' },
  { name: 'failureRate', get: (t) => (t.requests > 0 ? (t.errors + t.non2xx) / t.requests : undefined), better: 'lower', unit: 'fraction' },
]

/** The worst acceptable value for `metric` given its baseline value. */
export function limitFor(m: Pick<Metric, 'better' | 'unit'>, baseline: number, tol: Tolerance): number {
  if (m.better === 'higher') return baseline * (1 - tol.relative)
  const slack = m.unit === 'ms' ? tol.absoluteMs : m.unit === 'mb' ? tol.absoluteMb : m.unit === 'fraction' ? 0.001 : 0
  return baseline + Math.abs(baseline) * tol.relative + slack
}

/** Compares every gateway figure of `current` with `baseline`. */
export function compareWithBaseline(current: RunResult, baseline: RunResult, tol: Tolerance = DEFAULT_TOLERANCE): Comparison {
  const out: Comparison = { regressions: [], compared: 0, notCompared: [] }
  for (const bs of baseline.scenarios) {
    if (bs.status !== 'ok') continue
    const cs = current.scenarios.find((s) => s.scenario === bs.scenario && s.status === 'ok')
    for (const bt of bs.targets.filter((t) => t.kind === 'gateway')) {
      const ct = cs?.targets.find((t) => t.target === bt.target)
      if (!ct) {
        out.notCompared.push(`${bs.scenario}/${bt.target}`)
        continue
      }
      for (const m of METRICS) {
        const b = m.get(bt)
        const c = m.get(ct)
        if (b === undefined || c === undefined || Number.isNaN(b) || Number.isNaN(c) || b === null || c === null) continue
        out.compared++
        const limit = limitFor(m, b, tol)
        const worse = m.better === 'higher' ? c < limit : c > limit
        if (worse) out.regressions.push({ scenario: bs.scenario, target: bt.target, metric: m.name, baseline: b, current: c, limit })
      }
    }
  }
  return out
}

/** One line per regression, for the terminal and the report. */
export function describeComparison(c: Comparison): string[] {
  const lines = c.regressions.map(
    (r) => `REGRESSION ${r.scenario}/${r.target} ${r.metric}: ${r.current.toFixed(3)} (baseline ${r.baseline.toFixed(3)}, limit ${r.limit.toFixed(3)})`,
  )
  for (const n of c.notCompared) lines.push(`not compared (missing from this run): ${n}`)
  lines.push(`${c.compared} figures compared, ${c.regressions.length} regressed`)
  return lines
}
