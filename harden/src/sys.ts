/** Process and socket measurements, percentiles, and bounded waiting. */
import { readdirSync, readFileSync } from 'node:fs'

export const MiB = 1024 * 1024

/** Resident set size of this process, MiB. */
export function rssMiB(): number {
  return process.memoryUsage().rss / MiB
}

/** Live JS heap of this process, MiB (call Bun.gc(true) first for a steady figure). */
export function heapMiB(): number {
  return process.memoryUsage().heapUsed / MiB
}

/** Resident set size of another process (from /proc), MiB; NaN when unreadable. */
export function rssOfPid(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

/** Open file descriptors of a process (default: this one); NaN without /proc. */
export function fdCount(pid: number | 'self' = 'self'): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return Number.NaN
  }
}

/**
 * TCP sockets in CLOSE_WAIT whose local or peer port is one of `ports`
 * (`ss -tan state close-wait`); NaN when `ss` is not available.
 */
export function closeWaitCount(ports: number[]): number {
  try {
    const out = Bun.spawnSync(['ss', '-Htan', 'state', 'close-wait'], { stdout: 'pipe', stderr: 'ignore' })
    if (!out.success) return Number.NaN
    const wanted = new Set(ports.map(String))
    return out.stdout.toString().split('\n').filter((line) => {
      const addrs = line.trim().split(/\s+/).slice(-2)
      return addrs.some((a) => wanted.has(a.slice(a.lastIndexOf(':') + 1)))
    }).length
  } catch {
    return Number.NaN
  }
}

/** The p-th percentile (0-100) of `xs`, nearest rank; NaN when empty. */
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!
}

/** Latencies in 0.1 ms buckets up to 1 s (and one overflow bucket): fixed memory however many samples. */
export class Histogram {
  private readonly buckets = new Uint32Array(10_001)
  count = 0
  max = 0
  add(ms: number): void {
    this.buckets[Math.min(10_000, Math.max(0, Math.floor(ms * 10)))]!++
    this.count++
    this.max = Math.max(this.max, ms)
  }
  /** The p-th percentile (0-100), to the bucket's upper edge; NaN when empty. */
  pct(p: number): number {
    if (this.count === 0) return Number.NaN
    const rank = Math.max(1, Math.ceil((p / 100) * this.count))
    for (let i = 0, seen = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!
      if (seen >= rank) return i === 10_000 ? this.max : (i + 1) / 10
    }
    return this.max
  }
}

/** Polls `pred` every `everyMs` until true or `timeoutMs` passed; returns whether it became true. */
export async function until(pred: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 2): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    if (await pred()) return true
    if (performance.now() > deadline) return false
    await Bun.sleep(everyMs)
  }
}

/** Runs `task(i)` for i in [0, n) with at most `limit` at once. */
export async function pool(n: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < n) await task(next++)
  }
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker))
}

/** Counts unhandled rejections and uncaught exceptions while `f` runs. */
export async function watchUnhandled<T>(f: () => Promise<T>): Promise<{ value: T; unhandled: string[] }> {
  const unhandled: string[] = []
  const onRejection = (reason: unknown) => void unhandled.push(`unhandledRejection: ${String((reason as Error)?.stack ?? reason).slice(0, 300)}`)
  const onException = (err: unknown) => void unhandled.push(`uncaughtException: ${String((err as Error)?.stack ?? err).slice(0, 300)}`)
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)
  try {
    const value = await f()
    await Bun.sleep(20) // let late rejections surface
    return { value, unhandled }
  } finally {
    process.off('unhandledRejection', onRejection)
    process.off('uncaughtException', onException)
  }
}
