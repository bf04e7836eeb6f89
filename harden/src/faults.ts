/**
 * Area 5, upstream faults mid-stream through the whole gateway: a raw
 * upstream (fault-upstream.ts) plays Bedrock eventstream or OpenAI SSE
 * replies that break after two text chunks: TCP reset, FIN mid-body, a clean
 * end without the stop event, an exception / error event, a bad frame, a
 * stall (stream_idle_timeout 0.3 s). The client must get an error frame then
 * [DONE] within 500 ms of the fault (stalls: idle timeout + 500 ms), never a
 * silent end or a finish "stop"; afterwards no socket is left in CLOSE_WAIT,
 * the upstream sockets are closed and the fd count is back near its baseline.
 */
import { CANARY } from './canary.ts'
import { startFaultUpstream, type Ending, type Reply } from './fault-upstream.ts'
import { badCrc, esException, esReply, sseData, sseReply } from './frames.ts'
import { ledgerMark, seeAnswer } from './ledger.ts'
import type { Profile } from './profile.ts'
import { fig, Problems, type AreaResult, type Figure } from './report.ts'
import { readStream, verdict } from './stream-client.ts'
import { closeWaitCount, fdCount, pct, pool, until, watchUnhandled } from './sys.ts'
import { startWorld } from './world.ts'

const IDLE_MS = 300
const CONCURRENCY = 20
export const FAULT_KINDS = ['reset', 'fin', 'truncated', 'exception', 'bad frame', 'stall'] as const
type Kind = (typeof FAULT_KINDS)[number]
type Wire = 'bedrock' | 'sse'

const ENDING: Record<Kind, Ending> = { reset: 'reset', fin: 'fin', truncated: 'complete', exception: 'complete', 'bad frame': 'complete', stall: 'stall' }

/** The reply for one run: a healthy start, two text chunks, then the fault. */
export function faultReply(wire: Wire, kind: Kind): Reply {
  const r = wire === 'bedrock' ? esReply(['Hello', ', wor', 'ld']) : sseReply(['Hello', ', wor', 'ld'])
  const parts: Reply['parts'] = [...r.head, ...r.deltas.slice(0, 2), { delayMs: 5 }]
  if (kind === 'exception') parts.push(wire === 'bedrock' ? esException('modelStreamErrorException', 'model failed') : sseData({ error: { message: 'model failed', type: 'server_error', code: null } }))
  if (kind === 'bad frame') parts.push(wire === 'bedrock' ? badCrc(r.deltas[2]!) : new TextEncoder().encode('data: {"choices":[{"delta":{"content":\n\n'))
  return { contentType: wire === 'bedrock' ? 'application/vnd.amazon.eventstream' : 'text/event-stream', parts, ending: ENDING[kind] }
}

