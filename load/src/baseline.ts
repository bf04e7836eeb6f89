/**
 * The release gate: compares a run with a stored result (`--baseline FILE`)
 * and lists every gateway figure that got worse beyond the tolerance. Only
 * `gateway` targets are gated (direct, the floor and peers are context).
 *
 * Figures are compared against the same run's references where the run has
 * them, so that a slower or busier machine does not read as a regression:
 * throughput as a share of the Bun pass-through's; latency in a saturating
 * scenario as a multiple of the pass-through's (there latency is the
 * connections divided by the throughput, so it grows with a slower machine
 * however little the gateway adds); at a fixed rate as the time added over
 * the direct call less the time the pass-through adds in the same run (its
 * own scenario's, or else that of a scenario run at the same mode, rate and
 * connections), or, without a pass-through, the time added over the direct
 * call; TTFT as the time added over the direct call. Absolute figures are
 * gated only where a scenario has no such reference (and RSS, which does not
 * scale with the machine). Pure.
 */
import type { RunResult, ScenarioResult, TargetResult } from './result.ts'

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

/** The same run's references for one scenario. */
interface References {
  /** The Bun pass-through's requests/s in this scenario, if it ran. */
  passthroughRps?: number
  /** The Bun pass-through's latency, in a saturating scenario where it ran. */
  passthroughLatency?: TargetResult['latency']
  /** At a fixed rate, the time the Bun pass-through added over the direct call (see above). */
  passthroughAdded?: TargetResult['addedLatency']
}

type Metric = {
  name: string
  get: (t: TargetResult, refs: References) => number | undefined
  better: 'higher' | 'lower'
  unit: 'ms' | 'mb' | 'rps' | 'fraction' | 'ratio'
  /** Not gated when one of these (relative) metrics has a value in both runs. */
  unless?: string[]
}

const METRICS: Metric[] = [
  { name: 'rps/passthrough', get: (t, r) => (r.passthroughRps ? t.rps / r.passthroughRps : undefined), better: 'higher', unit: 'ratio' },
  { name: 'rps', get: (t) => t.rps, better: 'higher', unit: 'rps', unless: ['rps/passthrough'] },
  { name: 'latency.p50/passthrough', get: (t, r) => ratio(t.latency.p50, r.passthroughLatency?.p50), better: 'lower', unit: 'ratio' },
  { name: 'latency.p99/passthrough', get: (t, r) => ratio(t.latency.p99, r.passthroughLatency?.p99), better: 'lower', unit: 'ratio' },
  { name: 'addedLatency.p50-passthrough', get: (t, r) => difference(t.addedLatency?.p50, r.passthroughAdded?.p50), better: 'lower', unit: 'ms' },
  { name: 'addedLatency.p99-passthrough', get: (t, r) => difference(t.addedLatency?.p99, r.passthroughAdded?.p99), better: 'lower', unit: 'ms' },
  { name: 'addedLatency.p50', get: (t) => t.addedLatency?.p50, better: 'lower', unit: 'ms', unless: ['latency.p50/passthrough', 'addedLatency.p50-passthrough'] },
  { name: 'addedLatency.p99', get: (t) => t.addedLatency?.p99, better: 'lower', unit: 'ms', unless: ['latency.p99/passthrough', 'addedLatency.p99-passthrough'] },
  { name: 'latency.p50', get: (t) => t.latency.p50, better: 'lower', unit: 'ms', unless: ['addedLatency.p50'] },
  { name: 'latency.p99', get: (t) => t.latency.p99, better: 'lower', unit: 'ms', unless: ['addedLatency.p99'] },
  { name: 'ttftOverhead.p50', get: (t) => t.ttftOverhead?.p50, better: 'lower', unit: 'ms' },
  { name: 'ttft.p50', get: (t) => t.ttft?.p50, better: 'lower', unit: 'ms', unless: ['ttftOverhead.p50'] },
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
    const refs = { baseline: referencesOf(bs, baseline.scenarios), current: cs ? referencesOf(cs, current.scenarios) : {} }
    for (const bt of bs.targets.filter((t) => t.kind === 'gateway')) {
      const ct = cs?.targets.find((t) => t.target === bt.target)
      if (!cs || !ct) {
        out.notCompared.push(`${bs.scenario}/${bt.target}`)
        continue
      }
      const pairs = new Map<string, [number, number]>()
      for (const m of METRICS) {
        const b = usable(m.get(bt, refs.baseline))
        const c = usable(m.get(ct, refs.current))
        if (b !== undefined && c !== undefined) pairs.set(m.name, [b, c])
      }
      for (const m of METRICS) {
        const pair = pairs.get(m.name)
        if (!pair || m.unless?.some((u) => pairs.has(u))) continue
        const [b, c] = pair
        out.compared++
        const limit = limitFor(m, b, tol)
        const worse = m.better === 'higher' ? c < limit : c > limit
        if (worse) out.regressions.push({ scenario: bs.scenario, target: bt.target, metric: m.name, baseline: b, current: c, limit })
      }
    }
  }
  return out
}

function referencesOf(s: ScenarioResult, run: readonly ScenarioResult[]): References {
  const floor = passthroughOf(s)
  const rps = usable(floor?.rps)
  if (s.load.rate === undefined) {
    return { ...(rps !== undefined && rps > 0 ? { passthroughRps: rps } : {}), ...(floor ? { passthroughLatency: floor.latency } : {}) }
  }
  // A fixed-rate variant without a pass-through of its own (guardrails, keys) borrows the one of its
  // base scenario: same run, same mode, rate and connections.
  const added = floor?.addedLatency ?? run.filter((o) => sameLoad(o, s)).map((o) => passthroughOf(o)?.addedLatency).find((a) => a !== undefined)
  return { ...(rps !== undefined && rps > 0 ? { passthroughRps: rps } : {}), ...(added ? { passthroughAdded: added } : {}) }
}

function passthroughOf(s: ScenarioResult): TargetResult | undefined {
  return s.status === 'ok' ? s.targets.find((t) => t.kind === 'passthrough') : undefined
}

function sameLoad(a: ScenarioResult, b: ScenarioResult): boolean {
  return a.mode === b.mode && a.load.rate === b.load.rate && a.load.connections === b.load.connections
}

/** `a / b`, when both are usable and `b` is positive. */
function ratio(a: number | null | undefined, b: number | null | undefined): number | undefined {
  const x = usable(a)
  const y = usable(b)
  return x !== undefined && y !== undefined && y > 0 ? x / y : undefined
}

/** `a - b`, when both are usable. */
function difference(a: number | null | undefined, b: number | null | undefined): number | undefined {
  const x = usable(a)
  const y = usable(b)
  return x !== undefined && y !== undefined ? x - y : undefined
}

/** A finite number, or undefined (results stored as JSON turn NaN into null). */
function usable(v: number | null | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
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
