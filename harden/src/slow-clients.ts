/**
 * Area 8, slow clients against a spawned gateway (Bun's default idle timeout,
 * as main.ts runs it): Debian's slowhttptest (slow headers, slow body, slow
 * read) when installed, plus our own raw-socket slow clients that time
 * exactly when the gateway closes each kind of slow connection. Meanwhile a
 * probe sends 5 chat requests a second; at least 99 % must succeed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CANARY } from './canary.ts'
import { ledgerMark, seeAnswer } from './ledger.ts'
import { openLoop } from './load-gen.ts'
import type { Profile } from './profile.ts'
import { head, rawRequest, type RawOptions, type Step } from './raw-http.ts'
import { fig, Problems, type AreaResult, type Figure } from './report.ts'
import { pct } from './sys.ts'
import { spawnWorld } from './spawned.ts'

const AUTH = `Bearer ${CANARY.master}`

/** Our slow clients: what each sends, trickled every 2 s until the window ends. */
function slowClients(seconds: number): Array<{ name: string; steps: Step[]; opts?: RawOptions }> {
  const ticks = Math.ceil(seconds / 2)
  const trickle = (piece: string) => Array.from({ length: ticks }, () => [{ delayMs: 2000 }, piece] as Step[]).flat()
  const chat = JSON.stringify({ model: 'echo', stream: true, messages: [{ role: 'user', content: 'x'.repeat(500_000) }] })
  return [
    { name: 'header line every 2 s (no key)', steps: ['POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n', ...trickle('x-a: b\r\n')] },
    { name: 'partial headers, then silence', steps: ['POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n'] },
    { name: 'body byte every 2 s (valid key, Content-Length 100000)', steps: [head('POST', '/v1/chat/completions', { authorization: AUTH, 'content-length': '100000' }), ...trickle(' ')] },
    { name: 'idle keep-alive connection after one answer', steps: [head('GET', '/health/liveliness', {})], opts: { hold: true } },
    { name: 'slow read: a 500 KB stream, reading stops after the first bytes', steps: [head('POST', '/v1/chat/completions', { authorization: AUTH, 'content-length': String(Buffer.byteLength(chat)) }), chat], opts: { pause: true } },
  ]
}

export async function runSlowClients(p: Profile): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const findings: string[] = []
  const mark = ledgerMark()
  const gw = await spawnWorld({ models: '  - model_name: echo\n    litellm_params: { model: mock/echo, mock_chunk_chars: 1 }' })
  const window = p.slowSeconds
  const dir = mkdtempSync(join(tmpdir(), 'harden-slow-'))
  const tool = Bun.which('slowhttptest')
  const per = Math.floor(p.slowConnections / 3)
  const modes = [['-H', 'slow headers'], ['-B', 'slow body (no key: answered 401 before the body)'], ['-X', 'slow read']] as const
  const procs = tool
    ? modes.map(([flag, name]) => ({
        name,
        csv: join(dir, `${flag.slice(1)}.csv`),
        proc: Bun.spawn([tool, flag, '-c', String(per), '-r', '200', '-i', '2', '-l', String(window), '-p', '3', '-g', '-o', join(dir, flag.slice(1)),
          '-u', `${gw.url}${flag === '-X' ? '/v1/models' : flag === '-B' ? '/v1/chat/completions' : '/health/liveliness'}`, ...(flag === '-X' ? ['-k', '10', '-n', '2', '-w', '16', '-y', '32', '-z', '16'] : [])],
          { stdout: 'ignore', stderr: 'ignore' }),
      }))
    : []
  const mine = slowClients(window).map(async (c) => {
    const t0 = performance.now()
    const r = await rawRequest(gw.port, c.steps, window * 1000 + 1000, c.opts)
    const open = r.error === 'timeout'
    const closedAfter = ((Number.isNaN(r.closedAt) ? performance.now() : r.closedAt) - t0) / 1000
    return { name: c.name, open, closedAfter, status: r.status }
  })
  const probeBody = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'probe' }] })
  const probe = await openLoop(() => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: AUTH }, body: probeBody, signal: AbortSignal.timeout(5000) }), 5, window)
  const mineResults = await Promise.all(mine)
  for (const pr of procs) {
    const killer = setTimeout(() => pr.proc.kill(), 15_000)
    await pr.proc.exited
    clearTimeout(killer)
  }
  const ok = probe.samples.filter((s) => s.status === 200)
  const success = ok.length / Math.max(1, probe.samples.length)
  problems.check(success >= 0.99, `probe success ${(success * 100).toFixed(1)} %`)
  problems.check(gw.alive(), 'the gateway died')
  const last = await fetch(`${gw.url}/health/liveliness`)
  seeAnswer('slow probe', last.status, last.headers, await last.text())
  const code = await gw.stop()
  const figures: Figure[] = [
    fig(`probe at 5 rps for ${window} s: success`, `${ok.length} / ${probe.samples.length} (${(success * 100).toFixed(1)} %)`, '≥ 99 %', success >= 0.99),
    fig('probe latency p50 / p99, ms', `${pct(ok.map((s) => s.ms), 50).toFixed(1)} / ${pct(ok.map((s) => s.ms), 99).toFixed(1)}`),
  ]
  for (const pr of procs) figures.push(fig(`slowhttptest ${pr.name}, ${per} connections`, summarize(pr.csv)))
  if (!tool) figures.push(fig('slowhttptest', 'not installed (apt-get install -y slowhttptest); own slow clients only'))
  for (const r of mineResults) {
    figures.push(fig(r.name, r.open ? `still open after ${window} s` : `closed after ${r.closedAfter.toFixed(1)} s${r.status ? ` (answered ${r.status})` : ''}`))
    // A short window cannot tell "slow to close" from "never closed": only the long profile reports findings.
    if (r.open && window >= 60) findings.push(`${r.name}: connection still open after ${window} s`)
  }
  figures.push(fig('gateway exit code after the run', code, '0', code === 0))
  rmSync(dir, { recursive: true, force: true })
  const m = ledgerMark()
  figures.push(fig('error answers not in the envelope', m.violations - mark.violations, '0', m.violations === mark.violations))
  return { area: '8 slow clients', figures, problems: problems.list(), findings, ms: performance.now() - started }
}

/** slowhttptest's CSV (seconds, closed, pending, connected, …): peak connected, and closed by the end. */
function summarize(csv: string): string {
  try {
    const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').map(Number))
    const peak = Math.max(...rows.map((r) => r[3] ?? 0))
    const last = rows.at(-1)!
    const firstClose = rows.find((r) => (r[1] ?? 0) > 0)?.[0]
    return `peak ${peak} connected; ${last[1]} closed by its end at ${last[0]} s${firstClose !== undefined ? ` (first close at ${firstClose} s)` : ''}`
  } catch {
    return 'no statistics written'
  }
}