export async function runFaults(p: Profile): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const mark = ledgerMark()
  const plans = new Map<string, Reply>()
  const up = await startFaultUpstream((body) => plans.get(JSON.stringify(body ?? '').match(/run-\d+/)?.[0] ?? '') ?? faultReply('sse', 'truncated'))
  const w = await startWorld({
    general: `  stream_idle_timeout_seconds: ${IDLE_MS / 1000}`,
    models: `  - model_name: es-fault\n    litellm_params: { model: "bedrock/amazon.nova-micro-v1:0", aws_region_name: us-east-1, aws_bedrock_runtime_endpoint: "${up.url}", aws_access_key_id: ${CANARY.awsAccessKeyId}, aws_secret_access_key: "${CANARY.awsSecret}" }\n  - model_name: sse-fault\n    litellm_params: { model: openai/m, api_key: os.environ/CANARY_PPLX, api_base: "${up.url}/v1" }`,
  })
  const ports = [Number(new URL(w.gw.url).port), up.port]
  const figures: Figure[] = []
  let runs = 0
  const { unhandled } = await watchUnhandled(async () => {
    // Warm up the connection paths (and the client's keep-alive pool, CONCURRENCY wide) before the fd baseline.
    for (const wire of ['bedrock', 'sse'] as const) await pool(CONCURRENCY, CONCURRENCY, () => runOne(wire, 'truncated').then(() => undefined))
    const fd0 = fdCount()
    for (const wire of ['bedrock', 'sse'] as const) {
      const n = wire === 'bedrock' ? p.faultRunsBedrock : p.faultRunsSse
      for (const kind of FAULT_KINDS) {
        const lat: number[] = []
        let silent = 0
        let stops = 0
        let late = 0
        let httpErrors = 0
        await pool(n, CONCURRENCY, async () => {
          const r = await runOne(wire, kind)
          // A fault that reached the gateway before it committed the stream is an ordinary HTTP error envelope.
          if (r.httpError) return void httpErrors++
          lat.push(r.ms)
          silent += r.silent ? 1 : 0
          stops += r.stop ? 1 : 0
          const budget = kind === 'stall' ? IDLE_MS + 500 : 500
          if (r.ms > budget) late++
        })
        const budget = kind === 'stall' ? `≤ ${IDLE_MS + 500}` : '≤ 500'
        const ok = silent === 0 && stops === 0 && late === 0
        problems.check(ok, `${wire} ${kind}: ${silent} silent, ${stops} finish stop, ${late} late of ${n}`)
        const errs = httpErrors > 0 ? ` (+${httpErrors} HTTP error envelopes before the stream)` : ''
        figures.push(fig(`${wire} ${kind}: ${n} runs; fault → error + [DONE] p50 / p99 / max, ms; silent; finish stop`, `${pct(lat, 50).toFixed(0)} / ${pct(lat, 99).toFixed(0)} / ${Math.max(...lat).toFixed(0)}; ${silent}; ${stops}${errs}`, `${budget}; 0; 0`, ok))
      }
    }
    const closed = await until(() => up.served.every((s) => s.clientClosed) && up.open() === 0, 2000, 20)
    const settled = await until(() => fdCount() <= fd0 + 5 && (Number.isNaN(closeWaitCount(ports)) || closeWaitCount(ports) === 0), 2000, 50)
    const cw = closeWaitCount(ports)
    problems.check(closed, `${up.served.filter((s) => !s.clientClosed).length} upstream connections still open 2 s after the runs`)
    problems.check(settled, `fds ${fdCount()} vs baseline ${fd0}, CLOSE_WAIT ${cw}`)
    figures.push(
      fig('upstream connections left open 2 s after the runs', up.open(), '0', closed),
      fig('sockets in CLOSE_WAIT (gateway and upstream ports)', Number.isNaN(cw) ? 'ss unavailable' : cw, '0', cw === 0 || Number.isNaN(cw)),
      fig('fd count: baseline → after', `${fd0} → ${fdCount()}`, '≤ baseline + 5', settled),
    )
  })
  for (const u of unhandled) problems.add(u)
  for (const a of await w.close()) problems.add(a)
  await up.stop()
  const m = ledgerMark()
  figures.push(fig('error answers not in the envelope', m.violations - mark.violations, '0', m.violations === mark.violations))
  return { area: '5 upstream faults mid-stream', figures, problems: problems.list(), findings: [], ms: performance.now() - started }

  async function runOne(wire: Wire, kind: Kind): Promise<{ ms: number; silent: boolean; stop: boolean; httpError?: boolean }> {
    const id = `run-${++runs}`
    plans.set(id, faultReply(wire, kind))
    const res = await fetch(`${w.gw.url}/v1/chat/completions`, {
      method: 'POST', headers: w.master, body: JSON.stringify({ model: wire === 'bedrock' ? 'es-fault' : 'sse-fault', stream: true, messages: [{ role: 'user', content: id }] }),
    })
    const r = await readStream(res)
    plans.delete(id)
    if (res.status !== 200) {
      const problem = seeAnswer(`fault ${wire} ${kind}`, res.status, res.headers, r.text)
      return { ms: Number.POSITIVE_INFINITY, silent: problem !== undefined, stop: false, httpError: problem === undefined && res.status >= 500 }
    }
    const v = verdict(r)
    const served = up.served.find((s) => JSON.stringify(s.body ?? '').includes(`"${id}"`))
    const ms = v.done && served ? v.doneAt - served.faultAt : Number.POSITIVE_INFINITY
    return { ms, silent: !v.done || !v.error, stop: v.finishReasons.includes('stop') }
  }
}
