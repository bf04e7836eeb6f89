/**
 * Where a request goes, and where it goes next when that fails before
 * anything reached the client: the model group's deployments in router order;
 * up to `num_retries` extra attempts (each on the next deployment, with
 * backoff, within the retry budget and the request deadline); then the
 * fallback model groups the failure calls for (`fallbacks`,
 * `context_window_fallbacks`, `content_policy_fallbacks`), each the same way.
 * Every attempt is admitted against its deployment's own limits, timed for
 * latency routing, and counted towards cooldown when the provider failed.
 */
import { GatewayError } from '../errors/gateway-error.ts'
import { toGatewayError } from '../errors/envelope.ts'
import type { RequestTelemetry } from '../observability/telemetry.ts'
import type { ChatRequest } from '../openai/types.ts'
import { fitToProvider } from '../providers/params.ts'
import type { Deployment, Provider } from '../providers/types.ts'
import { kindOf } from '../routing/fallbacks.ts'
import type { GatewayServices } from '../services.ts'
import type { Accounting } from './accounting.ts'
import { mayRetry, retryDelay, sleep } from './retry.ts'
import { newAttempt, numRetries, timeoutMsFor, type Attempt } from './run.ts'

export interface Target {
  deployment: Deployment
  provider: Provider
  /** The request fitted to this deployment's provider. */
  request: ChatRequest
  dropped: string[]
  dropParams: boolean
}

export interface FailoverOptions {
  s: GatewayServices
  model: string
  /** The request after the input guardrails, before fitting to a provider. */
  request: ChatRequest
  accounting: Accounting
  /** Aborted by the client leaving, the deadline, or a during_call flag. */
  whole: AbortSignal
  deadline: number
  requestId: string
  tel: RequestTelemetry
  /** Adds the time one attempt spent waiting for the provider. */
  onProviderTime: (ms: number) => void
  /** Takes the winning attempt's `end`, called when the request is over (a stream outlives failover). */
  adopt: (end: () => void) => void
}

/** Fits the request to a deployment: its default max_tokens, its drop_params, its provider's parameters. */
export function fitTarget(s: GatewayServices, d: Deployment, req: ChatRequest): Target {
  const provider = s.providers[d.provider]
  const withDefaults = req.max_tokens === undefined && typeof d.params.max_tokens === 'number' ? { ...req, max_tokens: d.params.max_tokens } : req
  const dropParams = typeof d.params.drop_params === 'boolean' ? d.params.drop_params : s.config.settings.dropParams
  const { request, dropped } = fitToProvider(withDefaults, provider, dropParams)
  return { deployment: d, provider, request, dropped, dropParams }
}

export async function failover<T>(o: FailoverOptions, call: (t: Target, a: Attempt) => Promise<T>): Promise<{ value: T; target: Target }> {
  const { s } = o
  const groups = [o.model]
  let lastErr: GatewayError | undefined
  for (let g = 0; g < groups.length; g++) {
    const model = groups[g]!
    if (g > 0) o.tel.fallback({ from: groups[g - 1]!, to: model, reason: lastErr?.code ?? 'error' })
    let candidates: Deployment[]
    try {
      candidates = s.router.candidates(model)
    } catch (err) {
      lastErr = toGatewayError(err)
      if (g === 0 && kindOf(lastErr) === undefined) throw lastErr
      addFallbacks(s, groups, model, lastErr)
      continue
    }
    const retries = numRetries(candidates[0]!, s.config.settings.numRetries)
    for (let attempt = 0; ; attempt++) {
      const d = candidates[attempt % candidates.length]!
      let target: Target
      try {
        target = fitTarget(s, d, o.request)
        await o.accounting.admitDeployment(d)
      } catch (err) {
        lastErr = toGatewayError(err)
        if (g === 0 && candidates.length === 1 && lastErr.code !== 'rate_limited_deployment') throw lastErr
        if (attempt + 1 < candidates.length) continue
        addFallbacks(s, groups, model, lastErr)
        break
      }
      const a = newAttempt(o.whole, d, o.requestId, target.dropParams, timeoutMsFor(d, o.request))
      const span = o.tel.providerCall({ provider: d.provider, deployment: d.id, attempt })
      s.router.health.started(d.id)
      const t0 = performance.now()
      try {
        const value = await call(target, a)
        const ms = performance.now() - t0
        o.onProviderTime(ms)
        s.router.health.finished(d.id, { latencyMs: ms })
        span.end()
        o.adopt(a.end)
        return { value, target }
      } catch (err) {
        a.end()
        o.onProviderTime(performance.now() - t0)
        const ge = o.whole.aborted && o.whole.reason instanceof GatewayError ? o.whole.reason : toGatewayError(err)
        s.router.health.finished(d.id, { failed: ge.domain === 'provider' && ge.status !== 400 })
        span.end({ errorType: ge.errorType })
        if (o.whole.aborted) throw ge
        if (ge.domain === 'provider') o.tel.upstreamError({ provider: d.provider, errorType: ge.errorType })
        lastErr = ge
        if (mayRetry(ge, attempt, retries, s.config.settings.retryPolicy) && (await backoff(o, ge, attempt, d))) continue
        addFallbacks(s, groups, model, ge)
        break
      }
    }
  }
  lastErr ??= new GatewayError({ status: 503, type: 'service_unavailable_error', code: 'no_deployment', message: 'No deployment could serve the request.', domain: 'gateway' })
  lastErr.headers['x-should-retry'] = 'false'
  throw lastErr
}

/** Waits before the next attempt if the budget and the deadline allow; false when no retry may happen. */
async function backoff(o: FailoverOptions, err: GatewayError, attempt: number, d: Deployment): Promise<boolean> {
  const delay = retryDelay(err, attempt)
  if (delay === undefined || Date.now() + delay >= o.deadline) return false
  if (!o.s.retryBudget.tryRetry()) return false
  try {
    o.tel.retry({ deployment: d.id, errorType: err.errorType })
    o.s.log.info('retry', { request_id: o.requestId, deployment: d.id, attempt: attempt + 1, error_type: err.errorType, delay_ms: delay })
    await sleep(delay, o.whole)
    return true
  } finally {
    o.s.retryBudget.retryEnded()
  }
}

function addFallbacks(s: GatewayServices, groups: string[], model: string, err: GatewayError): void {
  for (const m of s.fallbacks.after(model, err).models) if (!groups.includes(m)) groups.push(m)
}
