/**
 * The OpenAI-compatible and Perplexity adapters against the emulator over
 * real sockets, in both response modes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { GatewayError } from '../src/errors/gateway-error.ts'
import { newAttempt, timeoutMsFor } from '../src/chat/run.ts'
import type { ChatRequest, ToolCall } from '../src/openai/types.ts'
import { createOpenAICompatibleProvider } from '../src/providers/openai-compatible/index.ts'
import { createPerplexityProvider } from '../src/providers/perplexity/index.ts'
import type { CallContext, Deployment, Provider, ProviderResult, StreamEvent } from '../src/providers/types.ts'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import type { Emulator, ScriptedReply } from './emulators/script.ts'

const API_KEY = 'emulator-test-key'

let openaiEmu: Emulator
let perplexityEmu: Emulator

beforeAll(async () => {
  openaiEmu = await startOpenAICompatibleEmulator({ flavor: 'openai', apiKey: API_KEY })
  perplexityEmu = await startOpenAICompatibleEmulator({ flavor: 'perplexity', apiKey: API_KEY })
})
afterAll(async () => {
  await openaiEmu.stop()
  await perplexityEmu.stop()
})
beforeEach(() => {
  openaiEmu.reset()
  perplexityEmu.reset()
})

interface Case {
  name: 'openai' | 'perplexity'
  provider: Provider
  emu: () => Emulator
  /** How the deployment writes its api_base (OpenAI's includes /v1, with a trailing slash to strip). */
  apiBase: (emu: Emulator) => string
  upstreamModel: string
}

const CASES: Case[] = [
  { name: 'openai', provider: createOpenAICompatibleProvider(), emu: () => openaiEmu, apiBase: (e) => `${e.url}/v1/`, upstreamModel: 'gpt-4o-mini' },
  { name: 'perplexity', provider: createPerplexityProvider(), emu: () => perplexityEmu, apiBase: (e) => e.url, upstreamModel: 'sonar' },
]

function deployment(c: Case, params: Record<string, unknown> = {}): Deployment {
  return {
    id: `${c.name}#0`,
    modelName: `${c.name}-alias`,
    provider: c.name,
    upstreamModel: c.upstreamModel,
    params: { api_base: c.apiBase(c.emu()), api_key: API_KEY, ...params },
  }
}

function ctx(signal = new AbortController().signal): CallContext {
  return { signal, requestId: 'req-1', dropParams: false }
}

function request(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'alias', messages: [{ role: 'user', content: text }], stream: false, ...extra }
}

/** What a stream adds up to, assembled the way a client would. */
interface Streamed {
  text: string
  toolCalls?: ToolCall[]
  finish?: string
  usage?: unknown
  extra?: Record<string, unknown>
}

function assemble(events: StreamEvent[]): Streamed {
  const out: Streamed = { text: '' }
  const calls: ToolCall[] = []
  for (const e of events) {
    if (e.type === 'usage') out.usage = e.usage
    if (e.type === 'finish') out.finish = e.reason
    if (e.type !== 'usage' && e.extra) out.extra = { ...out.extra, ...e.extra }
    if (e.type !== 'delta') continue
    out.text += e.text ?? ''
    for (const d of e.toolCalls ?? []) {
      const call = (calls[d.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } })
      call.id ||= d.id ?? ''
      call.function.name += d.function?.name ?? ''
      call.function.arguments += d.function?.arguments ?? ''
    }
  }
  if (calls.length > 0) out.toolCalls = calls
  return out
}

async function collect(iterable: AsyncIterable<StreamEvent>): Promise<{ events: StreamEvent[]; error?: unknown }> {
  const events: StreamEvent[] = []
  try {
    for await (const e of iterable) events.push(e)
    return { events }
  } catch (error) {
    return { events, error }
  }
}

const errorSummary = (e: unknown) => {
  const g = e as GatewayError
  return { isGatewayError: e instanceof GatewayError, status: g.status, code: g.code, retryAfter: g.headers?.['retry-after'] }
}

