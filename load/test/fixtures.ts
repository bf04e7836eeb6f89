/** Small builders for RunResult values in unit tests. */
import type { RunResult, ScenarioResult, TargetResult } from '../src/result.ts'
import type { LatencySummary } from '../src/stats.ts'

/** A latency summary with the given p50 and p99 (p90 between, max above). */
export function lat(p50: number, p99: number): LatencySummary {
  return { count: 1000, mean: p50, p50, p90: (p50 + p99) / 2, p99, max: p99 * 1.5 }
}

/** A target result; override any field. */
export function target(name: string, kind: TargetResult['kind'], over: Partial<TargetResult> = {}): TargetResult {
  return { target: name, kind, rps: 1000, latency: lat(1, 2), requests: 10_000, errors: 0, non2xx: 0, ...over }
}

/** A measured scenario; override any field. */
export function scenario(name: string, targets: TargetResult[], over: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    scenario: name,
    description: `${name} description`,
    mode: 'http',
    status: 'ok',
    load: { rate: 1000, connections: 32, durationS: 10, rounds: 3 },
    targets,
    notes: [],
    ...over,
  }
}

/** A run of the given scenarios on a fixed, fake machine. */
export function run(scenarios: ScenarioResult[]): RunResult {
  return {
    version: 1,
    startedAt: '2026-01-02T03:04:05.000Z',
    machine: { cpus: 2, cpuModel: 'Test CPU', os: 'linux 6.0', bun: '1.4.5', pinned: true, logLevel: 'info', gatewayEnv: {} },
    scenarios,
  }
}
