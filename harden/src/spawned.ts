/**
 * A real gateway process (`bun gateway/src/main.ts`, via gateway/test/spawn.ts)
 * for the areas where the process itself is the point: its RSS and fds, Bun's
 * own limits and timeouts as main.ts sets them. Config in a temporary
 * directory, canary master key and Redis password, SQLite key store there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnGateway } from '../../gateway/test/spawn.ts'
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
  /** Stops the process (SIGINT), scans its output for the canaries; returns its exit code. */
  stop(): Promise<number>
}

export interface SpawnOptions {
  /** `model_list` entries (YAML, starting with `  - model_name:`). */
  models: string
  /** Extra `general_settings` lines. */
  general?: string
}

export async function spawnWorld(o: SpawnOptions): Promise<Spawned> {
  const dir = mkdtempSync(join(tmpdir(), 'harden-'))
  const config = join(dir, 'config.yaml')
  writeFileSync(config, `model_list:\n${o.models}\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n  sqlite_path: ${join(dir, 'keys.sqlite')}\n  rate_limit_failure_mode: fail_open\n  shutdown_grace_seconds: 1\n${o.general ?? ''}\n`)
  const gw = await spawnGateway(['--config', config, '--host', '127.0.0.1'], {
    LITELLM_MASTER_KEY: CANARY.master,
    REDIS_URL: CANARY_REDIS_URL,
    BUN_CONFIG_MAX_HTTP_REQUESTS: '4096',
    LOG_LEVEL: 'warn',
  })
  const pid = gw.proc.pid
  let stopped: Promise<number> | undefined
  return {
    url: gw.url,
    port: Number(new URL(gw.url).port),
    pid,
    rssMiB: () => rssOfPid(pid),
    fds: () => fdCount(pid),
    alive: () => gw.proc.exitCode === null && !gw.proc.killed,
    stop: () => {
      stopped ??= (async () => {
        const code = await gw.stop('SIGINT')
        ledger.canary.scan('spawned gateway stdout', gw.stdout())
        rmSync(dir, { recursive: true, force: true })
        return code
      })()
      return stopped
    },
  }
}
