/**
 * Child processes of a load run (mock, gateway, pass-through, peers): spawn
 * them pinned to a CPU, wait until they are ready, read their memory from
 * /proc, stop them. Each child's stdout and stderr go to files in the run's
 * log directory, so a chatty child writes to disk as it would in production
 * and never blocks on a full pipe.
 */
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

/** What to start and how to know it is ready. */
export interface ServiceSpec {
  name: string
  cmd: string[]
  env?: Record<string, string>
  /** CPU to pin to with `taskset -c` (ignored when pinning is off). */
  cpu?: number
  /** Directory for `<name>.out.log` and `<name>.err.log`. */
  logDir: string
  /** Ready when stdout matches this (group 1 is the URL), or when `readyUrl` answers any status. */
  readyLog?: RegExp
  readyUrl?: string
  /** Default 15 s. */
  timeoutMs?: number
}

/** A started child. */
export interface Service {
  name: string
  pid: number
  url: string
  /** Current and peak resident memory in MiB, from /proc/<pid>/status (VmRSS, VmHWM). */
  memory(): { rssMb: number; peakMb: number } | undefined
  stop(): Promise<void>
}

/** The child exited before it was ready; `firstLine` is the first line it wrote on stderr. */
export class StartupError extends Error {
  constructor(readonly service: string, readonly exitCode: number | null, readonly firstLine: string) {
    super(`${service} did not start (exit ${exitCode}): ${firstLine}`)
  }
}

/** True when CPUs can be pinned: util-linux `taskset` exists and there are at least 2 CPUs. */
export function canPin(): boolean {
  return Bun.which('taskset') !== null && navigator.hardwareConcurrency >= 2
}

/** Pins this process and its threads to `cpu` (children inherit it). */
export function pinSelf(cpu: number): void {
  Bun.spawnSync(['taskset', '-a', '-cp', String(cpu), String(process.pid)], { stdout: 'ignore', stderr: 'ignore' })
}

/** Parses VmRSS and VmHWM (kB) out of a /proc/<pid>/status text, in MiB. */
export function parseProcStatus(text: string): { rssMb: number; peakMb: number } | undefined {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN)
  const rss = kb('VmRSS')
  if (Number.isNaN(rss)) return undefined
  return { rssMb: rss / 1024, peakMb: kb('VmHWM') / 1024 }
}

const sleep = (ms: number) => Bun.sleep(ms)

/** Spawns a service and resolves once it is ready; throws StartupError if it exits first. */
export async function startService(spec: ServiceSpec, pin: boolean): Promise<Service> {
  const out = join(spec.logDir, `${spec.name}.out.log`)
  const err = join(spec.logDir, `${spec.name}.err.log`)
  // A log left by an earlier run in the same directory would show a stale URL.
  for (const f of [out, err]) rmSync(f, { force: true })
  const cmd = pin && spec.cpu !== undefined ? ['taskset', '-c', String(spec.cpu), ...spec.cmd] : spec.cmd
  const proc = Bun.spawn(cmd, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...spec.env },
    stdin: 'ignore',
    stdout: Bun.file(out),
    stderr: Bun.file(err),
  })
  let exited = false
  void proc.exited.then(() => (exited = true))
  const deadline = Date.now() + (spec.timeoutMs ?? 15_000)
  let url: string | undefined
  while (url === undefined) {
    if (exited) {
      const text = await Bun.file(err).text().catch(() => '')
      const first = text.split('\n').find((l) => l.trim() !== '') ?? '(no stderr output)'
      throw new StartupError(spec.name, proc.exitCode, first.trim())
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new StartupError(spec.name, null, `not ready after ${spec.timeoutMs ?? 15_000} ms (see ${out})`)
    }
    url = spec.readyLog ? await matchLog(out, spec.readyLog) : await probe(spec.readyUrl!)
    if (url === undefined) await sleep(25)
  }
  const stop = async () => {
    if (exited) return
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000)
    await proc.exited
    clearTimeout(timer)
  }
  const memory = () => {
    try {
      return parseProcStatus(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))
    } catch {
      return undefined
    }
  }
  return { name: spec.name, pid: proc.pid, url, memory, stop }
}

async function matchLog(path: string, re: RegExp): Promise<string | undefined> {
  const text = await Bun.file(path).text().catch(() => '')
  return re.exec(text)?.[1]
}

async function probe(url: string): Promise<string | undefined> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) })
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** Samples a service's memory every `everyMs` and keeps the largest VmRSS and VmHWM seen. */
export function watchMemory(service: Service, everyMs = 100): { stop(): { rssPeakMb: number; hwmMb: number } } {
  let rssPeak = 0
  let hwm = 0
  const sample = () => {
    const m = service.memory()
    if (m) {
      rssPeak = Math.max(rssPeak, m.rssMb)
      hwm = Math.max(hwm, m.peakMb)
    }
  }
  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return { rssPeakMb: rssPeak, hwmMb: hwm }
    },
  }
}
