/**
 * Runs one scenario end to end: starts its mock (CPU 1) and a fresh gateway
 * (CPU 0), checks the scenario's features are active, warms every target up,
 * then measures interleaved rounds (the target order rotates each round) and
 * folds them into medians. Everything it started is stopped in `finally`.
 * Each gateway gets an empty SQLite file for its keys and spend log, removed
 * afterwards: every run starts from the same state, and benchmarks never
 * write into the `.data/` database that `make run` uses.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { aggregate, roundOrder, type TargetRounds } from './aggregate.ts'
import { checkFeatures, gatewayConfig, gatewaySpec } from './gateway-config.ts'
import { runHttpLoad, type RequestShape, type RoundResult } from './http-load.ts'
import { runPacedHttp } from './paced-http.ts'
import { bindMock, type LivePeer } from './peers.ts'
import { startService, StartupError, watchMemory, type Service } from './processes.ts'
import type { ScenarioResult, TargetKind } from './result.ts'
import { chatBody, type Scenario } from './scenarios/types.ts'
import { runStreams } from './sse-client.ts'

/** Run-wide settings (from the CLI). */
export interface RunSettings {
  durationS: number
  rounds: number
  warmupS: number
  /** Overrides the scenario's connections / stream concurrency. */
  connections?: number
  /** Overrides the scenario's rate; 0 = saturating. */
  rate?: number
  pin: boolean
  logDir: string
  /** Fixed mock port (peers with a fixed config need it); 0 = any. */
  mockPort: number
  masterKey: string
  /** Extra environment for the gateway (--gateway-env). */
  gatewayEnv: Record<string, string>
  peers: readonly LivePeer[]
  log(msg: string): void
}

interface LiveTarget {
  name: string
  kind: TargetKind
  request: RequestShape
  service?: Service
}

const HERE = import.meta.dir

/** Measures one scenario; a feature that is not active yet gives a skipped result, never a throw. */
export async function runScenario(s: Scenario, run: RunSettings): Promise<ScenarioResult> {
  const rate = run.rate === undefined ? s.load.rate : run.rate || undefined
  const connections = run.connections ?? s.load.connections
  const rounds = s.load.rounds ?? run.rounds
  const result: ScenarioResult = {
    scenario: s.name,
    description: s.description,
    mode: s.mode,
    status: 'ok',
    load: { ...(rate ? { rate } : {}), connections, durationS: run.durationS, rounds, ...(s.load.total ? { total: s.load.total } : {}) },
    targets: [],
    notes: [],
  }
  const started: Service[] = []
  const dbDir = await mkdtemp(join(tmpdir(), 'llmgw-load-'))
  try {
    const mock = await startService(mockSpec(s, run), run.pin)
    started.push(mock)
    const configPath = join(run.logDir, `gateway-${s.name}.yaml`)
    await Bun.write(configPath, JSON.stringify(gatewayConfig(mock.url, s.gateway, join(dbDir, 'gateway.sqlite')), null, 2))
    let gateway: Service
    try {
      const spec = gatewaySpec(configPath, run.masterKey, run.logDir)
      gateway = await startService({ ...spec, name: `gateway-${s.name}`, env: { ...spec.env, ...run.gatewayEnv } }, run.pin)
    } catch (err) {
      if (err instanceof StartupError) return { ...result, status: 'skipped', skipReason: err.firstLine }
      throw err
    }
    started.push(gateway)
    const check = await checkFeatures(gateway.url, run.masterKey, s.gateway)
    if (!check.ok) return { ...result, status: 'skipped', skipReason: check.reason }

    const body = chatBody(s.mode === 'stream')
    const chatUrl = (base: string) => `${base}/v1/chat/completions`
    const targets: LiveTarget[] = []
    if (s.direct !== false) targets.push({ name: 'direct', kind: 'direct', request: { url: chatUrl(mock.url), headers: {}, body } })
    targets.push({ name: 'gateway', kind: 'gateway', request: { url: chatUrl(gateway.url), headers: check.headers, body }, service: gateway })
    if (s.passthrough) {
      const pt = await startService(
        { name: `passthrough-${s.name}`, cmd: ['bun', join(HERE, 'passthrough.ts'), '--upstream', mock.url], cpu: 0, logDir: run.logDir, readyLog: /"url":"([^"]+)"/ },
        run.pin,
      )
      started.push(pt)
      targets.push({ name: 'bun-passthrough', kind: 'passthrough', request: { url: chatUrl(pt.url), headers: {}, body }, service: pt })
    }
    if (s.peers) {
      for (const p of run.peers) {
        if (p.problem) continue
        const spec = bindMock(p.spec, mock.url)
        const request = { url: `${spec.url}/chat/completions`, headers: spec.headers ?? {}, body }
        targets.push({ name: p.spec.name, kind: 'peer', request, ...(p.service ? { service: p.service } : {}) })
      }
    }

    const watchers = new Map(targets.flatMap((t) => (t.service ? [[t.name, watchMemory(t.service)] as const] : [])))
    // Every target gets the same client: paced fetch at a fixed rate, autocannon when saturating.
    const measureOnce = (t: LiveTarget, durationS: number) =>
      s.mode === 'http'
        ? rate
          ? runPacedHttp(t.request, { durationS, connections, rate })
          : runHttpLoad(t.request, { durationS, connections })
        : runStreams(t.request, {
            durationS,
            concurrency: connections,
            ...(rate ? { rate } : {}),
            ...(s.load.total ? { total: s.load.total } : {}),
            ...(s.streamTimeoutMs ? { timeoutMs: s.streamTimeoutMs } : {}),
          })
    if (run.warmupS > 0 && !s.load.total) {
      for (const t of targets) await measureOnce(t, run.warmupS)
    }
    const byTarget = new Map<string, RoundResult[]>(targets.map((t) => [t.name, []]))
    for (let i = 0; i < rounds; i++) {
      for (const t of roundOrder(targets, i)) {
        run.log(`  ${s.name} round ${i + 1}/${rounds}: ${t.name}`)
        byTarget.get(t.name)!.push(await measureOnce(t, run.durationS))
      }
    }
    const all: TargetRounds[] = targets.map((t) => {
      const mem = watchers.get(t.name)?.stop()
      return { target: t.name, kind: t.kind, rounds: byTarget.get(t.name)!, ...(mem ? { rssPeakMb: mem.hwmMb } : {}) }
    })
    result.targets = aggregate(all)
    const stats = (await fetch(`${mock.url}/__stats`).then((r) => r.json())) as { peakOpenStreams: number }
    if (s.load.total) {
      result.upstreamPeakOpen = stats.peakOpenStreams
      result.notes.push(`the mock saw at most ${stats.peakOpenStreams} upstream streams open at once (of ${s.load.total} client streams)`)
    }
    return result
  } finally {
    for (const svc of started.reverse()) await svc.stop()
    await rm(dbDir, { recursive: true, force: true })
  }
}

function mockSpec(s: Scenario, run: RunSettings) {
  const m = s.mock
  return {
    name: `mock-${s.name}`,
    cmd: [
      'bun', join(HERE, 'mock-upstream.ts'), '--port', String(run.mockPort),
      '--latency-ms', String(m.latencyMs ?? 0), '--tokens', String(m.tokens ?? 16), '--token-interval-ms', String(m.tokenIntervalMs ?? 0),
    ],
    cpu: 1,
    logDir: run.logDir,
    readyLog: /"url":"([^"]+)"/,
  }
}
