/**
 * Area 7, overload, on a spawned gateway (global_max_parallel_requests 32,
 * max_open_streams 16, a mock model answering in 50 ms): baseline latency at
 * light load, capacity from a closed loop, then an open loop at 2× capacity.
 * The process must stay up, excess be refused fast (503 with retry-after),
 * admitted latency stay within 2× baseline; streams beyond the cap get 503.
 * The gateway's RSS is sampled throughout.
 */
import { CANARY } from './canary.ts'
import { ledgerMark, seeAnswer } from './ledger.ts'
import { closedLoop, openLoop, rps } from './load-gen.ts'
import type { Profile } from './profile.ts'
import { fig, Problems, type AreaResult } from './report.ts'
import { pct } from './sys.ts'
import { spawnWorld, type Spawned } from './spawned.ts'

const MAX_PARALLEL = 32
const MAX_STREAMS = 16
const LATENCY_MS = 50

export async function runOverload(p: Profile): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const mark = ledgerMark()
  const gw = await spawnWorld({
    models: `  - model_name: slow\n    litellm_params: { model: mock/echo, mock_latency_ms: ${LATENCY_MS} }\n  - model_name: echo\n    litellm_params: { model: mock/echo, mock_chunk_chars: 1 }`,
    general: `  global_max_parallel_requests: ${MAX_PARALLEL}\n  max_open_streams: ${MAX_STREAMS}`,
  })
  const headers = { authorization: `Bearer ${CANARY.master}`, 'content-type': 'application/json' }
  const body = JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: 'load' }] })
  const fire = () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body })
  let rssPeak = gw.rssMiB()
  const sampler = setInterval(() => void (rssPeak = Math.max(rssPeak, gw.rssMiB())), 100)
  const rss0 = gw.rssMiB()

  await closedLoop(fire, 4, 0.5) // warm-up
  const base = (await openLoop(fire, 20, 2)).samples.filter((s) => s.status === 200)
  const cap = await closedLoop(fire, MAX_PARALLEL, 2)
  const capacity = rps(cap.filter((s) => s.status === 200), 2)
  const rate = Math.round(capacity * 2)
  const run = await openLoop(fire, rate, p.overloadSeconds)
  const admitted = run.samples.filter((s) => s.status === 200)
  const rejected = run.samples.filter((s) => s.status === 503 || s.status === 429)
  const other = run.samples.filter((s) => s.status !== 200 && s.status !== 503 && s.status !== 429)
  const noRetryAfter = rejected.filter((s) => !s.retryAfter).length
  await checkBodies(gw, headers, body)
  const streams = await streamCap(gw, headers)
  clearInterval(sampler)
  const alive = gw.alive() && (await fetch(`${gw.url}/health/liveliness`)).status === 200
  const rss1 = gw.rssMiB()
  const code = await gw.stop()
  const basP99 = pct(base.map((s) => s.ms), 99)
  const admP99 = pct(admitted.map((s) => s.ms), 99)
  const rejP99 = pct(rejected.map((s) => s.ms), 99)
  problems.check(alive && code === 0, `gateway alive ${alive}, exit code ${code}`)
  problems.check(other.length === 0, `${other.length} answers neither 200 nor 503/429: ${[...new Set(other.map((s) => s.status))].join(',')}`)
  problems.check(noRetryAfter === 0, `${noRetryAfter} rejections without retry-after`)
  problems.check(admP99 <= 2 * basP99, `admitted p99 ${admP99.toFixed(0)} ms > 2 × baseline p99 ${basP99.toFixed(0)} ms`)
  problems.check(streams.beyond === 503, `a stream beyond max_open_streams got ${streams.beyond}`)
  const m = ledgerMark()
  return {
    area: '7 overload',
    figures: [
      fig('baseline (20 rps) admitted p50 / p99, ms', `${pct(base.map((s) => s.ms), 50).toFixed(1)} / ${basP99.toFixed(1)}`),
      fig(`capacity (closed loop, ${MAX_PARALLEL} workers, ${LATENCY_MS} ms mock)`, `${capacity.toFixed(0)} rps`),
      fig(`open loop at 2× capacity for ${p.overloadSeconds} s: offered / sent`, `${rate} rps / ${(run.samples.length / p.overloadSeconds).toFixed(0)} rps`),
      fig('admitted / rejected (503, 429) / other', `${admitted.length} / ${rejected.length} / ${other.length}`, '— / — / 0', other.length === 0),
      fig('rejections p50 / p99, ms', `${pct(rejected.map((s) => s.ms), 50).toFixed(1)} / ${rejP99.toFixed(1)}`, 'p99 < 20', rejP99 < 20),
      fig('rejections with retry-after', `${rejected.length - noRetryAfter} / ${rejected.length}`, 'all', noRetryAfter === 0),
      fig('admitted p50 / p99, ms', `${pct(admitted.map((s) => s.ms), 50).toFixed(1)} / ${admP99.toFixed(1)}`, `p99 ≤ 2 × baseline (${(2 * basP99).toFixed(0)})`, admP99 <= 2 * basP99),
      fig(`open streams: ${MAX_STREAMS} held open, the next one`, `${streams.held} held, next → ${streams.beyond}`, '503', streams.beyond === 503),
      fig('gateway RSS start / peak / end, MiB', `${rss0.toFixed(0)} / ${rssPeak.toFixed(0)} / ${rss1.toFixed(0)}`),
      fig('process up at the end (liveliness 200, clean exit)', alive && code === 0 ? 'yes' : 'no', 'yes', alive && code === 0),
      fig('error answers not in the envelope', m.violations - mark.violations, '0', m.violations === mark.violations),
    ],
    problems: problems.list(),
    findings: [],
    ms: performance.now() - started,
  }
}

/** A few of the rejections' bodies, through the envelope check (the load loop discards bodies). */
async function checkBodies(gw: Spawned, headers: Record<string, string>, body: string): Promise<void> {
  const answers = await Promise.all(Array.from({ length: MAX_PARALLEL * 2 }, () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body })))
  for (const r of answers) seeAnswer('overload burst', r.status, r.headers, await r.text())
}

/** Holds MAX_STREAMS streams open (reading nothing past the first chunk), then asks for one more. */
async function streamCap(gw: Spawned, headers: Record<string, string>): Promise<{ held: number; beyond: number }> {
  const body = JSON.stringify({ model: 'echo', stream: true, messages: [{ role: 'user', content: 'x'.repeat(200_000) }] })
  const ctl = new AbortController()
  const ask = () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body, signal: ctl.signal })
  const held = await Promise.all(Array.from({ length: MAX_STREAMS }, ask))
  await Promise.all(held.map((r) => r.body?.getReader().read()))
  const next = await ask()
  seeAnswer('open-stream cap', next.status, next.headers, await next.text())
  ctl.abort()
  return { held: held.filter((r) => r.status === 200).length, beyond: next.status }
}
