/**
 * The `Telemetry` implementation: Prometheus series (prefix `llmgw_`, base
 * units) and, when a tracer is given, one span tree per request. Labels are
 * low-cardinality by construction: names from config and the closed error
 * vocabulary, with model, key-alias and deployment values capped (the value
 * past the cap is reported as `other`). Nothing here sees content or keys.
 */
import type { Usage } from '../openai/types.ts'
import { EXPOSITION_CONTENT_TYPE, Registry, type Sample } from './prometheus.ts'
import type { RequestEnd, RequestStart, RequestTelemetry, SpanHandle, Telemetry } from './telemetry.ts'
import { SpanKind, type Span, type Tracer } from './tracing.ts'

/** Content type of `Telemetry.render()`. */
export const METRICS_CONTENT_TYPE = EXPOSITION_CONTENT_TYPE

export interface TelemetryOptions {
  /** Spans are exported through it when given. */
  tracer?: Tracer
  /** Monotonic milliseconds. Default `performance.now()`. */
  now?: () => number
  /** Distinct values kept per capped label (model, key_alias, deployment, provider, error_type, route). Default 200. */
  labelLimit?: number
}

/** Seconds; request and first-token latencies of LLM calls run from ~50 ms to minutes. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300]
/** Seconds; the gateway's own time, fine-grained below 10 ms. */
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]

/** Keeps the first `limit` distinct values; any later new value becomes `other`. */
function labelCap(limit: number): (v: string) => string {
  const seen = new Set<string>()
  return (v) => {
    if (seen.has(v)) return v
    if (seen.size >= limit) return 'other'
    seen.add(v)
    return v
  }
}

const statusClass = (status: number) => (status >= 500 ? '5xx' : status >= 400 ? '4xx' : '2xx')

/** Builds the metrics registry and the pipeline's telemetry hooks. */
export function createTelemetry(opts: TelemetryOptions = {}): Telemetry {
  const now = opts.now ?? (() => performance.now())
  const tracer = opts.tracer
  const limit = opts.labelLimit ?? 200
  const cap = { model: labelCap(limit), key: labelCap(limit), deployment: labelCap(limit), provider: labelCap(limit), error: labelCap(limit), route: labelCap(limit) }
  const reg = new Registry('llmgw_')
  const m = metricsOf(reg)
  const shared: Shared = { m, cap, now, tracer, gauges: { inFlight: 0, openStreams: 0 } }
  reg.callback('in_flight_requests', 'Requests started and not yet finished.', () => [{ labels: {}, value: shared.gauges.inFlight }])
  reg.callback('open_streams', 'Streaming requests started and not yet finished.', () => [{ labels: {}, value: shared.gauges.openStreams }])
  if (tracer) {
    reg.callback('trace_spans_dropped_total', 'Spans not exported: queue full, export failed or tracer closed.', () => [{ labels: {}, value: tracer.stats().dropped }])
  }
  const startRequest = (r: RequestStart): RequestTelemetry => new RequestRecorder(shared, r)

  return {
    startRequest,
    cooldown: (info) => m.cooldowns.inc([cap.deployment(info.deployment)]),
    rateLimitRejected: (info) => m.rateLimits.inc([info.scope, info.kind]),
    registerGauge: (name: string, help: string, read: () => Sample[]) => reg.callback(name, help, read),
    render: async () => reg.render(),
    close: async () => {
      await tracer?.close()
    },
  }
}

type Metrics = ReturnType<typeof metricsOf>
type Caps = Record<'model' | 'key' | 'deployment' | 'provider' | 'error' | 'route', (v: string) => string>

/** What every request's recorder shares. */
interface Shared {
  m: Metrics
  cap: Caps
  now: () => number
  tracer: Tracer | undefined
  gauges: { inFlight: number; openStreams: number }
}

const NO_SPAN: SpanHandle = { end() {} }
const spanHandle = (span: Span | undefined): SpanHandle => (span ? { end: (e) => span.end(e) } : NO_SPAN)

/** One request's hooks: a class, so a request costs one object rather than a closure per hook. */
class RequestRecorder implements RequestTelemetry {
  readonly #started: number
  readonly #model: string
  readonly #root: Span | undefined
  #firstTokenSeen = false
  #ended = false

