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
 * the direct call less the time the scenario's pass-through adds (measured
 * in the same interleaved rounds), or, without one, the time added over the
 * direct call; TTFT as the time added over the direct call. Absolute figures
 * are gated only where a scenario has no such reference (and RSS, which does
 * not scale with the machine); a burst scenario (a fixed total of streams
 * opened at once) gates only RSS and failures, since its latency is the
 * client's burst as much as the gateway's. A fixed-rate latency figure past its limit counts
 * as a regression only when every round of this run is worse than every
 * round of the baseline (`roundsOverlap`); tail latency at a fixed rate
 * varies between runs by more than any useful tolerance. Pure.
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
  /**
   * Figures past the limit whose rounds overlap the baseline's: some round of
   * this run was no worse than some round of the baseline, so the difference
   * is within the run-to-run spread, not a regression. Reported, not failed.
   */
  withinSpread: Regression[]
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
  /** At a fixed rate, the time the scenario's Bun pass-through added over the direct call. */
  passthroughAdded?: TargetResult['addedLatency']
}

type Metric = {
  name: string
  get: (t: TargetResult, refs: References) => number | undefined
  /** The same figure round by round, where the result holds rounds (see `withinSpread`). */
  rounds?: (t: TargetResult, refs: References) => number[] | undefined
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
  ...(['p50', 'p99'] as const).flatMap((k): Metric[] => [
    {
      name: `addedLatency.${k}-passthrough`,
      get: (t, r) => difference(t.addedLatency?.[k], r.passthroughAdded?.[k]),
      rounds: (t, r) => {
        const floor = usable(r.passthroughAdded?.[k])
        return floor === undefined ? undefined : t.addedLatencyRounds?.[k].map((v) => v - floor)
      },
      better: 'lower',
      unit: 'ms',
    },
    {
      name: `addedLatency.${k}`,
      get: (t) => t.addedLatency?.[k],
      rounds: (t) => t.addedLatencyRounds?.[k],
      better: 'lower',
      unit: 'ms',
      unless: [`latency.${k}/passthrough`, `addedLatency.${k}-passthrough`],
    },
  ]),
  { name: 'latency.p50', get: (t) => t.latency.p50, better: 'lower', unit: 'ms', unless: ['addedLatency.p50'] },
  { name: 'latency.p99', get: (t) => t.latency.p99, better: 'lower', unit: 'ms', unless: ['addedLatency.p99'] },
  { name: 'ttftOverhead.p50', get: (t) => t.ttftOverhead?.p50, better: 'lower', unit: 'ms' },
  { name: 'ttft.p50', get: (t) => t.ttft?.p50, better: 'lower', unit: 'ms', unless: ['ttftOverhead.p50'] },
  { name: 'rssPeakMb', get: (t) => t.rssPeakMb, better: 'lower', unit: 'mb' },
  { name: 'failureRate', get: (t) => (t.requests > 0 ? (t.errors + t.non2xx) / t.requests : undefined), better: 'lower', unit: 'fraction' },
]

/** What a burst scenario gates (see the module comment). */
const BURST_METRICS = new Set(['rssPeakMb', 'failureRate'])

/** The worst acceptable value for `metric` given its baseline value. */
export function limitFor(m: Pick<Metric, 'better' | 'unit'>, baseline: number, tol: Tolerance): number {
  if (m.better === 'higher') return baseline * (1 - tol.relative)
  const slack = m.unit === 'ms' ? tol.absoluteMs : m.unit === 'mb' ? tol.absoluteMb : m.unit === 'fraction' ? 0.001 : 0
  return baseline + Math.abs(baseline) * tol.relative + slack
}

/** Compares every gateway figure of `current` with `baseline`. */
export function compareWithBaseline(current: RunResult, baseline: RunResult, tol: Tolerance = DEFAULT_TOLERANCE): Comparison {
  const out: Comparison = { regressions: [], withinSpread: [], compared: 0, notCompared: [] }
  for (const bs of baseline.scenarios) {
    if (bs.status !== 'ok') continue
    const cs = current.scenarios.find((s) => s.scenario === bs.scenario && s.status === 'ok')
    const refs = { baseline: referencesOf(bs), current: cs ? referencesOf(cs) : {} }
    const gated = bs.load.total === undefined ? METRICS : METRICS.filter((m) => BURST_METRICS.has(m.name))
    for (const bt of bs.targets.filter((t) => t.kind === 'gateway')) {
      const ct = cs?.targets.find((t) => t.target === bt.target)
      if (!cs || !ct) {
        out.notCompared.push(`${bs.scenario}/${bt.target}`)
        continue
      }
      const pairs = new Map<string, [number, number]>()
      for (const m of gated) {
        const b = usable(m.get(bt, refs.baseline))
        const c = usable(m.get(ct, refs.current))
        if (b !== undefined && c !== undefined) pairs.set(m.name, [b, c])
      }
      const overlaps = (m: Metric) => roundsOverlap(m.rounds?.(bt, refs.baseline), m.rounds?.(ct, refs.current), m.better)
      for (const m of gated) {
        const pair = pairs.get(m.name)
        if (!pair || m.unless?.some((u) => pairs.has(u))) continue
        const [b, c] = pair
        out.compared++
        const limit = limitFor(m, b, tol)
        const worse = m.better === 'higher' ? c < limit : c > limit
        if (!worse) continue
        const r = { scenario: bs.scenario, target: bt.target, metric: m.name, baseline: b, current: c, limit }
        if (overlaps(m)) out.withinSpread.push(r)
        else out.regressions.push(r)
      }
    }
  }
  return out
}

function referencesOf(s: ScenarioResult): References {
  const floor = s.targets.find((t) => t.kind === 'passthrough')
  const rps = usable(floor?.rps)
  return {
    ...(rps !== undefined && rps > 0 ? { passthroughRps: rps } : {}),
    ...(floor && s.load.rate === undefined ? { passthroughLatency: floor.latency } : {}),
    ...(floor?.addedLatency && s.load.rate !== undefined ? { passthroughAdded: floor.addedLatency } : {}),
  }
}

/** `a / b`, when both are usable and `b` is positive. */
function ratio(a: number | null | undefined, b: number | null | undefined): number | undefined {
  const x = usable(a)
  const y = usable(b)
  return x !== undefined && y !== undefined && y > 0 ? x / y : undefined
}

/**
 * True when both runs hold at least two rounds of a figure and their ranges
 * overlap: this run's best round is no better than the baseline's worst.
 * With three rounds each and no real change, every round of this run lands
 * on the worse side of every baseline round one time in twenty; a real
 * change moves every round.
 */
function roundsOverlap(base: number[] | undefined, cur: number[] | undefined, better: Metric['better']): boolean {
  const b = base?.filter(Number.isFinite) ?? []
  const c = cur?.filter(Number.isFinite) ?? []
  if (b.length < 2 || c.length < 2) return false
  return better === 'lower' ? Math.min(...c) <= Math.max(...b) : Math.max(...c) >= Math.min(...b)
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
  for (const r of c.withinSpread) {
    lines.push(`within the spread of rounds ${r.scenario}/${r.target} ${r.metric}: ${r.current.toFixed(3)} (baseline ${r.baseline.toFixed(3)}, limit ${r.limit.toFixed(3)}; some round as good as a baseline round)`)
  }
  for (const n of c.notCompared) lines.push(`not compared (missing from this run): ${n}`)
  lines.push(`${c.compared} figures compared, ${c.regressions.length} regressed`)
  return lines
}
