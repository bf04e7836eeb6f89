/**
 * A real gateway process (`bun gateway/src/main.ts`, via gateway/test/spawn.ts)
 * for the areas where the process itself is the point: its RSS and fds, Bun's
 * own limits and timeouts as main.ts sets them. Config in a temporary
 * directory, canary master key and Redis password, SQLite key store there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UNHANDLED_REJECTION } from '../../gateway/src/lifecycle/rejection-guard.ts'
import { cleanEnv, MAIN } from '../../gateway/test/spawn.ts'
import { CANARY, CANARY_REDIS_URL } from './canary.ts'
import { ledger } from './ledger.ts'
import { fdCount, rssOfPid } from './sys.ts'

export interface Spawned {
  url: string
  port: number
  pid: number
  rssMiB(): number
  fds(): number
  alive(): boolean
  /** Stops the process (SIGINT), scans its output for the canaries and for unhandled rejections (ledger); returns its exit code. */
  stop(): Promise<number>
}

export interface SpawnOptions {
  /** `model_list` entries (YAML, starting with `  - model_name:`). */
  models: string
  /** Extra `general_settings` lines. */
  general?: string
  /** Extra top-level YAML (e.g. a `router_settings:` block). */
  extra?: string
}

export async function spawnWorld(o: SpawnOptions): Promise<Spawned> {
  const dir = mkdtempSync(join(tmpdir(), 'harden-'))
  const config = join(dir, 'config.yaml')
  writeFileSync(config, `model_list:\n${o.models}\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n  sqlite_path: ${join(dir, 'keys.sqlite')}\n  rate_limit_failure_mode: fail_open\n  shutdown_grace_seconds: 1\n${o.general ?? ''}\n${o.extra ?? ''}\n`)
  const proc = Bun.spawn(['bun', MAIN, '--port', '0', '--host', '127.0.0.1', '--config', config], {
    env: cleanEnv({ LITELLM_MASTER_KEY: CANARY.master, REDIS_URL: CANARY_REDIS_URL, BUN_CONFIG_MAX_HTTP_REQUESTS: '4096' }),
    stdin: 'ignore', stdout: 'pipe', stderr: 'pipe',
  })
  // Output is scanned for the canaries as it arrives and not kept (a soak logs millions of lines).
  const url = new Promise<string>((resolve, reject) => {
    void (async () => {
      const dec = new TextDecoder()
      let tail = ''
      let found = false
      for await (const chunk of proc.stdout) {
        const text = tail + dec.decode(chunk, { stream: true })
        ledger.canary.scan('spawned gateway stdout', text)
        const m = /"msg":"listening","url":"([^"]+)"/.exec(text)
        if (m && !found) found = true, resolve(m[1]!)
        tail = text.slice(-512)
      }
      if (!found) reject(new Error(`gateway exited (${await proc.exited}): ${await new Response(proc.stderr).text()}`))
    })()
  })
  const timer = setTimeout(() => proc.kill(), 15_000)
  const base = await url.finally(() => clearTimeout(timer))
  const pid = proc.pid
  let stopped: Promise<number> | undefined
  return {
    url: base,
    port: Number(new URL(base).port),
    pid,
    rssMiB: () => rssOfPid(pid),
    fds: () => fdCount(pid),
    alive: () => proc.exitCode === null,
    stop: () => {
      stopped ??= (async () => {
        proc.kill('SIGINT')
        const code = await proc.exited
        const errors = await new Response(proc.stderr).text()
        ledger.canary.scan('spawned gateway stderr', errors)
        // The gateway survives an unhandled rejection (it logs it), so being alive at the end does not show one.
        ledger.gatewayRejections.push(...rejectionLines(errors))
        rmSync(dir, { recursive: true, force: true })
        return code
      })()
      return stopped
    },
  }
}

/** The gateway's `unhandled rejection` log lines in its stderr (each cut to 300 characters). */
export function rejectionLines(stderr: string): string[] {
  const marker = `"msg":${JSON.stringify(UNHANDLED_REJECTION)}`
  return stderr.split('\n').filter((line) => line.includes(marker)).map((line) => line.slice(0, 300))
}
