/**
 * Command-line parsing (pure): flags and environment into harness options,
 * or a usage error the CLI reports with exit code 2.
 */
import { parseArgs } from 'node:util'
import { normalizeBase } from './http.ts'
import { REPORT_FORMATS, type ReportFormat } from './report.ts'
import { DEFAULT_OVERSIZE_BYTES, DEFAULT_TIMEOUT_MS } from './runner.ts'
import { SUITE_NAMES, type SuiteName } from './types.ts'

export const DEFAULT_ENDPOINT = 'http://localhost:4000'

/** Parsed command line: options for `runHarness` plus how to report. */
export interface CliOptions {
  endpoint: string
  key: string
  suites: SuiteName[]
  models?: string[]
  guardrailModels?: string[]
  guardrailPolicy?: string
  timeoutMs: number
  oversizeBytes: number
  report: ReportFormat
  out?: string
}

export type Parsed = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'usage-error'; message: string }

export const HELP = `Usage: bun run harness [options]

Runs conformance checks against an OpenAI-compatible LLM gateway (llm-gateway,
LiteLLM, …) and prints a verdict per check.

Options:
  --endpoint URL             Base URL of the gateway; a trailing /v1 is ignored.
                             Env ENDPOINT; default ${DEFAULT_ENDPOINT}.
  --key KEY                  API key, sent as "Authorization: Bearer KEY".
                             Env LITELLM_MASTER_KEY. Required.
  --suite LIST               Comma-separated suites: health, models, guardrails,
                             production, or all (default: all).
  --models LIST              Models to test (default: every model GET /v1/models
                             lists). Given models must also be listed there.
  --guardrail-models LIST    Models for the guardrail suite (default: the tested models).
  --guardrail-policy FILE    JSON or YAML: blocked words, the six prompts and the
                             expected action of each (see README, "Conformance harness").
  --timeout SECONDS          Per-check timeout (default ${DEFAULT_TIMEOUT_MS / 1000}).
  --oversize-mb N            Body size for the 413 check (default ${DEFAULT_OVERSIZE_BYTES / 1024 / 1024});
                             set it above the gateway's request size limit.
  --report table|json|junit  Output format (default table).
  --out FILE                 Write the report to FILE; the table still goes to stdout.
  -h, --help                 Show this help.

Suites:
  health       liveliness and readiness endpoints answer (skipped when absent);
               /v1/models lists the expected models.
  models       each model answers a short prompt with and without streaming:
               response shape, SSE framing, [DONE], latency, time to first token, usage.
  guardrails   per guardrail model: direct mention blocked, history bypass prevented,
               normal conversation works, output blocked, output blocked while
               streaming, indirect bypass blocked.
  production   no key / wrong key → 401, unknown model → 4xx, malformed JSON → 400,
               oversize body → 413 (all with error envelopes), no stack traces or
               secrets in errors, stream framing, TLS 1.2+ and a valid certificate
               (https only), no version numbers in server banners.

Exit codes: 0 every selected check passed (skips allowed), 1 a check failed
or the endpoint is unreachable, 2 usage error.
`

/** Parses `argv` (without the program name) with `env` fallbacks. */
export function parseCli(argv: string[], env: Record<string, string | undefined>): Parsed {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        endpoint: { type: 'string' },
        key: { type: 'string' },
        suite: { type: 'string' },
        models: { type: 'string' },
        'guardrail-models': { type: 'string' },
        'guardrail-policy': { type: 'string' },
        timeout: { type: 'string' },
        'oversize-mb': { type: 'string' },
        report: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (err) {
    return usage(err instanceof Error ? err.message : String(err))
  }
  if (values.help) return { kind: 'help' }
  const str = (name: string) => values[name] as string | undefined

  const endpoint = normalizeBase(str('endpoint') ?? env.ENDPOINT ?? DEFAULT_ENDPOINT)
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    return usage(`--endpoint: "${endpoint}" is not a URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return usage(`--endpoint: expected an http:// or https:// URL, got "${endpoint}"`)

  const key = str('key') ?? env.LITELLM_MASTER_KEY
  if (key === undefined || key === '') return usage('no API key: pass --key or set LITELLM_MASTER_KEY')

  const suiteList = list(str('suite') ?? 'all')
  if (suiteList === undefined) return usage('--suite: expected a comma-separated list')
  const unknown = suiteList.filter((s) => s !== 'all' && !(SUITE_NAMES as readonly string[]).includes(s))
  if (unknown.length > 0) return usage(`--suite: unknown suite ${unknown.join(', ')} (known: ${SUITE_NAMES.join(', ')}, all)`)
  const suites = suiteList.includes('all') ? [...SUITE_NAMES] : SUITE_NAMES.filter((s) => suiteList.includes(s))

  const options: CliOptions = { endpoint, key, suites, timeoutMs: DEFAULT_TIMEOUT_MS, oversizeBytes: DEFAULT_OVERSIZE_BYTES, report: 'table' }
  for (const [flag, field] of [['models', 'models'], ['guardrail-models', 'guardrailModels']] as const) {
    const raw = str(flag)
    if (raw === undefined) continue
    const names = list(raw)
    if (names === undefined) return usage(`--${flag}: expected a comma-separated list of model names`)
    options[field] = names
  }
  const policy = str('guardrail-policy')
  if (policy !== undefined) options.guardrailPolicy = policy

  const timeout = positive(str('timeout'))
  if (timeout === null) return usage('--timeout: expected a positive number of seconds')
  if (timeout !== undefined) options.timeoutMs = Math.round(timeout * 1000)
  const oversize = positive(str('oversize-mb'))
  if (oversize === null) return usage('--oversize-mb: expected a positive number of MiB')
  if (oversize !== undefined) options.oversizeBytes = Math.round(oversize * 1024 * 1024)

  const report = str('report') ?? 'table'
  if (!(REPORT_FORMATS as readonly string[]).includes(report)) return usage(`--report: expected one of ${REPORT_FORMATS.join(', ')}`)
  options.report = report as ReportFormat
  const out = str('out')
  if (out !== undefined) {
    if (out === '') return usage('--out: expected a file path')
    options.out = out
  }
  return { kind: 'run', options }
}

function usage(message: string): Parsed {
  return { kind: 'usage-error', message }
}

/** "a, b,c" → ["a","b","c"]; `undefined` when empty. */
function list(raw: string): string[] | undefined {
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '')
  return items.length > 0 ? items : undefined
}

/** `undefined` when absent, `null` when not a positive finite number. */
function positive(raw: string | undefined): number | undefined | null {
  if (raw === undefined) return undefined
  const n = Number(raw)
  return raw.trim() !== '' && Number.isFinite(n) && n > 0 ? n : null
}
