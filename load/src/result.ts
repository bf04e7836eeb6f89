/**
 * The shape of a run's JSON result (`results.json`), read back by
 * `--baseline`. Bump RESULT_VERSION when a field changes meaning.
 */
import type { LatencySummary, PercentileKey } from './stats.ts'

/** Version of the results.json shape. */
export const RESULT_VERSION = 1

/** What kind of endpoint a target is. `direct` is the mock itself, the reference for overheads. */
export type TargetKind = 'direct' | 'gateway' | 'passthrough' | 'peer'

/** Figures for one target in one scenario (medians of round medians). */
export interface TargetResult {
  target: string
  kind: TargetKind
  /** 2xx responses (or completed streams) per second. */
  rps: number
  /** Request latency, or whole-stream time for streams (ms). */
  latency: LatencySummary
  /** Latency minus direct's, round by round, then the median (ms). Absent for direct. */
  addedLatency?: Record<PercentileKey, number>
  /** The same per round, in round order (ms): the spread the release gate allows for. Absent in older results. */
  addedLatencyRounds?: Record<PercentileKey, number[]>
  /** Time to first token (ms), streams only. */
  ttft?: LatencySummary
  /** TTFT minus direct's (ms), streams only. */
  ttftOverhead?: Record<PercentileKey, number>
  requests: number
  errors: number
  non2xx: number
  /** Peak resident memory of the target's process (MiB), when the run started it. */
  rssPeakMb?: number
  /** Most streams open at once on the client side (stream runs). */
  peakOpen?: number
  /** A few distinct failure reasons, when any. */
  failures?: string[]
}

/** One scenario: either measured targets or the reason it was skipped. */
export interface ScenarioResult {
  scenario: string
  description: string
  mode: 'http' | 'stream'
  status: 'ok' | 'skipped'
  skipReason?: string
  /** Offered load: rate (rps, absent = saturating), connections or stream concurrency, seconds per round. */
  load: { rate?: number; connections: number; durationS: number; rounds: number; total?: number }
  targets: TargetResult[]
  /** Most streams the mock had open at once (paced-stream scenarios): what the gateway really held upstream. */
  upstreamPeakOpen?: number
  notes: string[]
}

/** Where and how the run happened. */
export interface MachineInfo {
  cpus: number
  cpuModel: string
  os: string
  bun: string
  /** True when the gateway ran on CPU 0 and load + mock on CPU 1. */
  pinned: boolean
  logLevel: string
  /** Extra environment given to the gateway with --gateway-env (names and values). */
  gatewayEnv: Record<string, string>
}

/** A whole run. */
export interface RunResult {
  version: number
  startedAt: string
  machine: MachineInfo
  scenarios: ScenarioResult[]
}
