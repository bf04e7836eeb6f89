import { describe, expect, test } from 'bun:test'
import { createTracer, otlpAttribute, REDACTED, SpanKind, tracerFromEnv, type TracerOptions } from './tracing.ts'

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(5)
  }
}

type Post = { path: string; headers: Headers; body: any }

/** A fake OTLP/HTTP collector on a free port. */
function collector(status = 200) {
  const posts: Post[] = []
  const server = Bun.serve({
    port: 0,
    async fetch(req) {
      posts.push({ path: new URL(req.url).pathname, headers: req.headers, body: await req.json() })
      return new Response('{}', { status, headers: { 'content-type': 'application/json' } })
    },
  })
  const spans = () => posts.flatMap((p) => p.body.resourceSpans.flatMap((r: any) => r.scopeSpans.flatMap((s: any) => s.spans)))
  return { server, posts, spans, endpoint: `http://127.0.0.1:${server.port}` }
}

/** A fetch that never settles, not even on abort: the worst collector. */
const hangingFetch = (() => new Promise<Response>(() => {})) as unknown as typeof fetch

const quiet: Partial<TracerOptions> = { batchMs: 60_000 }

describe('createTracer', () => {
  test('posts well-formed OTLP/JSON with linked parent and child spans to <endpoint>/v1/traces', async () => {
    const c = collector()
    await using _ = c.server
    const tracer = createTracer({ endpoint: `${c.endpoint}/`, serviceName: 'gw-test', headers: { 'x-team': 'obs' }, ...quiet })
    const root = tracer.startSpan('chat.completions', undefined, { 'llmgw.stream': true, 'llmgw.n': 3, 'llmgw.cost_usd': 0.25, skipped: undefined }, SpanKind.SERVER)
    const child = tracer.startSpan('provider.call', root.context, { 'llmgw.deployment': 'd1' }, SpanKind.CLIENT)
    child.end({ errorType: 'provider_timeout' })
    root.setAttribute('http.response.status_code', 200)
    root.end()
    await tracer.close()

    const post = c.posts[0]!
    expect({ path: post.path, type: post.headers.get('content-type'), team: post.headers.get('x-team') }).toEqual({ path: '/v1/traces', type: 'application/json', team: 'obs' })
    expect(post.body.resourceSpans[0].resource).toEqual({ attributes: [{ key: 'service.name', value: { stringValue: 'gw-test' } }] })
    const [s1, s2] = c.spans()
    for (const s of [s1, s2]) {
      expect(s.traceId).toMatch(/^[0-9a-f]{32}$/)
      expect(s.spanId).toMatch(/^[0-9a-f]{16}$/)
      expect(s.startTimeUnixNano).toMatch(/^\d{19}$/)
      expect(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano)).toBe(true)
    }
    expect({ ...s1, spanId: 0, startTimeUnixNano: 0, endTimeUnixNano: 0 }).toEqual({
      traceId: root.context.traceId, spanId: 0, parentSpanId: root.context.spanId, name: 'provider.call', kind: 3,
      startTimeUnixNano: 0, endTimeUnixNano: 0, attributes: [{ key: 'llmgw.deployment', value: { stringValue: 'd1' } }],
      status: { code: 2, message: 'provider_timeout' },
    })
    expect({ ...s2, startTimeUnixNano: 0, endTimeUnixNano: 0 }).toEqual({
      traceId: root.context.traceId, spanId: root.context.spanId, name: 'chat.completions', kind: 2, startTimeUnixNano: 0, endTimeUnixNano: 0,
      attributes: [
        { key: 'llmgw.stream', value: { boolValue: true } },
        { key: 'llmgw.n', value: { intValue: '3' } },
        { key: 'llmgw.cost_usd', value: { doubleValue: 0.25 } },
        { key: 'http.response.status_code', value: { intValue: '200' } },
      ],
      status: { code: 1 },
    })
  })

  test('flushes on its interval without close', async () => {
    const c = collector()
    await using _ = c.server
    const tracer = createTracer({ endpoint: c.endpoint, batchMs: 10 })
    tracer.startSpan('one').end()
    await until(() => c.spans().length === 1)
    await tracer.close()
  })

  test('sends at most maxBatch spans per POST and starts a POST as soon as a batch is full', async () => {
    const c = collector()
    await using _ = c.server
    const tracer = createTracer({ endpoint: c.endpoint, maxBatch: 2, ...quiet })
    for (let i = 0; i < 2; i++) tracer.startSpan(`s${i}`).end()
    await until(() => c.posts.length === 1)
    for (let i = 2; i < 5; i++) tracer.startSpan(`s${i}`).end()
    await tracer.close()
    expect({ perPost: c.posts.map((p) => p.body.resourceSpans[0].scopeSpans[0].spans.length), stats: tracer.stats() }).toEqual({
      perPost: [2, 2, 1], stats: { queued: 0, exported: 5, dropped: 0 },
    })
  })

  test('drops and counts spans past maxQueue, and spans ended after close', async () => {
    const tracer = createTracer({ endpoint: 'http://127.0.0.1:9', fetch: hangingFetch, maxQueue: 3, timeoutMs: 20, ...quiet })
    const late = tracer.startSpan('late')
    for (let i = 0; i < 5; i++) tracer.startSpan(`s${i}`).end()
    expect(tracer.stats()).toEqual({ queued: 3, exported: 0, dropped: 2 })
    await tracer.close()
    late.end()
    expect(tracer.stats()).toEqual({ queued: 0, exported: 0, dropped: 6 })
  })

  test('a hanging collector never delays callers, and close() resolves after its timeout', async () => {
    const tracer = createTracer({ endpoint: 'http://127.0.0.1:9', fetch: hangingFetch, maxBatch: 1, timeoutMs: 50, batchMs: 5 })
    const t0 = performance.now()
    for (let i = 0; i < 100; i++) {
      const s = tracer.startSpan('s', undefined, { i })
      expect(s.end()).toBeUndefined()
    }
    const callerMs = performance.now() - t0
    await Bun.sleep(20)
    const c0 = performance.now()
    await tracer.close()
    const closeMs = performance.now() - c0
    expect({ callerFast: callerMs < 50, closeWaited: closeMs >= 45 && closeMs < 1000 }).toEqual({ callerFast: true, closeWaited: true })
  })

  test.each([
    ['down (connection refused)', async () => {
      const s = Bun.serve({ port: 0, fetch: () => new Response() })
      const endpoint = `http://127.0.0.1:${s.port}`
      await s.stop(true)
      return { endpoint, stop: async () => {} }
    }],
    ['answering 503', async () => {
      const c = collector(503)
      return { endpoint: c.endpoint, stop: () => c.server.stop(true) }
    }],
  ])('a collector %s is reported once through onError and its spans are counted as dropped', async (_, start) => {
    const { endpoint, stop } = await start()
    const errors: unknown[] = []
    const tracer = createTracer({ endpoint, maxBatch: 1, onError: (e) => errors.push(e), ...quiet })
    tracer.startSpan('a').end()
    tracer.startSpan('b').end()
    await tracer.close()
    await stop()
    expect({ errors: errors.length, stats: tracer.stats() }).toEqual({ errors: 1, stats: { queued: 0, exported: 0, dropped: 2 } })
  })

  test('an onError that throws does not escape', async () => {
    const fetch = (async () => { throw new Error('refused') }) as unknown as typeof globalThis.fetch
    const tracer = createTracer({ endpoint: 'http://127.0.0.1:9', fetch, onError: () => { throw new Error('reporter broke') }, ...quiet })
    tracer.startSpan('a').end()
    await tracer.close()
    expect(tracer.stats().dropped).toBe(1)
  })

  test('end and setAttribute after the first end are ignored', async () => {
    const c = collector()
    await using _ = c.server
    const tracer = createTracer({ endpoint: c.endpoint, ...quiet })
    const s = tracer.startSpan('once')
    s.end()
    s.setAttribute('late', 1)
    s.end({ errorType: 'x' })
    await tracer.close()
    expect(c.spans().map((x) => [x.name, x.attributes, x.status])).toEqual([['once', [], { code: 1 }]])
  })

  test.each(['not a url', 'ftp://collector:21'])('throws at construction on endpoint %p', (endpoint) => {
    expect(() => createTracer({ endpoint })).toThrow()
  })
})