  constructor(private readonly sh: Shared, private readonly r: RequestStart) {
    this.#started = sh.now()
    this.#model = sh.cap.model(r.model)
    sh.gauges.inFlight++
    if (r.stream) sh.gauges.openStreams++
    this.#root = sh.tracer?.startSpan(r.route, undefined, {
      'llmgw.request_id': r.requestId,
      'gen_ai.request.model': r.model,
      'llmgw.stream': r.stream,
      'llmgw.key_alias': r.keyAlias,
    }, SpanKind.SERVER)
  }

  providerCall(info: { provider: string; deployment: string; attempt: number }): SpanHandle {
    const root = this.#root
    return spanHandle(root && this.sh.tracer?.startSpan('provider.call', root.context, {
      'gen_ai.provider.name': info.provider,
      'llmgw.deployment': info.deployment,
      'llmgw.attempt': info.attempt,
    }, SpanKind.CLIENT))
  }

  guardrailStage(stage: string): SpanHandle {
    const root = this.#root
    return spanHandle(root && this.sh.tracer?.startSpan(`guardrail.${stage}`, root.context))
  }

  firstToken(): void {
    if (this.#firstTokenSeen || this.#ended) return
    this.#firstTokenSeen = true
    if (this.r.stream) this.sh.m.ttft.observe([this.#model], (this.sh.now() - this.#started) / 1000)
  }

  retry(info: { deployment: string }): void {
    this.sh.m.retries.inc([this.sh.cap.deployment(info.deployment)])
  }

  fallback(info: { from: string; to: string }): void {
    this.sh.m.fallbacks.inc([this.sh.cap.model(info.from), this.sh.cap.model(info.to)])
  }

  upstreamError(info: { provider: string; errorType: string }): void {
    this.sh.m.upstreamErrors.inc([this.sh.cap.provider(info.provider), this.sh.cap.error(info.errorType)])
  }

  overhead(ms: number): void {
    this.sh.m.overhead.observe([], ms / 1000)
  }

  end(e: RequestEnd): void {
    if (this.#ended) return
    this.#ended = true
    const { m, cap, gauges } = this.sh
    const r = this.r
    gauges.inFlight--
    if (r.stream) gauges.openStreams--
    const stream = r.stream ? 'true' : 'false'
    const errorType = e.errorType ? cap.error(e.errorType) : 'none'
    m.requests.inc([this.#model, cap.route(r.route), stream, statusClass(e.status), errorType])
    m.duration.observe([this.#model, stream], (this.sh.now() - this.#started) / 1000)
    const answered = e.modelUsed ? cap.model(e.modelUsed) : this.#model
    addTokens(m, answered, e.usage)
    if (e.cost !== undefined && e.cost > 0) m.cost.inc([answered, cap.key(r.keyAlias)], e.cost)
    const root = this.#root
    if (!root) return
    root.setAttribute('http.response.status_code', e.status)
    root.setAttribute('error.type', e.errorType)
    root.setAttribute('gen_ai.response.model', e.modelUsed)
    root.setAttribute('gen_ai.usage.input_tokens', e.usage?.prompt_tokens)
    root.setAttribute('gen_ai.usage.output_tokens', e.usage?.completion_tokens)
    root.setAttribute('llmgw.cost_usd', e.cost)
    if (e.clientAborted) root.setAttribute('llmgw.client_aborted', true)
    root.end(e.errorType ? { errorType: e.errorType } : undefined)
  }
}

function addTokens(m: Metrics, model: string, usage: Usage | undefined): void {
  if (!usage) return
  m.tokens.inc([model, 'prompt'], usage.prompt_tokens)
  m.tokens.inc([model, 'completion'], usage.completion_tokens)
  const cached = usage.prompt_tokens_details?.cached_tokens
  if (cached) m.tokens.inc([model, 'cached'], cached)
}

/** The registry's series. */
function metricsOf(reg: Registry) {
  return {
    requests: reg.counter('requests_total', 'Requests answered, by route, public model, stream, status class and error type (none on success).', ['model', 'route', 'stream', 'status_class', 'error_type']),
    duration: reg.histogram('request_duration_seconds', 'Time from request start to the end of the response or stream.', ['model', 'stream'], LATENCY_BUCKETS),
    ttft: reg.histogram('time_to_first_token_seconds', 'Streams: time from request start to the first content chunk sent to the client.', ['model'], LATENCY_BUCKETS),
    overhead: reg.histogram('overhead_duration_seconds', "The gateway's own time per request (total minus provider wait).", [], OVERHEAD_BUCKETS),
    tokens: reg.counter('tokens_total', 'Tokens reported by providers, by the model that answered and type (prompt, completion, cached).', ['model', 'type']),
    cost: reg.counter('cost_usd_total', 'Spend in US dollars, by the model that answered and key alias.', ['model', 'key_alias']),
    upstreamErrors: reg.counter('upstream_errors_total', 'Failed provider calls, by provider and error type.', ['provider', 'error_type']),
    retries: reg.counter('retries_total', 'Provider call retries, by deployment.', ['deployment']),
    fallbacks: reg.counter('fallbacks_total', 'Fallbacks from one model group to another.', ['from', 'to']),
    cooldowns: reg.counter('cooldowns_total', 'Times a deployment entered cooldown.', ['deployment']),
    rateLimits: reg.counter('rate_limit_rejections_total', "Requests rejected by the gateway's own rate limits, by scope and kind.", ['scope', 'kind']),
  }
}
