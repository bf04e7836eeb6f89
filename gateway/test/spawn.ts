/**
 * Runs the real gateway binary (`bun gateway/src/main.ts`) as a child process,
 * as a user would, and waits for its "listening" log line.
 */
import { join } from 'node:path'

export const MAIN = join(import.meta.dir, '../src/main.ts')
export const SHARED_FIXTURES = join(import.meta.dir, '../../../shared/fixtures')

export interface SpawnedGateway {
  url: string
  proc: Bun.Subprocess<'ignore', 'pipe', 'pipe'>
  /** Everything printed so far on stdout. */
  stdout(): string
  /** Stops the process (SIGINT by default: no load-balancer delay) and returns its exit code. */
  stop(signal?: 'SIGINT' | 'SIGTERM'): Promise<number>
  /** Stops reading the child's stdout and closes it, as a log reader that went away would. */
  closeStdout(): Promise<void>
  /** Everything printed on stderr, once the process has exited. */
  stderr(): Promise<string>
  [Symbol.asyncDispose](): Promise<void>
}

export async function spawnGateway(args: string[], env: Record<string, string | undefined>, timeoutMs = 10_000): Promise<SpawnedGateway> {
  const proc = Bun.spawn(['bun', MAIN, '--port', '0', ...args], {
    env: cleanEnv(env),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  let out = ''
  const reader = proc.stdout.getReader()
  const decoder = new TextDecoder()
  const deadline = Date.now() + timeoutMs
  let url: string | undefined
  while (!url) {
    if (Date.now() > deadline) throw new Error(`gateway did not start: ${out}`)
    const { done, value } = await reader.read()
    if (done) throw new Error(`gateway exited (${await proc.exited}): ${out}${await new Response(proc.stderr).text()}`)
    out += decoder.decode(value, { stream: true })
    url = /"msg":"listening","url":"([^"]+)"/.exec(out)?.[1]
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  const drain = (async () => {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      out += decoder.decode(value, { stream: true })
    }
  })()
  const stop = async (signal: 'SIGINT' | 'SIGTERM' = 'SIGINT') => {
    proc.kill(signal)
    const code = await proc.exited
    await drain
    return code
  }
  return {
    url,
    proc,
    stdout: () => out,
    stop,
    closeStdout: () => reader.cancel(),
    stderr: () => new Response(proc.stderr).text(),
    [Symbol.asyncDispose]: async () => void (await stop()),
  }
}

/** A minimal environment: PATH and HOME only, plus what the test gives. Unset entries are left out. */
export function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}
