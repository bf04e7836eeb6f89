/**
 * End to end: `bun run load` for one short scenario against the mock, the
 * real gateway, the direct path and the Bun floor. Asserts the result has
 * every figure and no failed request; never asserts speed (CI machines are busy).
 */
import { afterAll, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunResult } from '../src/result.ts'

const RUN = join(import.meta.dir, '../src/run.ts')
const out = mkdtempSync(join(tmpdir(), 'load-smoke-'))
afterAll(() => rmSync(out, { recursive: true, force: true }))

test('a short chat run produces results.json, report.md and latency.svg with every figure', async () => {
  const proc = Bun.spawn(['bun', RUN, '--scenario', 'chat', '--duration', '2', '--rounds', '1', '--warmup', '0.5', '--rate', '200', '--connections', '8', '--out', out], {
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [code, stderr] = await Promise.all([proc.exited, new Response(proc.stderr).text(), new Response(proc.stdout).text()])
  expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' })

  const run = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as RunResult
  const chat = run.scenarios[0]!
  expect({ scenarios: run.scenarios.length, name: chat.scenario, status: chat.status, targets: chat.targets.map((t) => t.target) }).toEqual({
    scenarios: 1,
    name: 'chat',
    status: 'ok',
    targets: ['direct', 'gateway', 'bun-passthrough'],
  })
  for (const t of chat.targets) {
    expect({ target: t.target, errors: t.errors, non2xx: t.non2xx }).toEqual({ target: t.target, errors: 0, non2xx: 0 })
    expect(t.rps).toBeGreaterThan(0)
    for (const k of ['p50', 'p90', 'p99', 'max'] as const) expect(t.latency[k]).toBeGreaterThan(0)
  }
  const gw = chat.targets.find((t) => t.kind === 'gateway')!
  expect(Object.keys(gw.addedLatency ?? {})).toEqual(['p50', 'p90', 'p99', 'max'])
  expect(gw.rssPeakMb).toBeGreaterThan(10)
  expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('## chat')
  expect(readFileSync(join(out, 'latency.svg'), 'utf8')).toContain('</svg>')
  expect(existsSync(join(out, 'logs', 'gateway-chat.out.log'))).toBe(true)
  // The gateway kept its keys and spend in a file of its own, gone after the run (never the repo's .data/).
  const sqlitePath = JSON.parse(readFileSync(join(out, 'logs', 'gateway-chat.yaml'), 'utf8')).general_settings.sqlite_path as string
  expect(sqlitePath.startsWith(tmpdir())).toBe(true)
  expect(existsSync(sqlitePath)).toBe(false)
}, 90_000)
