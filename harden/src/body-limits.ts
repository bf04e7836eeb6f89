/**
 * Area 3, body limits over a raw socket, against a spawned gateway (main.ts
 * sets Bun's own cap): bodies at limit−1, limit, limit+1 and 10×, chunked
 * without a length, a Content-Length that lies both ways, and compressed
 * bodies (a gzip bomb). Each gets its answer promptly (ms from the byte that
 * crossed the limit, or the last byte sent), in the envelope; RSS of the
 * gateway is measured around the run.
 */
import { gzipSync } from 'node:zlib'
import { CANARY } from './canary.ts'
import { ledger, ledgerMark, seeAnswer } from './ledger.ts'
import { head, rawRequest, type RawResult, type Step } from './raw-http.ts'
import { fig, Problems, type AreaResult } from './report.ts'
import { MiB } from './sys.ts'
import { spawnWorld } from './spawned.ts'
import { startWorld } from './world.ts'

const LIMIT = MiB // general_settings.max_request_size_mb default
const STALL_IDLE_S = 2
const PATH = '/v1/chat/completions'
const AUTH = { authorization: `Bearer ${CANARY.master}`, 'content-type': 'application/json' }

/** A valid chat body of exactly `size` bytes. */
export function bodyOfSize(size: number): Buffer {
  const shell = JSON.stringify({ model: 'mock-fixed', messages: [{ role: 'user', content: '' }] })
  return Buffer.from(shell.replace('"content":""', `"content":"${'x'.repeat(size - shell.length)}"`))
}

/** `total` bytes as chunks of 64 KiB, with a mark at the chunk that crosses LIMIT. */
function chunks(total: number, encode: (b: Uint8Array) => Step[] = (b) => [b]): Step[] {
  const piece = Buffer.alloc(64 * 1024, 0x20)
  const steps: Step[] = []
  for (let sent = 0; sent < total; sent += piece.length) {
    if (sent + piece.length > LIMIT && sent <= LIMIT) steps.push({ mark: 'crossed' })
    steps.push(...encode(piece.subarray(0, Math.min(piece.length, total - sent))))
  }
  return steps
}

interface Case {
  name: string
  steps: Step[]
  want: number[]
  /** Promptness measured from this mark (default: the last byte sent). */
  from?: string
  waitMs?: number
  /** Declared length over Bun's own cap: Bun answers, not the gateway. */
  bunCap?: boolean
}