describe('otlpAttribute', () => {
  const awsKeyId = `AKIA${'Q'.repeat(16)}`
  test.each([
    ['an OpenAI-style key', 'x', `sk-${'a1B2'.repeat(8)}`],
    ['a virtual key inside text', 'note', `called with sk-proj-${'z'.repeat(20)} today`],
    ['an AWS access key id', 'x', awsKeyId],
    ['a bearer token', 'x', 'Bearer abc.def'],
    ['a JWT', 'x', `eyJ${'h'.repeat(20)}.eyJ${'p'.repeat(20)}.sig`],
    ['any value under an authorization key', 'http.request.header.authorization', 'whatever'],
    ['any value under an api_key key', 'llmgw.api_key', 'plain'],
  ])('masks %s', (_, key, v) => {
    expect(otlpAttribute(key, v)).toEqual({ key, value: { stringValue: REDACTED } })
  })

  test.each(['gpt-4o', 'task-1234567890', 'bedrock-us-east-1', 'team-a'])('passes the ordinary value %p', (v) => {
    expect(otlpAttribute('k', v)).toEqual({ key: 'k', value: { stringValue: v } })
  })

  test('cuts string values to 256 characters', () => {
    expect(otlpAttribute('k', 'x'.repeat(1000))).toEqual({ key: 'k', value: { stringValue: 'x'.repeat(256) } })
  })
})

describe('tracerFromEnv', () => {
  test.each([
    ['no endpoint', {}],
    ['an empty endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }],
    ['OTEL_SDK_DISABLED=true', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }],
    ['OTEL_TRACES_EXPORTER=none', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }],
  ])('returns undefined with %s', (_, env) => {
    expect(tracerFromEnv(env)).toBeUndefined()
  })

  test('uses the endpoint, service name and percent-decoded headers', async () => {
    const seen: Array<{ url: string; headers: Record<string, string>; service: unknown }> = []
    const fetch = (async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body))
      seen.push({ url, headers: init.headers as Record<string, string>, service: body.resourceSpans[0].resource.attributes[0].value.stringValue })
      return new Response('{}')
    }) as unknown as typeof globalThis.fetch
    const tracer = tracerFromEnv(
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp', OTEL_SERVICE_NAME: 'gw', OTEL_EXPORTER_OTLP_HEADERS: 'x-a=1, x-b = two%20words ,junk,=novalue' },
      { fetch, batchMs: 60_000 },
    )!
    tracer.startSpan('s').end()
    await tracer.close()
    expect(seen).toEqual([{ url: 'http://collector:4318/otlp/v1/traces', headers: { 'x-a': '1', 'x-b': 'two words', 'content-type': 'application/json' }, service: 'gw' }])
  })
})
