/**
 * `bun run load`: starts a mock upstream, the gateway (and the floor and
 * peers), runs the chosen scenarios, writes results.json, report.md and
 * latency.svg, and with `--baseline` exits 1 on a regression (release gate).
 * Exit codes: 0 done, 1 regression or a scenario failed unexpectedly, 2 bad flags.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { cpus, release } from 'node:os'
import { join, resolve } from 'node:path'
import { compareWithBaseline, describeComparison } from './baseline.ts'
import { latencyChart } from './chart.ts'
import { parseCli, USAGE, UsageError, type CliOptions } from './cli.ts'
import { runScenario } from './measure.ts'
import { parseTargetFlag, readTargetsFile, startPeers, type PeerSpec } from './peers.ts'
import { canPin, pinSelf } from './processes.ts'
import { toJson, toMarkdown } from './report.ts'
import { RESULT_VERSION, type MachineInfo, type RunResult, type ScenarioResult } from './result.ts'
import { pickScenarios, SCENARIOS } from './scenarios/index.ts'

/** Bun's fetch allows 256 requests at once unless this is set at process start. */
const FETCH_LIMIT_ENV = 'BUN_CONFIG_MAX_HTTP_REQUESTS'

const log = (msg: string) => process.stderr.write(`${msg}\n`)

function machine(pinned: boolean, gatewayEnv: Record<string, string>): MachineInfo {
  const cpuModel = cpus()[0]?.model.trim() ?? 'unknown'
  return { cpus: navigator.hardwareConcurrency, cpuModel, os: `${process.platform} ${release()}`, bun: Bun.version, pinned, logLevel: 'info', gatewayEnv }
}

function peerSpecs(opts: CliOptions): PeerSpec[] {
  const specs = [...(opts.targetsFile ? readTargetsFile(opts.targetsFile) : []), ...opts.targets.map(parseTargetFlag)]
  const needsPort = specs.some((s) => [...(s.command ?? []), ...Object.values(s.env ?? {})].some((v) => v.includes('{{mock_url}}')))
  if (needsPort && opts.mockPort === 0) throw new UsageError('targets started with {{mock_url}} in their command or env need a fixed --mock-port')
  return specs
}

/** Runs everything the options ask for; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const opts = parseCli(argv)
  if (opts.help) return void process.stdout.write(`${USAGE}\n`), 0
  if (opts.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.name.padEnd(18)} ${s.description}\n`)
    return 0
  }
  let scenarios
  let specs
  try {
    scenarios = pickScenarios(opts.scenarios)
    specs = peerSpecs(opts)
  } catch (err) {
    throw err instanceof UsageError ? err : new UsageError((err as Error).message)
  }
  const outDir = resolve(opts.out ?? join(import.meta.dir, '../results', new Date().toISOString().replace(/[:.]/g, '-')))
  const logDir = join(outDir, 'logs')
  mkdirSync(logDir, { recursive: true })
  const pin = opts.pin && canPin()
  if (pin) pinSelf(1)
  const startedAt = new Date().toISOString()
  const peers = await startPeers(specs, `http://127.0.0.1:${opts.mockPort}`, logDir, pin)
  for (const p of peers) if (p.problem) log(p.problem)
  let exitCode = 0
  const results: ScenarioResult[] = []
  try {
    for (const s of scenarios) {
      log(`scenario ${s.name}: ${s.description}`)
      const settings = { durationS: opts.durationS, rounds: opts.rounds, warmupS: opts.warmupS, pin, logDir, mockPort: opts.mockPort, masterKey: `sk-load-${crypto.randomUUID()}`, gatewayEnv: opts.gatewayEnv, peers, log }
      try {
        const r = await runScenario(s, { ...settings, ...(opts.connections ? { connections: opts.connections } : {}), ...(opts.rate !== undefined ? { rate: opts.rate } : {}) })
        if (r.status === 'skipped') log(`  skipped: ${r.skipReason}`)
        results.push(r)
      } catch (err) {
        exitCode = 1
        log(`  failed: ${(err as Error).stack ?? err}`)
        results.push({ scenario: s.name, description: s.description, mode: s.mode, status: 'skipped', skipReason: `error: ${(err as Error).message}`, load: { connections: 0, durationS: opts.durationS, rounds: opts.rounds }, targets: [], notes: [] })
      }
    }
  } finally {
    for (const p of peers) await p.service?.stop()
  }
  const run: RunResult = { version: RESULT_VERSION, startedAt, machine: machine(pin, opts.gatewayEnv), scenarios: results }
  let report = toMarkdown(run)
  if (opts.baseline) {
    const lines = describeComparison(compareWithBaseline(run, JSON.parse(readFileSync(opts.baseline, 'utf8')) as RunResult, opts.tolerance))
    for (const l of lines) log(l)
    report += `\n## Baseline (${opts.baseline})\n\n${lines.map((l) => `- ${l}`).join('\n')}\n`
    if (lines.some((l) => l.startsWith('REGRESSION'))) exitCode = 1
  }
  await Bun.write(join(outDir, 'results.json'), toJson(run))
  await Bun.write(join(outDir, 'report.md'), report)
  await Bun.write(join(outDir, 'latency.svg'), latencyChart(run))
  process.stdout.write(report)
  log(`results in ${outDir}`)
  return exitCode
}

if (import.meta.main) {
  if (!process.env[FETCH_LIMIT_ENV]) {
    // Re-run with a higher fetch limit so 1,000 streams can be open at once.
    const child = Bun.spawn([process.execPath, import.meta.path, ...Bun.argv.slice(2)], {
      env: { ...process.env, [FETCH_LIMIT_ENV]: '4096' },
      stdio: ['inherit', 'inherit', 'inherit'],
    })
    process.exit(await child.exited)
  }
  try {
    process.exit(await main(Bun.argv.slice(2)))
  } catch (err) {
    if (err instanceof UsageError) {
      log(`${(err as Error).message}\n\n${USAGE}`)
      process.exit(2)
    }
    throw err
  }
}
