/**
 * Folds interleaved rounds into one TargetResult per target: each figure is
 * the median of the round figures, and overheads are the median of per-round
 * differences against direct (round i with round i, so both saw the same
 * machine load). Pure.
 */
import type { RoundResult } from './http-load.ts'
import type { TargetKind, TargetResult } from './result.ts'
import { median, medianDifference, medianOfRounds, medians, roundDifferences } from './stats.ts'

/** All rounds measured for one target. */
export interface TargetRounds {
  target: string
  kind: TargetKind
  rounds: (RoundResult & { peakOpen?: number; failures?: string[] })[]
  rssPeakMb?: number
}

/** One TargetResult per target; overheads are against the `direct` target when present. */
export function aggregate(all: readonly TargetRounds[]): TargetResult[] {
  const direct = all.find((t) => t.kind === 'direct')
  return all.map((t) => {
    const sum = (k: 'requests' | 'errors' | 'non2xx') => t.rounds.reduce((n, r) => n + r[k], 0)
    const ttftRounds = t.rounds.flatMap((r) => (r.ttft ? [r.ttft] : []))
    const out: TargetResult = {
      target: t.target,
      kind: t.kind,
      rps: median(t.rounds.map((r) => r.rps)),
      latency: medianOfRounds(t.rounds.map((r) => r.latency)),
      requests: sum('requests'),
      errors: sum('errors'),
      non2xx: sum('non2xx'),
    }
    if (direct && t !== direct) {
      const rounds = roundDifferences(t.rounds.map((r) => r.latency), direct.rounds.map((r) => r.latency))
      out.addedLatency = medians(rounds)
      out.addedLatencyRounds = rounds
    }
    if (ttftRounds.length) {
      out.ttft = medianOfRounds(ttftRounds)
      const directTtft = direct?.rounds.flatMap((r) => (r.ttft ? [r.ttft] : []))
      if (directTtft?.length && t !== direct) out.ttftOverhead = medianDifference(ttftRounds, directTtft)
    }
    if (t.rssPeakMb !== undefined) out.rssPeakMb = t.rssPeakMb
    const peaks = t.rounds.flatMap((r) => (r.peakOpen === undefined ? [] : [r.peakOpen]))
    if (peaks.length) out.peakOpen = Math.max(...peaks)
    const failures = [...new Set(t.rounds.flatMap((r) => r.failures ?? []))].slice(0, 5)
    if (failures.length) out.failures = failures
    return out
  })
}

/** Target order for round `i`: rotated by one each round so no target always runs first. */
export function roundOrder<T>(targets: readonly T[], i: number): T[] {
  const k = targets.length ? i % targets.length : 0
  return [...targets.slice(k), ...targets.slice(0, k)]
}
