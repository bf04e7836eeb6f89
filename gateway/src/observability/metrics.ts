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
  const m = {
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
  let inFlight = 0
  let openStreams = 0
  reg.callback('in_flight_requests', 'Requests started and not yet finished.', () => [{ labels: {}, value: inFlight }])
  reg.callback('open_streams', 'Streaming requests started and not yet finished.', () => [{ labels: {}, value: openStreams }])
  if (tracer) {
    reg.callback('trace_spans_dropped_total', 'Spans not exported: queue full, export failed or tracer closed.', () => [{ labels: {}, value: tracer.stats().dropped }])
  }

  const spanHandle = (span: Span | undefined): SpanHandle => (span ? { end: (e) => span.end(e) } : { end() {} })

  const addTokens = (model: string, usage: Usage | undefined) => {
    if (!usage) return
    m.tokens.inc([model, 'prompt'], usage.prompt_tokens)
    m.tokens.inc([model, 'completion'], usage.completion_tokens)
    const cached = usage.prompt_tokens_details?.cached_tokens
    if (cached) m.tokens.inc([model, 'cached'], cached)
  }

  const startRequest = (r: RequestStart): RequestTelemetry => {
    const started = now()
    const model = cap.model(r.model)
    const stream = String(r.stream)
    let firstTokenSeen = false
    let ended = false
    inFlight++
    if (r.stream) openStreams++
    const root = tracer?.startSpan(r.route, undefined, {
      'llmgw.request_id': r.requestId,
      'gen_ai.request.model': r.model,
      'llmgw.stream': r.stream,
      'llmgw.key_alias': r.keyAlias,
    }, SpanKind.SERVER)

    return {
      providerCall: (info) =>
        spanHandle(root && tracer?.startSpan('provider.call', root.context, {
          'gen_ai.provider.name': info.provider,
          'llmgw.deployment': info.deployment,
          'llmgw.attempt': info.attempt,
        }, SpanKind.CLIENT)),
      guardrailStage: (stage) => spanHandle(root && tracer?.startSpan(`guardrail.${stage}`, root.context)),
      firstToken() {
        if (firstTokenSeen || ended) return
        firstTokenSeen = true
        if (r.stream) m.ttft.observe([model], (now() - started) / 1000)
      },
      retry: (info) => m.retries.inc([cap.deployment(info.deployment)]),
      fallback: (info) => m.fallbacks.inc([cap.model(info.from), cap.model(info.to)]),
      upstreamError: (info) => m.upstreamErrors.inc([cap.provider(info.provider), cap.error(info.errorType)]),
      overhead: (ms) => m.overhead.observe([], ms / 1000),
      end(e: RequestEnd) {
        if (ended) return
        ended = true
        inFlight--
        if (r.stream) openStreams--
        const errorType = e.errorType ? cap.error(e.errorType) : 'none'
        m.requests.inc([model, cap.route(r.route), stream, statusClass(e.status), errorType])
        m.duration.observe([model, stream], (now() - started) / 1000)
        const answered = e.modelUsed ? cap.model(e.modelUsed) : model
        addTokens(answered, e.usage)
        if (e.cost !== undefined && e.cost > 0) m.cost.inc([answered, cap.key(r.keyAlias)], e.cost)
        if (!root) return
        root.setAttribute('http.response.status_code', e.status)
        root.setAttribute('error.type', e.errorType)
        root.setAttribute('gen_ai.response.model', e.modelUsed)
        root.setAttribute('gen_ai.usage.input_tokens', e.usage?.prompt_tokens)
        root.setAttribute('gen_ai.usage.output_tokens', e.usage?.completion_tokens)
        root.setAttribute('llmgw.cost_usd', e.cost)
        if (e.clientAborted) root.setAttribute('llmgw.client_aborted', true)
        root.end(e.errorType ? { errorType: e.errorType } : undefined)
      },
    }
  }

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
