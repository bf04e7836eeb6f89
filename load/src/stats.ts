/**
 * Percentile maths for latency samples (milliseconds). Pure.
 *
 * Percentiles use linear interpolation between the closest ranks (the
 * "R-7" / numpy default): for n sorted samples, p lands at index
 * (n - 1) * p / 100. autocannon's own histogram rounds to whole
 * milliseconds, too coarse for sub-millisecond overheads, so the runner keeps
 * every sample and summarises it here.
 */

/** The figures reported for one set of latency samples. */
export interface LatencySummary {
  count: number
  mean: number
  p50: number
  p90: number
  p99: number
  max: number
}

/** The percentile keys every summary carries, in report order. */
export const PERCENTILES = ['p50', 'p90', 'p99', 'max'] as const
export type PercentileKey = (typeof PERCENTILES)[number]

/** The p-th percentile (0..100) of ascending `sorted` samples; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  if (p <= 0) return sorted[0]!
  if (p >= 100) return sorted[n - 1]!
  const rank = ((n - 1) * p) / 100
  const lo = Math.floor(rank)
  const hi = Math.min(lo + 1, n - 1)
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo)
}

/** Summarises unsorted samples; an empty set gives count 0 and NaN figures. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (const v of sorted) sum += v
  return {
    count: sorted.length,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  }
}

/** The median of `values`, ignoring NaN; NaN when nothing is left. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v))
  return percentile(Float64Array.from(finite).sort(), 50)
}

/**
 * Combines per-round summaries the way the method asks: each figure is the
 * median of that figure across rounds ("median of round medians"); counts add.
 */
export function medianOfRounds(rounds: readonly LatencySummary[]): LatencySummary {
  const pick = (k: keyof LatencySummary) => median(rounds.map((r) => r[k]))
  return {
    count: rounds.reduce((n, r) => n + r.count, 0),
    mean: pick('mean'),
    p50: pick('p50'),
    p90: pick('p90'),
    p99: pick('p99'),
    max: pick('max'),
  }
}

/** Per-percentile difference `a - b` (for "added latency" over direct). */
export function difference(a: LatencySummary, b: LatencySummary): Record<PercentileKey, number> {
  return { p50: a.p50 - b.p50, p90: a.p90 - b.p90, p99: a.p99 - b.p99, max: a.max - b.max }
}

/** Per-round differences `target - direct`, pairing round i with round i, per percentile. */
export function roundDifferences(target: readonly LatencySummary[], direct: readonly LatencySummary[]): Record<PercentileKey, number[]> {
  const pairs = target.slice(0, direct.length).map((t, i) => difference(t, direct[i]!))
  const pick = (k: PercentileKey) => pairs.map((d) => d[k])
  return { p50: pick('p50'), p90: pick('p90'), p99: pick('p99'), max: pick('max') }
}

/** The median of each percentile's round values. */
export function medians(rounds: Record<PercentileKey, readonly number[]>): Record<PercentileKey, number> {
  return { p50: median(rounds.p50), p90: median(rounds.p90), p99: median(rounds.p99), max: median(rounds.max) }
}

/** Median across rounds of per-round differences `target - direct`, pairing round i with round i. */
export function medianDifference(target: readonly LatencySummary[], direct: readonly LatencySummary[]): Record<PercentileKey, number> {
  return medians(roundDifferences(target, direct))
}

/** A growable Float64 sample buffer: cheap to push at tens of thousands of samples a second. */
export class Samples {
  private buf = new Float64Array(4096)
  private n = 0
  /** Appends one sample. */
  push(v: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2)
      next.set(this.buf)
      this.buf = next
    }
    this.buf[this.n++] = v
  }
  /** How many samples were pushed. */
  get length(): number {
    return this.n
  }
  /** A view on the samples pushed so far. */
  values(): Float64Array {
    return this.buf.subarray(0, this.n)
  }
}
