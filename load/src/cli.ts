/** Command-line flags of `bun run load`. Pure: argv in, options out. */
import { parseArgs } from 'node:util'
import { DEFAULT_TOLERANCE, type Tolerance } from './baseline.ts'

/** The help text (`--help`, and after a usage error). */
export const USAGE = `Usage: bun run load [options]

  --scenario NAME[,NAME]  scenarios to run (repeatable; default: all). --list shows them.
  --target NAME=URL       another OpenAI-compatible endpoint (base URL ending in /v1) to compare (repeatable)
  --targets FILE          JSON array of targets (name, url, headers, command, env, readyUrl), e.g. from make load-peers
  --duration S            seconds per target per round (default 10)
  --rounds N              interleaved rounds; figures are medians of round medians (default 3)
  --warmup S              seconds of unrecorded load per target first (default 15)
  --connections N         override every scenario's connections / in-flight cap / open-stream cap
  --rate RPS              override every scenario's rate; 0 = saturating
  --out DIR               where results.json, report.md, latency.svg and logs/ go (default load/results/<time>)
  --baseline FILE         compare with a stored results.json; exit 1 on a regression
  --tolerance F           allowed relative regression (default ${DEFAULT_TOLERANCE.relative})
  --tolerance-ms MS       extra slack for millisecond figures (default ${DEFAULT_TOLERANCE.absoluteMs})
  --gateway-env K=V       extra environment for the gateway process (repeatable)
  --mock-port N           fixed port for the mock (peers with a fixed config need it; default any)
  --no-pin                do not pin CPUs with taskset
  --list                  list the scenarios and exit
  -h, --help              this text`

/** Parsed options. */
export interface CliOptions {
  scenarios: string[]
  targets: string[]
  targetsFile?: string
  durationS: number
  rounds: number
  warmupS: number
  connections?: number
  rate?: number
  out?: string
  baseline?: string
  tolerance: Tolerance
  mockPort: number
  /** Extra gateway environment from --gateway-env. */
  gatewayEnv: Record<string, string>
  pin: boolean
  list: boolean
  help: boolean
}

/** Thrown for bad flags; the message is for the user. */
export class UsageError extends Error {}

function num(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} expects a number >= ${min}, got "${v}"`)
  return n
}

/** Parses argv (without the runtime and script). */
export function parseCli(argv: string[]): CliOptions {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        scenario: { type: 'string', multiple: true },
        target: { type: 'string', multiple: true },
        targets: { type: 'string' },
        duration: { type: 'string' },
        rounds: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        rate: { type: 'string' },
        out: { type: 'string' },
        baseline: { type: 'string' },
        tolerance: { type: 'string' },
        'tolerance-ms': { type: 'string' },
        'mock-port': { type: 'string' },
        'gateway-env': { type: 'string', multiple: true },
        'no-pin': { type: 'boolean' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const connections = num('connections', values.connections, 1)
  const rate = num('rate', values.rate, 0)
  return {
    scenarios: (values.scenario ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean),
    targets: values.target ?? [],
    ...(values.targets ? { targetsFile: values.targets } : {}),
    durationS: num('duration', values.duration, 1) ?? 10,
    rounds: Math.round(num('rounds', values.rounds, 1) ?? 3),
    warmupS: num('warmup', values.warmup, 0) ?? 15,
    ...(connections !== undefined ? { connections: Math.round(connections) } : {}),
    ...(rate !== undefined ? { rate } : {}),
    ...(values.out ? { out: values.out } : {}),
    ...(values.baseline ? { baseline: values.baseline } : {}),
    tolerance: {
      ...DEFAULT_TOLERANCE,
      relative: num('tolerance', values.tolerance, 0) ?? DEFAULT_TOLERANCE.relative,
      absoluteMs: num('tolerance-ms', values['tolerance-ms'], 0) ?? DEFAULT_TOLERANCE.absoluteMs,
    },
    mockPort: Math.round(num('mock-port', values['mock-port'], 0) ?? 0),
    gatewayEnv: parseEnvFlags(values['gateway-env'] ?? []),
    pin: !values['no-pin'],
    list: values.list ?? false,
    help: values.help ?? false,
  }
}

/** Parses `KEY=VALUE` flags into a record. */
export function parseEnvFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of flags) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(f)
    if (!m) throw new UsageError(`--gateway-env expects KEY=VALUE, got "${f}"`)
    out[m[1]!] = m[2]!
  }
  return out
}
