/**
 * What operators see: /metrics (master key unless opened) with counters that
 * move as requests are served, the overhead header on every answer, one log
 * line per request, and OTLP traces (a request span with provider and
 * guardrail child spans) sent to a collector.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createTelemetry } from '../src/observability/metrics.ts'
import { createTracer } from '../src/observability/tracing.ts'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import { waitUntil, type Emulator } from './emulators/script.ts'
import { jsonOf, readSse, startGateway, type TestGateway } from './utils.ts'

let emu: Emulator
let gw: TestGateway
const spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; endTimeUnixNano: string; attributes: Array<{ key: string }> }> = []
let collector: ReturnType<typeof Bun.serve>

beforeAll(async () => {
  emu = await startOpenAICompatibleEmulator()
  collector = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    async fetch(req) {
      const body = (await req.json()) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: typeof spans }> }> }
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans)
      return Response.json({})
    },
  })
  const tracer = createTracer({ endpoint: `http://127.0.0.1:${collector.port}`, batchMs: 20 })
  gw = await startGateway({
    telemetry: createTelemetry({ tracer }),
    yaml: `
model_list:
  - model_name: llm
    litellm_params: { model: openai/llm, api_key: k, api_base: "${emu.url}/v1", input_cost_per_token: 0.001, output_cost_per_token: 0.001 }
guardrails:
  - guardrail_name: words
    litellm_params: { guardrail: keyword, keywords: [forbidden], default_on: true }
router_settings:
  num_retries: 1
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`,
  })
})
afterAll(async () => {
  await gw.stop()
  await emu.stop()
  collector.stop(true)
})

const ask = (body: Record<string, unknown>) => gw.post('/v1/chat/completions', { model: 'llm', messages: [{ role: 'user', content: 'hello there' }], ...body })
const metrics = async () => (await fetch(`${gw.url}/metrics`, { headers: gw.headers() })).text()
const sample = (text: string, name: string, labels: Record<string, string> = {}) => {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `) ? want.every((w) => l.includes(w)) : false)
  return line ? Number(line.split(' ').at(-1)) : 0
}

describe('metrics', () => {
  test('GET /metrics needs the master key', async () => {
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401)
    const { key } = await jsonOf(await gw.post('/key/generate', {}))
    expect((await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403)
    const res = await fetch(`${gw.url}/metrics`, { headers: gw.headers() })
    expect(res.headers.get('content-type')).toStartWith('text/plain; version=0.0.4')
  })

  test('counters move with traffic: requests by status, tokens, cost, retries, guardrail actions, upstream errors', async () => {
    const before = await metrics()
    emu.script({ times: 1, error: { status: 503, name: 'service_unavailable', message: 'x' } }, { text: 'fine', usage: { input: 3, output: 4 } })
    expect((await ask({})).status).toBe(200)
    await readSse(await ask({ stream: true }))
    expect((await ask({ model: 'nope' })).status).toBe(404)
    expect((await ask({ messages: [{ role: 'user', content: 'forbidden' }] })).status).toBe(400)
    const after = await metrics()
    const delta = (name: string, labels?: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels)
    expect(delta('llmgw_requests_total', { model: 'llm', status_class: '2xx', stream: 'false' })).toBe(1)
    expect(delta('llmgw_requests_total', { model: 'llm', status_class: '2xx', stream: 'true' })).toBe(1)
    expect(delta('llmgw_requests_total', { status_class: '4xx', error_type: 'caller_model_not_found' })).toBe(1)
    expect(delta('llmgw_requests_total', { status_class: '4xx', error_type: 'policy_content_policy_violation' })).toBe(1)
    expect(delta('llmgw_tokens_total', { model: 'llm', type: 'completion' })).toBe(8)
    expect(delta('llmgw_cost_usd_total', { model: 'llm', key_alias: 'master' })).toBeCloseTo(0.014, 9)
    expect(delta('llmgw_retries_total')).toBe(1)
    expect(delta('llmgw_upstream_errors_total', { provider: 'openai', error_type: 'provider_unavailable' })).toBe(1)
    expect(delta('llmgw_guardrail_actions_total', { guardrail: 'words', stage: 'input', action: 'block' })).toBe(1)
    expect(delta('llmgw_overhead_duration_seconds_count')).toBeGreaterThanOrEqual(3)
    expect(sample(after, 'llmgw_in_flight_requests')).toBe(0)
    expect(sample(after, 'llmgw_open_streams')).toBe(0)
    emu.reset()
  })

  test('every answer, errors included, carries x-gateway-overhead-duration-ms', async () => {
    for (const res of [await ask({}), await ask({ stream: true }), await ask({ model: 'nope' })]) {
      expect(Number(res.headers.get('x-gateway-overhead-duration-ms'))).toBeGreaterThanOrEqual(0)
      await res.text()
    }
  })

  test('one log line per request, with key alias, model, deployment, status, latency, tokens, cost and guardrails, and no content', async () => {
    const n = gw.logs.length
    await (await ask({ messages: [{ role: 'user', content: 'a very private sentence' }] })).text()
    const lines = gw.logs.slice(n).map((l) => JSON.parse(l)).filter((l) => l.msg === 'chat.completion')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ key_alias: 'master', model: 'llm', deployment: 'llm#0', status: 200, latency_ms: expect.any(Number), prompt_tokens: expect.any(Number), cost_usd: expect.any(Number), guardrails: 'words' })
    expect(gw.logs.slice(n).join('\n')).not.toContain('private sentence')
  })
})

describe('traces', () => {
  test('a request becomes a chat.completions span with guardrail and provider child spans in one trace', async () => {
    const res = await ask({ messages: [{ role: 'user', content: 'trace me' }] })
    const requestId = res.headers.get('x-request-id')!
    await res.text()
    await waitUntil(() => spans.some((s) => s.name === 'chat.completions' && JSON.stringify(s.attributes).includes(requestId)), 3000)
    const root = spans.find((s) => s.name === 'chat.completions' && JSON.stringify(s.attributes).includes(requestId))!
    const children = spans.filter((s) => s.traceId === root.traceId && s.parentSpanId === root.spanId).map((s) => s.name)
    expect(children.sort()).toEqual(['guardrail.input', 'guardrail.output', 'provider.call'])
    expect(JSON.stringify(spans)).not.toContain('trace me')
  })

  test('a stream gets a guardrail.stream_output span that ends with the stream', async () => {
    const res = await ask({ stream: true, messages: [{ role: 'user', content: 'trace my stream' }] })
    const requestId = res.headers.get('x-request-id')!
    await res.text()
    await waitUntil(() => spans.some((s) => s.name === 'chat.completions' && JSON.stringify(s.attributes).includes(requestId)), 3000)
    const root = spans.find((s) => s.name === 'chat.completions' && JSON.stringify(s.attributes).includes(requestId))!
    const children = spans.filter((s) => s.traceId === root.traceId && s.parentSpanId === root.spanId)
    expect(children.map((s) => s.name).sort()).toEqual(['guardrail.input', 'guardrail.stream_output', 'provider.call'])
    const output = children.find((s) => s.name === 'guardrail.stream_output')!
    const provider = children.find((s) => s.name === 'provider.call')!
    expect(BigInt(output.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(provider.endTimeUnixNano))
    expect(JSON.stringify(spans)).not.toContain('trace my stream')
  })
})
