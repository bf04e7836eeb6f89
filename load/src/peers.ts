/**
 * Other OpenAI-compatible endpoints to compare with (`--target`, `--targets`).
 * A peer is either already running (just a URL) or started by the run from a
 * `command`, pinned to the gateway's CPU. `{{mock_url}}` in a peer's headers,
 * command or env stands for the mock's base URL.
 */
import { readFileSync } from 'node:fs'
import { startService, type Service } from './processes.ts'

/** One peer, as given on the command line or in a targets file. */
export interface PeerSpec {
  name: string
  /** Base URL of its OpenAI API, e.g. `http://127.0.0.1:8787/v1`. */
  url: string
  headers?: Record<string, string>
  /** Start it with this command (else it must already be running). */
  command?: string[]
  env?: Record<string, string>
  /** URL that answers once it is up (default: `url`'s origin). */
  readyUrl?: string
  /** Startup deadline, ms (default 60 s: LiteLLM takes a while). */
  startTimeoutMs?: number
}

/** Parses `name=URL` (name: letters, digits, `-`, `_`). */
export function parseTargetFlag(flag: string): PeerSpec {
  const m = /^([A-Za-z0-9_-]+)=(https?:\/\/\S+)$/.exec(flag)
  if (!m) throw new Error(`--target expects NAME=URL (e.g. portkey=http://127.0.0.1:8787/v1), got "${flag}"`)
  return { name: m[1]!, url: m[2]!.replace(/\/$/, '') }
}

/** Reads a JSON array of PeerSpec (what `make load-peers` writes). */
export function readTargetsFile(path: string): PeerSpec[] {
  const data = JSON.parse(readFileSync(path, 'utf8')) as unknown
  if (!Array.isArray(data)) throw new Error(`${path}: expected a JSON array of targets`)
  return data.map((d, i) => {
    const p = d as PeerSpec
    if (typeof p?.name !== 'string' || typeof p.url !== 'string') throw new Error(`${path}[${i}]: needs "name" and "url"`)
    return p
  })
}

/** Replaces `{{mock_url}}` everywhere in a spec. */
export function bindMock(spec: PeerSpec, mockUrl: string): PeerSpec {
  const sub = (s: string) => s.replaceAll('{{mock_url}}', mockUrl)
  const subRecord = (r?: Record<string, string>) => (r ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, sub(v)])) : undefined)
  return {
    ...spec,
    url: sub(spec.url),
    ...(spec.headers ? { headers: subRecord(spec.headers) } : {}),
    ...(spec.env ? { env: subRecord(spec.env) } : {}),
    ...(spec.command ? { command: spec.command.map(sub) } : {}),
  }
}

/** A peer ready to receive load; `service` is set when this run started it. */
export interface LivePeer {
  /** As given: bind `{{mock_url}}` in headers per scenario with bindMock. */
  spec: PeerSpec
  service?: Service
  /** Set when it could not be started or reached; the peer is then left out with this note. */
  problem?: string
}

/** Starts the peers that have a command and checks the others answer. Never throws. */
export async function startPeers(specs: readonly PeerSpec[], mockUrl: string, logDir: string, pin: boolean): Promise<LivePeer[]> {
  const out: LivePeer[] = []
  for (const raw of specs) {
    const spec = bindMock(raw, mockUrl)
    const live = { spec: raw }
    const readyUrl = spec.readyUrl ?? new URL(spec.url).origin
    try {
      if (!spec.command) {
        await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) })
        out.push(live)
        continue
      }
      const service = await startService(
        { name: `peer-${spec.name}`, cmd: spec.command, env: spec.env ?? {}, cpu: 0, logDir, readyUrl, timeoutMs: spec.startTimeoutMs ?? 60_000 },
        pin,
      )
      out.push({ ...live, service })
    } catch (err) {
      out.push({ ...live, problem: `${spec.name} left out: ${(err as Error).message}` })
    }
  }
  return out
}
