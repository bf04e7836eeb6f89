/**
 * Runs the selected suites against an endpoint and returns a `Report`. It
 * never throws: a check that throws fails with its reason, one that outlives
 * its timeout fails as timed out, and an unreachable endpoint is a single
 * failed "endpoint reachable" check rather than a stack trace.
 */
import { CheckFailed } from './check.ts'
import { DEFAULT_POLICY } from './guardrail-policy.ts'
import { describeAnswer, describeNetworkError, fetchAnswer, isRecord, normalizeBase, type Endpoint } from './http.ts'
import type { SuiteBuilder, SuiteContext } from './suites/context.ts'
import { guardrailsSuite } from './suites/guardrails.ts'
import { healthSuite } from './suites/health.ts'
import { modelsSuite } from './suites/models.ts'
import { productionSuite } from './suites/production.ts'
import { SUITE_NAMES, type Check, type CheckResult, type HarnessOptions, type Report, type SuiteName, type SuiteReport } from './types.ts'

const BUILDERS: Record<SuiteName, SuiteBuilder> = {
  health: healthSuite,
  models: modelsSuite,
  guardrails: guardrailsSuite,
  production: productionSuite,
}

/** Per-check timeout when none is given: generous, real models can be slow. */
export const DEFAULT_TIMEOUT_MS = 60_000
/** Body size for the oversize check when none is given (our gateway's default limit is 1 MiB). */
export const DEFAULT_OVERSIZE_BYTES = 2 * 1024 * 1024

/** Runs the harness. Resolves with the report whatever happens to the endpoint. */
export async function runHarness(opts: HarnessOptions): Promise<Report> {
  const startedAt = new Date().toISOString()
  const t0 = performance.now()
  const ep: Endpoint = { base: normalizeBase(opts.endpoint), key: opts.key }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const suites: SuiteReport[] = []
  let models: string[] = opts.models ?? []

  const discovery = await discover(ep, timeoutMs)
  if ('unreachable' in discovery) {
    const check: Check = { id: 'connectivity/endpoint-reachable', name: 'Endpoint reachable', run: async () => ({ status: 'fail', reason: discovery.unreachable }) }
    suites.push(await runSuite('connectivity', [check], timeoutMs))
  } else {
    if (opts.models === undefined) models = discovery.models ?? []
    const ctx: SuiteContext = {
      ep,
      models,
      ...(opts.models !== undefined ? { expectedModels: opts.models } : {}),
      ...(models.length === 0 ? { discoveryError: discovery.error ?? 'GET /v1/models listed no models' } : {}),
      guardrailModels: opts.guardrailModels ?? models,
      policy: opts.policy ?? DEFAULT_POLICY,
      oversizeBytes: opts.oversizeBytes ?? DEFAULT_OVERSIZE_BYTES,
      timeoutMs,
      ...(opts.tlsCa !== undefined ? { tlsCa: opts.tlsCa } : {}),
    }
    for (const name of SUITE_NAMES) {
      if (opts.suites && !opts.suites.includes(name)) continue
      suites.push(await runSuite(name, buildChecks(name, ctx), timeoutMs))
    }
  }
  return assemble({ endpoint: ep.base, startedAt, durationMs: Math.round(performance.now() - t0), models, suites })
}

/** Runs checks one after another, each bounded by `timeoutMs`. */
export async function runSuite(name: string, checks: Check[], timeoutMs: number): Promise<SuiteReport> {
  const t0 = performance.now()
  const results: CheckResult[] = []
  for (const check of checks) results.push(await runCheck(name, check, timeoutMs))
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length
  return { name, checks: results, passed: count('pass'), failed: count('fail'), skipped: count('skip'), durationMs: Math.round(performance.now() - t0) }
}

/** Runs one check; never rejects. A check that ignores its abort signal is abandoned at the deadline. */
export async function runCheck(suite: string, check: Check, timeoutMs: number): Promise<CheckResult> {
  const t0 = performance.now()
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new DOMException(`timed out after ${timeoutMs / 1000} s`, 'TimeoutError')
      controller.abort(err)
      reject(err)
    }, timeoutMs)
  })
  const base = { id: check.id, suite, name: check.name, ...(check.group !== undefined ? { group: check.group } : {}) }
  const running = Promise.resolve().then(() => check.run(controller.signal))
  running.catch(() => {}) // an abandoned check's late rejection is already accounted for
  try {
    const outcome = (await Promise.race([running, deadline])) ?? { status: 'pass' as const }
    return { ...base, ...outcome, durationMs: Math.round(performance.now() - t0) }
  } catch (err) {
    const reason = controller.signal.aborted ? `timed out after ${timeoutMs / 1000} s` : reasonOf(err)
    const metrics = err instanceof CheckFailed && err.metrics ? { metrics: err.metrics } : {}
    return { ...base, status: 'fail', reason, ...metrics, durationMs: Math.round(performance.now() - t0) }
  } finally {
    clearTimeout(timer)
  }
}

function buildChecks(name: SuiteName, ctx: SuiteContext): Check[] {
  try {
    return BUILDERS[name](ctx)
  } catch (err) {
    return [{ id: `${name}/setup`, name: `Suite ${name} set up`, run: async () => ({ status: 'fail', reason: reasonOf(err) }) }]
  }
}

type Discovery = { unreachable: string } | { models?: string[]; error?: string }

/** `GET /v1/models`: proves the endpoint answers and lists the models to test. */
async function discover(ep: Endpoint, timeoutMs: number): Promise<Discovery> {
  const url = `${ep.base}/v1/models`
  try {
    const answer = await fetchAnswer(ep, '/v1/models', { signal: AbortSignal.timeout(timeoutMs) })
    const data = isRecord(answer.json) && Array.isArray(answer.json.data) ? answer.json.data : undefined
    if (answer.status !== 200 || data === undefined) return { error: `GET /v1/models answered ${describeAnswer(answer)}` }
    return { models: data.flatMap((m) => (isRecord(m) && typeof m.id === 'string' ? [m.id] : [])) }
  } catch (err) {
    return { unreachable: describeNetworkError(err, url) }
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof CheckFailed) return err.reason
  if (err instanceof TypeError && typeof (err as { code?: unknown }).code === 'string') return describeNetworkError(err, 'the endpoint')
  if (err instanceof Error) return `${err.name}: ${err.message}`
  return String(err)
}

/** Totals a report from its suites. */
export function assemble(parts: Omit<Report, 'summary' | 'ok'>): Report {
  const passed = parts.suites.reduce((n, s) => n + s.passed, 0)
  const failed = parts.suites.reduce((n, s) => n + s.failed, 0)
  const skipped = parts.suites.reduce((n, s) => n + s.skipped, 0)
  return { ...parts, summary: { passed, failed, skipped, total: passed + failed + skipped }, ok: failed === 0 }
}
