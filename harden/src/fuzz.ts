/**
 * Area 1, request fuzzing: fast-check cases (fuzz-inputs.ts, fixed seed)
 * against every POST route, in process through `app.handle` and a smaller
 * sample over a real socket. Oracle per answer: no throw, no 5xx, a 2xx only
 * as a complete answer (JSON, or SSE ending in [DONE]), every other answer a
 * 4xx in the exact envelope. Unhandled rejections are counted; RSS is
 * measured before and after. Failing cases go to corpus/fuzz/.
 */
import { saveFailing } from './corpus.ts'
import { CANARY } from './canary.ts'
import { fuzzCases, type FuzzCase } from './fuzz-inputs.ts'
import { ledgerMark, seeAnswer } from './ledger.ts'
import type { Profile } from './profile.ts'
import { fig, Problems, type AreaResult } from './report.ts'
import { heapMiB, Histogram, pool, rssMiB, watchUnhandled } from './sys.ts'
import { startWorld, type World } from './world.ts'

export interface CaseOutcome {
  status: number
  ms: number
  problem?: string
}

/** The request of a case, with the run's keys substituted. */
export function requestOf(c: FuzzCase, base: string, keys: { master: string; virtual: string }): Request | undefined {
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(c.headers)) headers[k] = v.replaceAll('$MASTER', keys.master).replaceAll('$VIRTUAL', keys.virtual)
  try {
    return new Request(base + c.path, { method: c.method, headers, body: c.binary ? Buffer.from(c.body, 'base64') : c.body })
  } catch {
    return undefined // not expressible as an HTTP request (the client refuses it): nothing to send
  }
}

/** Sends one case through `send` and applies the oracle. */
export async function runCase(c: FuzzCase, send: (r: Request) => Promise<Response>, base: string, w: World): Promise<CaseOutcome | undefined> {
  const req = requestOf(c, base, { master: CANARY.master, virtual: w.virtualKey })
  if (!req) return undefined
  const t0 = performance.now()
  let res: Response
  let text: string
  try {
    res = await send(req)
    text = await res.text()
  } catch (err) {
    return { status: 0, ms: performance.now() - t0, problem: `threw ${String((err as Error)?.message ?? err).slice(0, 200)}` }
  }
  const ms = performance.now() - t0
  const envelope = seeAnswer(`fuzz ${c.path}`, res.status, res.headers, text)
  if (res.status >= 500) return { status: res.status, ms, problem: `${res.status}: ${text.slice(0, 200)}` }
  if (res.status >= 300 && res.status < 400) return { status: res.status, ms, problem: `unexpected ${res.status}` }
  if (envelope) return { status: res.status, ms, problem: `not an envelope: ${envelope}` }
  if (res.status < 300) {
    const sse = (res.headers.get('content-type') ?? '').startsWith('text/event-stream')
    if (sse && !text.endsWith('data: [DONE]\n\n')) return { status: res.status, ms, problem: 'stream did not end with [DONE]' }
    if (!sse) {
      try {
        JSON.parse(text)
      } catch {
        return { status: res.status, ms, problem: '2xx body is not JSON' }
      }
    }
  }
  return { status: res.status, ms }
}

export async function runFuzz(p: Profile): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const mark = ledgerMark()
  const w = await startWorld()
  const statuses = new Map<string, number>()
  const latencies = new Histogram()
  let skipped = 0
  let saved = 0
  const record = (c: FuzzCase, o: CaseOutcome | undefined, via: string) => {
    if (!o) return void skipped++
    latencies.add(o.ms)
    const cls = o.status === 0 ? 'threw' : `${Math.floor(o.status / 100)}xx`
    statuses.set(cls, (statuses.get(cls) ?? 0) + 1)
    if (o.problem) {
      problems.add(`${via} ${c.path}: ${o.problem}`)
      saveFailing('fuzz', o.problem, c)
      saved++
    }
  }
  const handle = (r: Request) => w.app.handle(r)
  // Warm-up (JIT, caches, first allocations) before the RSS baseline: a separate seed, not counted.
  for (const c of fuzzCases(p.seed + 2_000_000, 1000)) await runCase(c, handle, 'http://gateway.local', w)
  Bun.gc(true)
  const rss0 = rssMiB()
  const heap0 = heapMiB()
  const { unhandled } = await watchUnhandled(async () => {
    let i = 0
    const batch: FuzzCase[] = []
    for (const c of fuzzCases(p.seed, p.fuzzInProcess)) {
      batch.push(c)
      if (batch.length < 16 && ++i < p.fuzzInProcess) continue
      await Promise.all(batch.map(async (b) => record(b, await runCase(b, handle, 'http://gateway.local', w), 'in-process')))
      batch.length = 0
    }
    const socketCases = [...fuzzCases(p.seed + 1_000_000, p.fuzzSocket)]
    await pool(socketCases.length, 8, async (k) => record(socketCases[k]!, await runCase(socketCases[k]!, (r) => fetch(r), w.gw.url, w), 'socket'))
  })
  Bun.gc(true)
  const rssGrowth = rssMiB() - rss0
  const heapGrowth = heapMiB() - heap0
  for (const u of unhandled) problems.add(u)
  const audit = await w.close()
  for (const a of audit) problems.add(a)
  const m = ledgerMark()
  const order = ['2xx', '4xx', '5xx', 'threw']
  const mix = order.filter((k) => statuses.has(k)).map((k) => `${k} ${statuses.get(k)!.toLocaleString('en-US')}`).join(', ')
  const bad = (statuses.get('5xx') ?? 0) + (statuses.get('threw') ?? 0)
  return {
    area: '1 request fuzz',
    figures: [
      fig('requests (in process + socket)', `${p.fuzzInProcess.toLocaleString('en-US')} + ${p.fuzzSocket.toLocaleString('en-US')}`, '≥ 100k (long)', true),
      fig('answers by class', mix),
      fig('crashes (5xx or throw)', bad, '0', bad === 0),
      fig('unhandled rejections', unhandled.length, '0', unhandled.length === 0),
      fig('4xx not in the envelope', m.violations - mark.violations, '0', m.violations === mark.violations),
      fig('p99 latency, ms', latencies.pct(99), '< 50', latencies.pct(99) < 50),
      fig('RSS growth after GC, MiB (whole run)', rssGrowth, '< 50 (goal A1)', rssGrowth < 50),
      fig('JS heap growth after GC, MiB', heapGrowth, '< 16', heapGrowth < 16),
      fig('failing inputs saved to corpus/fuzz', saved, '0', saved === 0),
      fig('unsendable cases skipped', skipped),
    ],
    problems: problems.list(),
    findings: rssGrowth < 50 ? [] : [`RSS grew ${rssGrowth.toFixed(0)} MiB over ${(p.fuzzInProcess + p.fuzzSocket).toLocaleString('en-US')} requests while the JS heap grew ${heapGrowth.toFixed(1)} MiB: allocator retention and the in-memory key and spend store (${(statuses.get('2xx') ?? 0).toLocaleString('en-US')} answers created keys or spend rows), not live JS objects`],
    ms: performance.now() - started,
  }
}