describe.each(CASES)('$name adapter', (c) => {
  const streamOf = (rule: ScriptedReply, req: ChatRequest = request('hi')) => {
    c.emu().script(rule)
    return collect(c.provider.stream({ ...req, stream: true }, deployment(c), ctx()))
  }

  test('returns text, finish and usage without streaming', async () => {
    c.emu().script({ text: 'Hello there', usage: { input: 12, output: 3 } })
    const result = await c.provider.complete(request('hi'), deployment(c), ctx())
    expect({ ...result, extra: undefined }).toEqual({
      content: 'Hello there',
      finishReason: 'stop',
      usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
      extra: undefined,
    })
  })

  test('streams text deltas, then finish, then usage', async () => {
    const { events, error } = await streamOf({ text: 'Hello there', chunkChars: 4, usage: { input: 12, output: 3 } })
    expect(error).toBeUndefined()
    expect(events.map((e) => (e.type === 'delta' ? e.text : e.type))).toEqual(['Hell', 'o th', 'ere', 'finish', 'usage'])
    expect(assemble(events)).toMatchObject({ text: 'Hello there', finish: 'stop', usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } })
  })

  test('gives the same text and usage streamed and not streamed for the same reply', async () => {
    c.emu().script({ chunkChars: 3 })
    const whole = await c.provider.complete(request('echo me, please'), deployment(c), ctx())
    const streamed = assemble((await collect(c.provider.stream(request('echo me, please', { stream: true }), deployment(c), ctx()))).events)
    expect({ text: streamed.text, usage: streamed.usage, finish: streamed.finish, extra: streamed.extra }).toEqual({
      text: whole.content ?? '',
      usage: whole.usage,
      finish: whole.finishReason,
      extra: whole.extra,
    })
  })

  test('posts to <api_base>/chat/completions with the bearer key and the upstream model', async () => {
    c.emu().script({ text: 'ok' })
    await c.provider.complete(request('hi'), deployment(c), ctx())
    const rec = c.emu().requests[0]
    expect({
      path: rec?.path,
      auth: rec?.headers.authorization,
      contentType: rec?.headers['content-type'],
      model: (rec?.body as { model?: string }).model,
    }).toEqual({
      path: c.name === 'openai' ? '/v1/chat/completions' : '/chat/completions',
      auth: `Bearer ${API_KEY}`,
      contentType: 'application/json',
      model: c.upstreamModel,
    })
  })

  test('asks a stream for usage with stream_options.include_usage', async () => {
    await streamOf({ text: 'ok' })
    expect(c.emu().requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } })
  })

  test.each(['length', 'content_filter'] as const)('reports finish reason %s in both modes', async (reason) => {
    c.emu().script({ text: 'cut', finishReason: reason })
    const whole = await c.provider.complete(request('hi'), deployment(c), ctx())
    const streamed = assemble((await streamOf({ text: 'cut', finishReason: reason })).events)
    expect([whole.finishReason, streamed.finish]).toEqual([reason, reason])
  })

  test.each([
    ['401 to 502 provider_auth_error', { api_key: 'wrong-key' }, undefined, { status: 502, code: 'provider_auth_error', retryAfter: undefined }],
    ['429 to 429 with its retry-after', {}, { status: 429, name: 'requests', message: 'Rate limit reached', retryAfter: '9' }, { status: 429, code: 'provider_rate_limited', retryAfter: '9' }],
    ['400 to 400 provider_invalid_request', {}, { status: 400, name: 'invalid_request_error', message: 'bad temperature' }, { status: 400, code: 'provider_invalid_request', retryAfter: undefined }],
    ['500 to 502 provider_server_error', {}, { status: 500, name: 'server_error', message: 'boom' }, { status: 502, code: 'provider_server_error', retryAfter: undefined }],
  ] as const)('maps HTTP %s in both modes', async (_name, params, scriptedError, expected) => {
    c.emu().script(scriptedError ? { error: { ...scriptedError } } : {})
    const d = deployment(c, params)
    const whole = await c.provider.complete(request('hi'), d, ctx()).catch((e: unknown) => e)
    const streamed = await collect(c.provider.stream(request('hi', { stream: true }), d, ctx()))
    const want = { isGatewayError: true, ...expected }
    expect({ whole: errorSummary(whole), streamed: errorSummary(streamed.error), events: streamed.events }).toEqual({
      whole: want,
      streamed: want,
      events: [],
    })
  })

  test('passes on a 400 message scrubbed of keys and URLs', async () => {
    c.emu().script({ error: { status: 400, name: 'invalid_request_error', message: 'key pplx-abcdefghijk at https://internal.example/x is bad' } })
    const err = (await c.provider.complete(request('hi'), deployment(c), ctx()).catch((e: unknown) => e)) as GatewayError
    expect(err.message).toBe(`The provider rejected the request (provider: ${c.name}): key <key> at <url> is bad`)
  })

  test('fails with provider_stream_error after the partial text when the upstream sends an error frame', async () => {
    const { events, error } = await streamOf({ text: 'abcdefghij', chunkChars: 2, failAfterChunks: { chunks: 3, name: 'server_error', message: 'overloaded' } })
    expect({ text: assemble(events).text, error: errorSummary(error) }).toEqual({
      text: 'abcdef',
      error: { isGatewayError: true, status: 502, code: 'provider_stream_error', retryAfter: undefined },
    })
  })

  test('detects a stream that ends without a finish as provider_stream_truncated', async () => {
    const { events, error } = await streamOf({ text: 'abcdefghij', chunkChars: 2, truncateAfterChunks: 2 })
    expect({ text: assemble(events).text, finish: assemble(events).finish, code: errorSummary(error).code }).toEqual({
      text: 'abcd',
      finish: undefined,
      code: 'provider_stream_truncated',
    })
  })

  test('aborting ctx.signal mid-stream closes the upstream connection and rethrows the GatewayError reason', async () => {
    c.emu().script({ text: 'x'.repeat(200), chunkChars: 1, chunkDelayMs: 5 })
    const ac = new AbortController()
    const it = c.provider.stream(request('hi', { stream: true }), deployment(c), ctx(ac.signal))[Symbol.asyncIterator]()
    expect((await it.next()).value).toEqual(expect.objectContaining({ type: 'delta', text: 'x' }))
    const reason = new GatewayError({ status: 499, type: 'client_closed', code: 'client_closed', message: 'gone', domain: 'caller' })
    ac.abort(reason)
    let thrown: unknown
    try {
      while (!(await it.next()).done) {}
    } catch (e) {
      thrown = e
    }
    expect(thrown).toBe(reason)
    await c.emu().waitFor(() => c.emu().requests[0]?.aborted === true)
    expect(c.emu().requests[0]).toMatchObject({ aborted: true, finished: false })
  })

  test('a consumer that stops early closes the upstream connection', async () => {
    c.emu().script({ text: 'y'.repeat(200), chunkChars: 1, chunkDelayMs: 5 })
    for await (const e of c.provider.stream(request('hi', { stream: true }), deployment(c), ctx())) {
      expect(e.type).toBe('delta')
      break
    }
    await c.emu().waitFor(() => c.emu().requests[0]?.aborted === true)
  })

  test('aborting ctx.signal while waiting for a non-stream reply closes the connection', async () => {
    c.emu().script({ text: 'late', firstTokenDelayMs: 2000 })
    const ac = new AbortController()
    const pending = c.provider.complete(request('hi'), deployment(c), ctx(ac.signal)).catch((e: unknown) => e)
    await c.emu().waitFor(() => c.emu().requests.length === 1)
    ac.abort()
    expect(await pending).toBe(ac.signal.reason)
    await c.emu().waitFor(() => c.emu().requests[0]?.aborted === true)
  })

  test("the deployment's timeout (the attempt's timer) ends the upstream call as provider_timeout", async () => {
    c.emu().script({ text: 'late', firstTokenDelayMs: 2000 })
    const d = deployment(c, { timeout: 0.05 })
    const attempt = newAttempt(new AbortController().signal, d, 'req-1', false, timeoutMsFor(d, request('hi')))
    const err = await c.provider.complete(request('hi'), d, attempt.ctx).catch((e: unknown) => e)
    attempt.end()
    expect(errorSummary(err)).toEqual({ isGatewayError: true, status: 504, code: 'provider_timeout', retryAfter: undefined })
    await c.emu().waitFor(() => c.emu().requests[0]?.aborted === true)
  })

  test('never forwards keys the adapter does not declare', async () => {
    const req = { ...request('hi'), user: 'u-1', guardrails: ['pii'], surprise: 1, provider_params: { not_a_param: true } } as ChatRequest
    c.emu().script({ text: 'ok' })
    await c.provider.complete(req, deployment(c), ctx())
    expect(Object.keys(c.emu().requests[0]?.body as object).sort()).toEqual(['messages', 'model', 'stream'])
  })
})

