/**
 * The release targets from issue 5, checked against one run. A goal whose
 * scenario or target is missing from the run is 'n/a', never a pass. Pure.
 */
import type { RunResult, ScenarioResult, TargetResult } from './result.ts'

/** One goal's verdict for a run. */
export interface GoalCheck {
  goal: string
  scenario: string
  value: string
  status: 'pass' | 'fail' | 'n/a'
}

const find = (run: RunResult, name: string): ScenarioResult | undefined =>
  run.scenarios.find((s) => s.scenario === name && s.status === 'ok')
const gw = (s?: ScenarioResult): TargetResult | undefined => s?.targets.find((t) => t.kind === 'gateway')
const verdict = (ok: boolean): GoalCheck['status'] => (ok ? 'pass' : 'fail')
const ms = (v: number) => `${v.toFixed(3)} ms`

/** Every goal, in the order. */
export function checkGoals(run: RunResult): GoalCheck[] {
  const out: GoalCheck[] = []
  const na = (goal: string, scenario: string) => out.push({ goal, scenario, value: 'not measured', status: 'n/a' })

  // The full gateway (guardrails on) against the floor; the peers are compared without guardrails.
  const full = find(run, 'throughput-guardrails')
  const fullGw = gw(full)
  const floor = full?.targets.find((t) => t.kind === 'passthrough')
  const g1 = 'full gateway (guardrails on) keeps >= 80% of the bare Bun pass-through throughput'
  if (fullGw && floor) out.push({ goal: g1, scenario: 'throughput-guardrails', value: `${((100 * fullGw.rps) / floor.rps).toFixed(1)}%`, status: verdict(fullGw.rps >= 0.8 * floor.rps) })
  else na(g1, 'throughput-guardrails')

  const tp = find(run, 'throughput')
  const tpGw = gw(tp)

  const chat = find(run, 'chat')
  const chatGw = gw(chat)
  const g2 = `added latency p99 <= 1 ms at ${chat?.load.rate ?? 1000} rps`
  if (chatGw?.addedLatency) out.push({ goal: g2, scenario: 'chat', value: ms(chatGw.addedLatency.p99), status: verdict(chatGw.addedLatency.p99 <= 1) })
  else na(g2, 'chat')

  const sg = gw(find(run, 'stream-guardrails'))
  const g3 = 'streaming with output guardrails: TTFT overhead p50 <= 1 ms'
  if (sg?.ttftOverhead) out.push({ goal: g3, scenario: 'stream-guardrails', value: ms(sg.ttftOverhead.p50), status: verdict(sg.ttftOverhead.p50 <= 1) })
  else na(g3, 'stream-guardrails')

  const os = find(run, 'open-streams')
  const osGw = gw(os)
  const g4 = `${os?.load.total ?? 1000} concurrent open streams: gateway RSS <= 256 MB, no errors`
  if (osGw?.rssPeakMb !== undefined) {
    const failures = osGw.errors + osGw.non2xx
    const total = os!.load.total ?? osGw.requests
    const upstream = os!.upstreamPeakOpen ?? total
    const value = `${osGw.rssPeakMb.toFixed(1)} MB, ${failures} failed, ${upstream} of ${total} open upstream at once`
    const ok = osGw.rssPeakMb <= 256 && failures === 0 && osGw.requests > 0 && upstream >= total
    out.push({ goal: g4, scenario: 'open-streams', value, status: verdict(ok) })
  } else na(g4, 'open-streams')

  for (const [peer, factor] of [['portkey', 10], ['litellm', 50]] as const) {
    const p = tp?.targets.find((t) => t.kind === 'peer' && t.target.toLowerCase().includes(peer))
    const goal = `>= ${factor}x ${peer} throughput, with lower p99`
    if (!tpGw || !p) {
      na(goal, 'throughput')
      continue
    }
    const ratio = p.rps > 0 ? tpGw.rps / p.rps : Number.POSITIVE_INFINITY
    const value = `${ratio.toFixed(1)}x, p99 ${ms(tpGw.latency.p99)} vs ${ms(p.latency.p99)}`
    out.push({ goal, scenario: 'throughput', value, status: verdict(ratio >= factor && tpGw.latency.p99 < p.latency.p99) })
  }
  return out
}
