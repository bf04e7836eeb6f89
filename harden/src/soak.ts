/**
 * Area 12, soak (long profile only): a spawned gateway in front of a raw
 * upstream (fault-upstream.ts) that breaks every 20th call (5 %: alternately
 * a 500 before the first byte and a reset mid-stream), driven at 50 % of its
 * measured capacity for N minutes, half the requests streamed. Reported: the
 * RSS slope after warm-up (least squares over 10 s samples), the fd count's
 * range, and the error rate next to the injected rate.
 */
import { CANARY } from './canary.ts'
import { startFaultUpstream, type Reply } from './fault-upstream.ts'
import { sseReply } from './frames.ts'
import { closedLoop, openLoop, rps } from './load-gen.ts'
import { fig, Problems, type AreaResult } from './report.ts'
import { readStream, verdict } from './stream-client.ts'
import { spawnWorld } from './spawned.ts'

const SLICE_S = 10

/** Least-squares slope of ys over xs. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my)
    den += (xs[i]! - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}

export async function runSoak(minutes: number): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  let calls = 0
  let injected = 0
  const healthy = sseReply(['soak ', 'text ', 'here'])
  const json = new TextEncoder().encode(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'soak' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }))
  const up = await startFaultUpstream((body): Reply => {
    const stream = (body as { stream?: boolean } | undefined)?.stream === true
    if (++calls % 20 === 0) {
      injected++
      if (stream && calls % 40 === 0) return { contentType: 'text/event-stream', parts: [...healthy.head, ...healthy.deltas.slice(0, 1)], ending: 'reset' }
      return { status: 500, contentType: 'application/json', parts: [new TextEncoder().encode('{"error":{"message":"injected","type":"server_error"}}')], ending: 'complete' }
    }
    return stream ? { contentType: 'text/event-stream', parts: [...healthy.head, ...healthy.deltas, ...healthy.tail], ending: 'complete' } : { contentType: 'application/json', parts: [json], ending: 'complete' }
  })
  const gw = await spawnWorld({ models: `  - model_name: up\n    litellm_params: { model: openai/m, api_key: os.environ/LITELLM_MASTER_KEY, api_base: "${up.url}/v1" }`, general: '  global_max_parallel_requests: 256',
    // Injected faults must not put the only deployment in cooldown: the error rate would no longer be the injected one.
    extra: 'router_settings:\n  allowed_fails: 1000000' })
  let k = 0
  const fire = () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${CANARY.master}` }, body: JSON.stringify({ model: 'up', stream: ++k % 2 === 0, messages: [{ role: 'user', content: 'soak' }] }) })
  const capacity = rps((await closedLoop(fire, 32, 3)).filter((s) => s.status === 200), 3)
  const rate = Math.max(1, Math.round(capacity / 2))
  const t: number[] = []
  const rss: number[] = []
  const fds: number[] = []
  let total = 0
  let errors = 0
  const calls0 = calls
  const injected0 = injected
  const slices = Math.max(1, Math.round((minutes * 60) / SLICE_S))
  for (let i = 0; i < slices && gw.alive(); i++) {
    const run = await openLoop(async () => {
      const res = await fire()
      const r = await readStream(res)
      const failed = res.status !== 200 || (r.data.length > 0 && verdict(r).error !== undefined)
      total++
      if (failed) errors++
      return new Response(null, { status: res.status })
    }, rate, SLICE_S)
    void run
    t.push((performance.now() - started) / 1000)
    rss.push(gw.rssMiB())
    fds.push(gw.fds())
  }
  const warm = Math.floor(t.length / 5)
  const mbPer10Min = slope(t.slice(warm), rss.slice(warm)) * 600
  const fdAfter = fds.slice(warm)
  const fdRange = Math.max(...fdAfter) - Math.min(...fdAfter)
  // Sampled between slices, the fd count still moves with the client's keep-alive pool: a leak shows as a trend.
  const fdPer10Min = slope(t.slice(warm), fdAfter) * 600
  const errorRate = errors / Math.max(1, total)
  const injectedRate = (injected - injected0) / Math.max(1, calls - calls0)
  const alive = gw.alive()
  const code = await gw.stop()
  await up.stop()
  problems.check(alive && code === 0, `gateway alive ${alive}, exit ${code}`)
  problems.check(mbPer10Min < 1 || t.length < 6, `RSS slope ${mbPer10Min.toFixed(2)} MB per 10 min`)
  problems.check(fdPer10Min < 5 || t.length < 6, `fd count grows by ${fdPer10Min.toFixed(1)} per 10 min`)
  problems.check(Math.abs(errorRate - injectedRate) <= 0.005, `error rate ${(errorRate * 100).toFixed(2)} % vs injected ${(injectedRate * 100).toFixed(2)} %`)
  return {
    area: '12 soak',
    figures: [
      fig('duration; load (50 % of measured capacity)', `${minutes} min; ${rate} rps (capacity ${capacity.toFixed(0)} rps), half streamed`),
      fig('requests; error rate vs injected', `${total}; ${(errorRate * 100).toFixed(2)} % vs ${(injectedRate * 100).toFixed(2)} %`, '± 0.5 %', Math.abs(errorRate - injectedRate) <= 0.005),
      fig('RSS first → last sample, MiB', `${rss[0]?.toFixed(0)} → ${rss.at(-1)?.toFixed(0)}`),
      fig('RSS slope after warm-up, MB per 10 min', mbPer10Min, '< 1', mbPer10Min < 1),
      fig('fd count after warm-up: range; trend per 10 min', `${Math.min(...fdAfter)}–${Math.max(...fdAfter)} (${fdRange}); ${fdPer10Min.toFixed(1)}`, 'trend < 5', fdPer10Min < 5),
      fig('process up, clean exit', alive && code === 0 ? 'yes' : 'no', 'yes', alive && code === 0),
    ],
    problems: problems.list(),
    findings: [],
    ms: performance.now() - started,
  }
}