describe('openai adapter specifics', () => {
  const c = CASES[0] as Case
  const toolCalls = [
    { id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo","unit":"c"}' },
    { id: 'call_2', name: 'get_time', arguments: '{"tz":"CET"}' },
  ]
  const expectedCalls: ToolCall[] = toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } }))

  test('returns tool calls with finish tool_calls in both modes', async () => {
    openaiEmu.script({ toolCalls, chunkChars: 4 })
    const whole = await c.provider.complete(request('weather?'), deployment(c), ctx())
    const streamed = assemble((await collect(c.provider.stream(request('weather?', { stream: true }), deployment(c), ctx()))).events)
    expect({ whole: [whole.content, whole.toolCalls, whole.finishReason], streamed: [streamed.text, streamed.toolCalls, streamed.finish] }).toEqual({
      whole: [null, expectedCalls, 'tool_calls'],
      streamed: ['', expectedCalls, 'tool_calls'],
    })
  })

  test('forwards tool-call argument pieces as they arrive, with their upstream index', async () => {
    openaiEmu.script({ toolCalls, chunkChars: 10 })
    const { events } = await collect(c.provider.stream(request('weather?', { stream: true }), deployment(c), ctx()))
    const deltas = events.flatMap((e) => (e.type === 'delta' ? (e.toolCalls ?? []) : []))
    expect(deltas.map((d) => [d.index, d.function?.arguments])).toEqual([
      [0, ''],
      [0, '{"city":"O'],
      [0, 'slo","unit'],
      [0, '":"c"}'],
      [1, ''],
      [1, '{"tz":"CET'],
      [1, '"}'],
    ])
  })

  test('reports cached prompt tokens in both modes', async () => {
    openaiEmu.script({ text: 'ok', usage: { input: 100, output: 1, cacheRead: 64 } })
    const usage = { prompt_tokens: 100, completion_tokens: 1, total_tokens: 101, prompt_tokens_details: { cached_tokens: 64 } }
    const whole = await c.provider.complete(request('hi'), deployment(c), ctx())
    const streamed = assemble((await collect(c.provider.stream(request('hi', { stream: true }), deployment(c), ctx()))).events)
    expect([whole.usage, streamed.usage]).toEqual([usage, usage])
  })

  test('forwards the OpenAI parameters that are present', async () => {
    const params: Partial<ChatRequest> = {
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      stop: ['END'],
      seed: 42,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      response_format: { type: 'json_object' },
    }
    openaiEmu.script({ text: 'ok' })
    await c.provider.complete(request('hi', params), deployment(c), ctx())
    expect(openaiEmu.requests[0]?.body).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: false, ...params })
  })

  test('speaks a protocol the official openai SDK parses', async () => {
    openaiEmu.script({ text: 'sdk check', chunkChars: 3 })
    const client = new OpenAI({ apiKey: API_KEY, baseURL: `${openaiEmu.url}/v1`, maxRetries: 0 })
    const whole = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
    let text = ''
    let usage: unknown
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } })
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      usage ??= chunk.usage ?? undefined
    }
    expect({ whole: whole.choices[0]?.message.content, text, usage }).toEqual({
      whole: 'sdk check',
      text: 'sdk check',
      usage: whole.usage,
    })
  })

  test('maps a refused connection to provider_connection_error', async () => {
    const gone = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
    const apiBase = `http://127.0.0.1:${gone.port}`
    await gone.stop(true)
    const err = await c.provider.complete(request('hi'), deployment(c, { api_base: apiBase }), ctx()).catch((e: unknown) => e)
    expect(errorSummary(err)).toEqual({ isGatewayError: true, status: 502, code: 'provider_connection_error', retryAfter: undefined })
  })
})

