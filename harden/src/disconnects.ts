/**
 * Area 6, client disconnects at random points, streamed and not, on the
 * Bedrock and Perplexity emulators: right after sending, while the upstream
 * thinks (before headers / first token), and mid-stream after k chunks. The
 * upstream must see the abort within 100 ms; afterwards the in-flight and
 * open-stream gauges are 0, and a stream that delivered text is billed
 * (spend row with status 499 and completion tokens > 0).
 */
import fc from 'fast-check'
import type { RecordedRequest } from '../../gateway/test/emulators/script.ts'
import { ledgerMark } from './ledger.ts'
import type { Profile } from './profile.ts'
import { fig, Problems, type AreaResult, type Figure } from './report.ts'
import { pct, pool, until, watchUnhandled } from './sys.ts'
import { startWorld, type World } from './world.ts'

type Point = 'right after sending' | 'before first token' | 'mid-stream'
const CASES: Array<{ point: Point; stream: boolean }> = [
  { point: 'right after sending', stream: false }, { point: 'before first token', stream: false },
  { point: 'right after sending', stream: true }, { point: 'before first token', stream: true }, { point: 'mid-stream', stream: true },
]

interface RunResult {
  /** ms from the client's abort to the upstream seeing it; undefined when no upstream call was made. */
  abortMs?: number
  streamedText: boolean
  requestId: string
}

export async function runDisconnects(p: Profile): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const mark = ledgerMark()
  const w = await startWorld()
  const rule = { text: 'streamed words '.repeat(40), chunkChars: 5, chunkDelayMs: 10, firstTokenDelayMs: 200 }
  w.bedrock.script(rule)
  w.pplx.script(rule)
  const rand = fc.sample(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 6 })), { seed: p.seed, numRuns: p.disconnectsPerCase * CASES.length * 2 })
  let n = 0
  const figures: Figure[] = []
  const billed: RunResult[] = []
  const { unhandled } = await watchUnhandled(async () => {
    for (const model of ['nova', 'sonar'] as const) {
      const emu = model === 'nova' ? w.bedrock : w.pplx
      for (const c of CASES) {
        const lat: number[] = []
        let noCall = 0
        let missed = 0
        await pool(p.disconnectsPerCase, 10, async () => {
          const r = await runOne(w, emu.requests, model, c.point, c.stream, rand[n++ % rand.length]!)
          if (r.abortMs === undefined) noCall++
          else if (Number.isFinite(r.abortMs)) lat.push(r.abortMs)
          else missed++
          if (r.streamedText) billed.push(r)
        })
        const ok = missed === 0 && (lat.length === 0 || pct(lat, 100) <= 100)
        problems.check(ok, `${model} ${c.stream ? 'stream' : 'non-stream'} ${c.point}: ${missed} upstream calls not aborted, max ${pct(lat, 100).toFixed(0)} ms`)
        figures.push(fig(`${model} ${c.stream ? 'stream' : 'non-stream'}, ${c.point}: upstream aborted p50 / max ms (no call yet / not aborted)`, `${lat.length ? `${pct(lat, 50).toFixed(1)} / ${pct(lat, 100).toFixed(1)}` : '-'} (${noCall} / ${missed})`, '≤ 100 (- / 0)', ok))
      }
    }
  })
  for (const u of unhandled) problems.add(u)
  const settled = await until(() => w.gw.services.lifecycle.inflight.size === 0 && w.gw.services.lifecycle.streams.size === 0, 2000, 10)
  const metrics = await (await fetch(`${w.gw.url}/metrics`, { headers: w.master })).text()
  const gauge = (name: string) => Number(new RegExp(`^llmgw_${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN)
  const inFlight = gauge('in_flight_requests')
  const open = gauge('open_streams')
  problems.check(settled && inFlight === 0 && open === 0, `after the disconnects: in flight ${inFlight}, open streams ${open}`)
  const rows = (await (await fetch(`${w.gw.url}/spend/logs?limit=1000`, { headers: w.master })).json()) as Array<{ request_id: string; status: number; completion_tokens: number }>
  const byId = new Map(rows.map((r) => [r.request_id, r]))
  const unbilled = billed.filter((b) => !(byId.get(b.requestId)?.status === 499 && byId.get(b.requestId)!.completion_tokens > 0))
  problems.check(unbilled.length === 0, `${unbilled.length} streams that delivered text have no 499 spend row with completion tokens`)
  for (const a of await w.close()) problems.add(a)
  const m = ledgerMark()
  figures.push(
    fig('gauges after the disconnects: llmgw_in_flight_requests / llmgw_open_streams', `${inFlight} / ${open}`, '0 / 0', inFlight === 0 && open === 0),
    fig('streams that delivered text, billed (spend row status 499, completion tokens > 0)', `${billed.length - unbilled.length} / ${billed.length}`, 'all', unbilled.length === 0),
    fig('unhandled rejections', unhandled.length, '0', unhandled.length === 0),
    fig('error answers not in the envelope', m.violations - mark.violations, '0', m.violations === mark.violations),
  )
  return { area: '6 client disconnects', figures, problems: problems.list(), findings: [], ms: performance.now() - started }
}

async function runOne(w: World, recorded: RecordedRequest[], model: string, point: Point, stream: boolean, [early, think, chunks]: [number, number, number]): Promise<RunResult> {
  const id = `dc-${crypto.randomUUID()}`
  const ctl = new AbortController()
  const out: RunResult = { streamedText: false, requestId: id }
  const find = () => recorded.find((r) => JSON.stringify(r.body).includes(id))
  let abortedAt = Number.NaN
  const abort = () => {
    abortedAt = performance.now()
    ctl.abort()
  }
  const res = fetch(`${w.gw.url}/v1/chat/completions`, {
    method: 'POST', signal: ctl.signal, headers: { ...w.master, 'x-request-id': id },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: id }] }),
  })
  if (point === 'right after sending') {
    await Bun.sleep(early)
    abort()
  } else if (point === 'before first token') {
    await until(() => find() !== undefined, 2000, 1)
    await Bun.sleep(think)
    abort()
  }
  try {
    const r = await res
    if (point === 'mid-stream' && r.body) {
      const reader = r.body.getReader()
      for (let seen = 0; seen < chunks + 1;) {
        const { done, value } = await reader.read()
        if (done) break
        seen += new TextDecoder().decode(value).split('"content":"').length - 1
      }
      out.streamedText = true
      abort()
      await reader.cancel().catch(() => undefined)
    } else await r.text()
  } catch {
    // aborted
  }
  // A call the gateway makes after the client left must be aborted too: give it time to show up.
  const upstream = find() ?? (await Bun.sleep(50), find())
  if (!upstream) return out
  const seen = await until(() => upstream.aborted, 1000, 1)
  out.abortMs = seen ? Math.max(0, performance.now() - abortedAt) : Number.POSITIVE_INFINITY
  return out
}
