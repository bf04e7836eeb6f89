import { describe, expect, test } from 'bun:test'
import { createTelemetry, METRICS_CONTENT_TYPE } from './metrics.ts'
import type { RequestStart } from './telemetry.ts'
import { createTracer } from './tracing.ts'

type Sample = { name: string; labels: Record<string, string>; value: number }

/** Parses the text exposition strictly enough to catch malformed output: every sample belongs to a declared family. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>()
  const samples: Sample[] = []
  expect(text.endsWith('\n')).toBe(true)
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line)
    if (meta) {
      if (meta[1] === 'TYPE') types.set(meta[2]!, meta[3]!)
      continue
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m) throw new Error(`malformed line: ${line}`)
    const labels: Record<string, string> = {}
    const body = m[2] ?? ''
    const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y
    while (pair.lastIndex < body.length) {
      const p = pair.exec(body)
      if (!p) throw new Error(`malformed labels: ${line}`)
      labels[p[1]!] = p[2]!
    }
    const name = m[1]!
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '')
    if (!types.has(family)) throw new Error(`sample without TYPE: ${line}`)
    const value = m[3] === '+Inf' ? Infinity : Number(m[3])
    if (Number.isNaN(value)) throw new Error(`bad value: ${line}`)
    samples.push({ name, labels, value })
  }
  return { types, samples }
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0)

const START: RequestStart = { requestId: 'req-1', route: 'chat.completions', model: 'gpt-4o', stream: true, keyAlias: 'team-a' }

function clock() {
  let t = 1000
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

describe('createTelemetry', () => {
  test('one streamed request moves counters and histograms, and the exposition parses', async () => {
    const c = clock()
    const tel = createTelemetry({ now: c.now })
    const req = tel.startRequest(START)
    req.providerCall({ provider: 'bedrock', deployment: 'bedrock-1', attempt: 1 }).end({ errorType: 'provider_rate_limited' })
    req.upstreamError({ provider: 'bedrock', errorType: 'provider_rate_limited' })
    req.retry({ deployment: 'bedrock-1', errorType: 'provider_rate_limited' })
    req.fallback({ from: 'gpt-4o', to: 'claude', reason: 'rate_limited' })
    req.providerCall({ provider: 'openai', deployment: 'oa-1', attempt: 2 }).end()
    c.advance(300)
    req.firstToken()
    req.overhead(1.2)
    c.advance(700)
    req.end({ status: 200, usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } }, cost: 0.25, modelUsed: 'claude' })
    tel.cooldown({ deployment: 'bedrock-1', model: 'gpt-4o' })
    tel.rateLimitRejected({ scope: 'key', kind: 'tokens' })

    const { types, samples } = parseExposition(await tel.render())
    const v = (name: string, labels?: Record<string, string>) => value(samples, `llmgw_${name}`, labels)
    expect({
      requests: v('requests_total', { model: 'gpt-4o', route: 'chat.completions', stream: 'true', status_class: '2xx', error_type: 'none' }),
      durationCount: v('request_duration_seconds_count', { model: 'gpt-4o', stream: 'true' }),
      durationSum: v('request_duration_seconds_sum'),
      ttftSum: v('time_to_first_token_seconds_sum', { model: 'gpt-4o' }),
      overheadSum: v('overhead_duration_seconds_sum'),
      overheadBelow2ms: v('overhead_duration_seconds_bucket', { le: '0.0025' }),
      overheadBelow1ms: v('overhead_duration_seconds_bucket', { le: '0.001' }),
      prompt: v('tokens_total', { model: 'claude', type: 'prompt' }),
      completion: v('tokens_total', { model: 'claude', type: 'completion' }),
      cached: v('tokens_total', { model: 'claude', type: 'cached' }),
      cost: v('cost_usd_total', { model: 'claude', key_alias: 'team-a' }),
      upstream: v('upstream_errors_total', { provider: 'bedrock', error_type: 'provider_rate_limited' }),
      retries: v('retries_total', { deployment: 'bedrock-1' }),
      fallbacks: v('fallbacks_total', { from: 'gpt-4o', to: 'claude' }),
      cooldowns: v('cooldowns_total', { deployment: 'bedrock-1' }),
      rateLimits: v('rate_limit_rejections_total', { scope: 'key', kind: 'tokens' }),
    }).toEqual({
      requests: 1, durationCount: 1, durationSum: 1, ttftSum: 0.3, overheadSum: 0.0012, overheadBelow2ms: 1, overheadBelow1ms: 0,
      prompt: 10, completion: 5, cached: 4, cost: 0.25, upstream: 1, retries: 1, fallbacks: 1, cooldowns: 1, rateLimits: 1,
    })
    expect(Object.fromEntries([...types].filter(([n]) => /duration|first_token|in_flight|open_streams/.test(n)))).toEqual({
      llmgw_request_duration_seconds: 'histogram',
      llmgw_time_to_first_token_seconds: 'histogram',
      llmgw_overhead_duration_seconds: 'histogram',
      llmgw_in_flight_requests: 'gauge',
      llmgw_open_streams: 'gauge',
    })
  })

  test.each([
    [404, 'caller_invalid_request', '4xx'],
    [429, 'policy_rate_limited', '4xx'],
    [502, 'provider_server_error', '5xx'],
    [201, undefined, '2xx'],
  ])('status %d with error type %p counts under status_class %s', async (status, errorType, cls) => {
    const tel = createTelemetry()
    tel.startRequest({ ...START, stream: false }).end({ status, ...(errorType ? { errorType } : {}) })
    const { samples } = parseExposition(await tel.render())
    expect(value(samples, 'llmgw_requests_total', { status_class: cls, error_type: errorType ?? 'none', stream: 'false' })).toBe(1)
  })

  test('a non-streamed request records no time to first token', async () => {
    const tel = createTelemetry()
    const req = tel.startRequest({ ...START, stream: false })
    req.firstToken()
    req.end({ status: 200 })
    const { samples } = parseExposition(await tel.render())
    expect(value(samples, 'llmgw_time_to_first_token_seconds_count')).toBe(0)
  })

  test('in_flight_requests and open_streams count open requests and return to 0 after end, even if end is called twice', async () => {
    const tel = createTelemetry()
    const gauges = async () => {
      const { samples } = parseExposition(await tel.render())
      return { inFlight: value(samples, 'llmgw_in_flight_requests'), streams: value(samples, 'llmgw_open_streams') }
    }
    const a = tel.startRequest(START)
    const b = tel.startRequest({ ...START, stream: false })
    expect(await gauges()).toEqual({ inFlight: 2, streams: 1 })
    a.end({ status: 200, clientAborted: true })
    a.end({ status: 200 })
    b.end({ status: 500, errorType: 'gateway_internal_error' })
    expect(await gauges()).toEqual({ inFlight: 0, streams: 0 })
  })

  test.each([
    ['model', (v: string) => ({ ...START, model: v }), 'llmgw_requests_total'],
    ['key_alias', (v: string) => ({ ...START, keyAlias: v }), 'llmgw_cost_usd_total'],
  ])('caps distinct %s label values and folds the rest into other', async (label, start, metric) => {
    const tel = createTelemetry({ labelLimit: 3 })
    for (const v of ['a', 'b', 'c', 'd', 'e', 'a']) tel.startRequest(start(v)).end({ status: 200, cost: 1 })
    const { samples } = parseExposition(await tel.render())
    const values = samples.filter((s) => s.name === metric).map((s) => [s.labels[label], s.value])
    expect(values).toEqual([['a', 2], ['b', 1], ['c', 1], ['other', 2]])
  })

  test('caps the model label at 200 values by default', async () => {
    const tel = createTelemetry()
    for (let i = 0; i < 250; i++) tel.startRequest({ ...START, model: `m${i}` }).end({ status: 200 })
    const { samples } = parseExposition(await tel.render())
    const models = new Set(samples.filter((s) => s.name === 'llmgw_requests_total').map((s) => s.labels.model))
    expect({ distinct: models.size, other: value(samples, 'llmgw_requests_total', { model: 'other' }) }).toEqual({ distinct: 201, other: 50 })
  })

  test('registerGauge renders llmgw_<name> read at scrape time', async () => {
    const tel = createTelemetry()
    let n = 1
    tel.registerGauge('deployments_in_cooldown', 'Deployments cooling down.', () => [{ labels: { model: 'gpt-4o' }, value: n }])
    tel.registerGauge('guardrail_actions_total', 'Guardrail actions.', () => [{ labels: { guardrail: 'pii', action: 'mask' }, value: 7 }])
    n = 2
    const { types, samples } = parseExposition(await tel.render())
    expect({
      types: [types.get('llmgw_deployments_in_cooldown'), types.get('llmgw_guardrail_actions_total')],
      cooldown: value(samples, 'llmgw_deployments_in_cooldown', { model: 'gpt-4o' }),
      actions: value(samples, 'llmgw_guardrail_actions_total', { guardrail: 'pii', action: 'mask' }),
    }).toEqual({ types: ['gauge', 'counter'], cooldown: 2, actions: 7 })
  })

  test('the content type is the Prometheus text format 0.0.4', () => {
    expect(METRICS_CONTENT_TYPE).toBe('text/plain; version=0.0.4; charset=utf-8')
  })

  test('with a tracer, a request becomes a root span with provider and guardrail children', async () => {
    const bodies: any[] = []
    const fetch = (async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(String(init.body)))
      return new Response('{}')
    }) as unknown as typeof globalThis.fetch
    const tel = createTelemetry({ tracer: createTracer({ endpoint: 'http://collector:4318', fetch }) })
    const req = tel.startRequest(START)
    req.guardrailStage('input').end()
    req.providerCall({ provider: 'bedrock', deployment: 'bedrock-1', attempt: 1 }).end({ errorType: 'provider_timeout' })
    req.end({ status: 200, usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }, cost: 0.5, modelUsed: 'gpt-4o' })
    await tel.close()
    const spans = bodies.flatMap((b) => b.resourceSpans[0].scopeSpans[0].spans)
    const root = spans.find((s) => s.name === 'chat.completions')
    const attrs = (s: any) => Object.fromEntries(s.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]))
    expect(spans.map((s) => [s.name, s.traceId === root.traceId, s.parentSpanId === root.spanId, s.status])).toEqual([
      ['guardrail.input', true, true, { code: 1 }],
      ['provider.call', true, true, { code: 2, message: 'provider_timeout' }],
      ['chat.completions', true, false, { code: 1 }],
    ])
    expect(root.parentSpanId).toBeUndefined()
    expect(attrs(root)).toEqual({
      'llmgw.request_id': 'req-1', 'gen_ai.request.model': 'gpt-4o', 'llmgw.stream': true, 'llmgw.key_alias': 'team-a',
      'http.response.status_code': '200', 'gen_ai.response.model': 'gpt-4o', 'gen_ai.usage.input_tokens': '3',
      'gen_ai.usage.output_tokens': '2', 'llmgw.cost_usd': 0.5,
    })
    expect(attrs(spans[1])).toEqual({ 'gen_ai.provider.name': 'bedrock', 'llmgw.deployment': 'bedrock-1', 'llmgw.attempt': '1' })
  })
})