describe('perplexity adapter specifics', () => {
  const c = CASES[1] as Case
  const sources = {
    citations: ['https://a.example/1', 'https://b.example/2'],
    searchResults: [
      { title: 'A', url: 'https://a.example/1', date: '2025-03-01' },
      { title: 'B', url: 'https://b.example/2' },
    ],
  }
  const extra = { citations: sources.citations, search_results: sources.searchResults }

  test('passes citations and search_results through without streaming', async () => {
    perplexityEmu.script({ text: 'Paris [1][2]', ...sources })
    const result: ProviderResult = await c.provider.complete(request('capital of France?'), deployment(c), ctx())
    expect(result.extra).toEqual(extra)
  })

  test('passes citations and search_results through once when streaming', async () => {
    perplexityEmu.script({ text: 'Paris [1][2]', chunkChars: 3, ...sources })
    const { events } = await collect(c.provider.stream(request('capital of France?', { stream: true }), deployment(c), ctx()))
    const carrying = events.filter((e) => e.type !== 'usage' && e.extra)
    expect(carrying).toEqual([{ type: 'delta', text: 'Par', extra }])
  })

  test('forwards its own search parameters from provider_params', async () => {
    const own = {
      search_domain_filter: ['example.com'],
      search_recency_filter: 'week',
      return_images: false,
      return_related_questions: true,
      web_search_options: { search_context_size: 'low' },
      search_mode: 'academic',
      search_after_date_filter: '1/1/2025',
      search_before_date_filter: '3/1/2025',
    }
    perplexityEmu.script({ text: 'ok' })
    await c.provider.stream(request('hi', { stream: true, temperature: 0.1, provider_params: own }), deployment(c), ctx())[Symbol.asyncIterator]().next()
    expect(perplexityEmu.requests[0]?.body).toEqual({
      model: 'sonar',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0.1,
      ...own,
      stream: true,
      stream_options: { include_usage: true },
    })
  })

  test('does not declare or forward tools', async () => {
    perplexityEmu.script({ text: 'ok' })
    const req = request('hi', { tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'auto', seed: 1 })
    await c.provider.complete(req, deployment(c), ctx())
    expect({ declared: c.provider.supportedParams.has('tools'), body: perplexityEmu.requests[0]?.body }).toEqual({
      declared: false,
      body: { model: 'sonar', messages: [{ role: 'user', content: 'hi' }], stream: false },
    })
  })
})