export async function runBodyLimits(): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const mark = ledgerMark()
  const gw = await spawnWorld({ models: '  - model_name: mock-fixed\n    litellm_params: { model: mock/fixed, mock_response: ok }' })
  // Stalls run against an in-process gateway whose Bun idle timeout is 2 s (main.ts keeps Bun's default, 10 s).
  const stallGw = await startWorld({ idleTimeout: STALL_IDLE_S })
  const stallPort = Number(new URL(stallGw.gw.url).port)
  const stallWaitMs = (STALL_IDLE_S * 2 + 2) * 1000
  const h = (headers: Record<string, string>) => head('POST', PATH, { ...AUTH, ...headers })
  const bomb = gzipSync(Buffer.alloc(64 * MiB))
  const cases: Case[] = [
    { name: 'limit − 1', steps: [h({ 'content-length': String(LIMIT - 1) }), bodyOfSize(LIMIT - 1)], want: [200] },
    { name: 'limit', steps: [h({ 'content-length': String(LIMIT) }), bodyOfSize(LIMIT)], want: [200] },
    { name: 'limit + 1', steps: [h({ 'content-length': String(LIMIT + 1) }), bodyOfSize(LIMIT + 1)], want: [413] },
    { name: '10 × limit (declared)', steps: [h({ 'content-length': String(10 * LIMIT) }), { mark: 'head' }, { delayMs: 50 }, ...chunks(10 * LIMIT)], want: [413], from: 'head', bunCap: true },
    { name: 'chunked, no length, 2 × limit', steps: [h({ 'transfer-encoding': 'chunked' }), ...chunks(2 * LIMIT, (b) => [`${b.length.toString(16)}\r\n`, b, '\r\n'])], want: [413], from: 'crossed' },
    { name: 'Content-Length lies low (100, sends 4 KiB)', steps: [h({ 'content-length': '100' }), bodyOfSize(4096)], want: [400] },
    { name: `gzip bomb (${(bomb.length / 1024).toFixed(0)} KiB → 64 MiB)`, steps: [h({ 'content-length': String(bomb.length), 'content-encoding': 'gzip' }), bomb], want: [400] },
    { name: 'content-encoding: br', steps: [h({ 'content-length': '10', 'content-encoding': 'br' }), '0123456789'], want: [400] },
    { name: 'chunked + gzip', steps: [h({ 'transfer-encoding': 'chunked', 'content-encoding': 'gzip' }), `${bomb.length.toString(16)}\r\n`, bomb, '\r\n0\r\n\r\n'], want: [400] },
  ]
  const stalls: Case[] = [
    { name: 'Content-Length lies high (1000, sends 100, stalls), master key', steps: [h({ 'content-length': '1000' }), bodyOfSize(100)], want: [0, 400, 408], waitMs: stallWaitMs },
    { name: 'Content-Length lies high, no key', steps: [head('POST', PATH, { 'content-length': '1000' }), bodyOfSize(100)], want: [401], waitMs: stallWaitMs },
  ]
  const rss0 = gw.rssMiB()
  let rssPeak = rss0
  const sampler = setInterval(() => void (rssPeak = Math.max(rssPeak, gw.rssMiB())), 20)
  const figures = []
  const findings: string[] = []
  // The stalls run alongside the other cases: they only wait.
  const stallRuns = stalls.map(async (c) => ({ c, r: await rawRequest(stallPort, c.steps, c.waitMs!) }))
  const maxPromptMs = { value: 0 }
  for (const c of cases) {
    const r = await rawRequest(gw.port, c.steps, 10_000)
    const ms = answeredAfter(r, c.from)
    maxPromptMs.value = Math.max(maxPromptMs.value, ms)
    figures.push(fig(c.name, `${r.status || r.error} in ${ms.toFixed(1)} ms`, `${c.want.join('/')} < 100 ms`, c.want.includes(r.status) && ms < 100))
    problems.check(c.want.includes(r.status), `${c.name}: status ${r.status} ${r.error ?? ''} (want ${c.want.join('/')})`)
    if (c.bunCap && r.status === 413 && r.body === '') {
      // Bun's own cap (main.ts: max(2 × limit, 8 MiB)) answers before the gateway runs: no envelope possible.
      ledger.knownNonEnvelope.push(`${c.name}: Bun's native 413, empty body`)
      findings.push(`${c.name}: Bun's own maxRequestBodySize answers 413 with an empty body and connection: ${r.headers.connection ?? '-'} (not the envelope; SECURITY.md, known limits)`)
      continue
    }
    const envelope = seeAnswer(`body ${c.name}`, r.status, r.headers, r.body)
    if (envelope) figures.push(fig(`${c.name}: body`, JSON.stringify(r.body.slice(0, 40)), 'envelope', false))
  }
  for (const { c, r } of await Promise.all(stallRuns)) {
    const closedAfter = (Number.isNaN(r.closedAt) ? performance.now() : r.closedAt) - r.lastWriteAt
    const answered = r.status ? `${r.status} after ${(answeredAfter(r) / 1000).toFixed(1)} s` : r.error === 'timeout' ? `still open after ${(closedAfter / 1000).toFixed(1)} s` : `closed after ${(closedAfter / 1000).toFixed(1)} s`
    const ok = r.status !== 0 || (r.error !== 'timeout' && closedAfter <= STALL_IDLE_S * 2000 + 1000)
    figures.push(fig(c.name, answered, `answered, or closed within 2 × Bun idleTimeout (${STALL_IDLE_S} s) + 1 s`, ok))
    problems.check(ok, `${c.name}: ${answered}`)
    if (r.status) seeAnswer(`body ${c.name}`, r.status, r.headers, r.body)
  }
  clearInterval(sampler)
  for (const a of await stallGw.close()) problems.add(a)
  const rss1 = gw.rssMiB()
  problems.check(gw.alive(), 'the gateway process died')
  const code = await gw.stop()
  problems.check(code === 0, `gateway exit code ${code}`)
  const m = ledgerMark()
  figures.push(
    fig('gateway RSS before → peak → after, MiB', `${rss0.toFixed(0)} → ${rssPeak.toFixed(0)} → ${rss1.toFixed(0)}`),
    fig('gateway RSS growth (after − before), MiB', rss1 - rss0, '< limit + 1 MiB', rss1 - rss0 < LIMIT / MiB + 1),
    fig('error answers not in the envelope', m.violations - mark.violations, '0', m.violations === mark.violations),
  )
  return { area: '3 body limits', figures, problems: problems.list(), findings, ms: performance.now() - started }
}

/** ms from `mark` (default: the last byte written) to the first response byte; 0 when answered before it. */
function answeredAfter(r: RawResult, mark?: string): number {
  const from = mark ? (r.marks[mark] ?? r.lastWriteAt) : r.lastWriteAt
  return Number.isNaN(r.answeredAt) ? Number.POSITIVE_INFINITY : Math.max(0, r.answeredAt - from)
}
