/**
 * The run as Markdown (for people and the README) and as JSON (for
 * `--baseline`). Pure: strings in, strings out.
 */
import { checkGoals } from './goals.ts'
import type { RunResult, ScenarioResult, TargetResult } from './result.ts'

/** Milliseconds with two decimals; '–' for a missing or NaN value. */
export function fmtMs(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '–' : v.toFixed(2)
}

/** A count or a rate as a whole number with thousands separators. */
export function fmtInt(v: number | undefined): string {
  return v === undefined || Number.isNaN(v) ? '–' : Math.round(v).toLocaleString('en-US')
}

/** A ratio like `12.3×`; '–' when it cannot be computed. */
export function fmtRatio(a: number, b: number): string {
  return b > 0 && Number.isFinite(a / b) ? `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×` : '–'
}

/** The JSON result, stable key order as built, two-space indent; NaN becomes null. */
export function toJson(run: RunResult): string {
  return `${JSON.stringify(run, (_k, v) => (typeof v === 'number' && Number.isNaN(v) ? null : v), 2)}\n`
}

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`

function loadLine(s: ScenarioResult): string {
  const l = s.load
  if (l.total) return `Offered: ${fmtInt(l.total)} streams opened at once, one round (every stream read to its end).`
  const cap = s.mode === 'stream' ? 'streams open at most' : l.rate ? 'in flight at most' : 'connections'
  const offered = `${l.rate ? `${fmtInt(l.rate)} ${s.mode === 'stream' ? 'streams' : 'requests'}/s, evenly spaced` : 'saturating'}, ${l.connections} ${cap}`
  return `Offered: ${offered}; ${l.durationS} s × ${l.rounds} round${l.rounds === 1 ? '' : 's'} per target (median of round medians).`
}

function targetTable(s: ScenarioResult): string[] {
  const stream = s.mode === 'stream'
  const head = ['target', stream ? 'streams/s' : 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'added p50', 'added p99']
  if (stream) head.push('TTFT p50', 'TTFT p99', 'TTFT +p50', 'TTFT +p99')
  head.push('errors', 'non-2xx', 'RSS peak MB')
  const cells = (t: TargetResult) => {
    const c = [t.target, fmtInt(t.rps), fmtMs(t.latency.p50), fmtMs(t.latency.p90), fmtMs(t.latency.p99), fmtMs(t.latency.max)]
    c.push(fmtMs(t.addedLatency?.p50), fmtMs(t.addedLatency?.p99))
    if (stream) c.push(fmtMs(t.ttft?.p50), fmtMs(t.ttft?.p99), fmtMs(t.ttftOverhead?.p50), fmtMs(t.ttftOverhead?.p99))
    c.push(fmtInt(t.errors), fmtInt(t.non2xx), t.rssPeakMb === undefined ? '–' : t.rssPeakMb.toFixed(1))
    return c
  }
  return [row(head), row(head.map(() => '---')), ...s.targets.map((t) => row(cells(t)))]
}

/** The side-by-side table with ratios against the gateway; empty when there is nothing to compare. */
export function sideBySide(s: ScenarioResult): string[] {
  const gw = s.targets.find((t) => t.kind === 'gateway')
  const others = s.targets.filter((t) => t.kind === 'passthrough' || t.kind === 'peer')
  if (!gw || others.length === 0) return []
  const lines = [row(['target', 'req/s', 'gateway req/s ÷ this', 'p99 ms', 'this p99 ÷ gateway p99'])]
  lines.push(row(['---', '---', '---', '---', '---']))
  for (const t of [gw, ...others]) lines.push(row([t.target, fmtInt(t.rps), fmtRatio(gw.rps, t.rps), fmtMs(t.latency.p99), fmtRatio(t.latency.p99, gw.latency.p99)]))
  return lines
}

/** The Markdown report: machine, goals, then one section per scenario. */
export function toMarkdown(run: RunResult): string {
  const m = run.machine
  const out = [
    '# llm-gateway load report',
    '',
    `Run ${run.startedAt} on ${m.cpus} × ${m.cpuModel}, ${m.os}, Bun ${m.bun}.`,
    m.pinned ? 'Pinned with taskset: gateway, pass-through and peers on CPU 0; load generator and mock on CPU 1.' : 'Not pinned (taskset missing or fewer than 2 CPUs).',
    `Gateway request logs at LOG_LEVEL=${m.logLevel}, written to a file.${Object.keys(m.gatewayEnv).length ? ` Gateway environment: ${Object.entries(m.gatewayEnv).map(([k, v]) => `${k}=${v}`).join(', ')}.` : ''}`,
    '',
    '## Goals',
    '',
    row(['goal', 'scenario', 'value', 'result']),
    row(['---', '---', '---', '---']),
    ...checkGoals(run).map((g) => row([g.goal, g.scenario, g.value, g.status])),
  ]
  for (const s of run.scenarios) {
    out.push('', `## ${s.scenario}`, '', s.description, '')
    if (s.status === 'skipped') {
      out.push(`Skipped: ${s.skipReason ?? 'no reason given'}`)
      continue
    }
    out.push(loadLine(s), '', ...targetTable(s))
    const side = sideBySide(s)
    if (side.length) out.push('', 'Side by side:', '', ...side)
    const failures = s.targets.filter((t) => t.failures?.length).map((t) => `${t.target} failures: ${t.failures!.join('; ')}`)
    const notes = [...s.notes, ...failures]
    if (notes.length) out.push('', ...notes.map((n) => `- ${n}`))
  }
  return `${out.join('\n')}\n`
}
