/**
 * The Bedrock adapter driven against the Bedrock emulator: the real AWS SDK,
 * SigV4-signed, over a real socket.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { GatewayError, errors } from '../src/errors/gateway-error.ts'
import type { ChatMessage, ChatRequest } from '../src/openai/types.ts'
import { createBedrockProvider } from '../src/providers/bedrock/index.ts'
import type { CallContext, Deployment, StreamEvent } from '../src/providers/types.ts'
import { startBedrockEmulator } from './emulators/bedrock.ts'
import type { Emulator, ScriptedFinish } from './emulators/script.ts'

const MODEL = 'us.meta.llama3-2-1b-instruct-v1:0'
let emu: Emulator
const provider = createBedrockProvider()

beforeAll(async () => {
  emu = await startBedrockEmulator()
})
afterAll(() => emu.stop())
beforeEach(() => emu.reset())

function deployment(params: Record<string, unknown> = {}): Deployment {
  return {
    id: 'llama#0',
    modelName: 'llama',
    provider: 'bedrock',
    upstreamModel: MODEL,
    params: { aws_region_name: 'us-east-1', aws_bedrock_runtime_endpoint: emu.url, aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'test', ...params },
  }
}

function ctx(signal: AbortSignal = new AbortController().signal): CallContext {
  return { signal, requestId: 'req-1', dropParams: false }
}

function chat(content: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'llama', stream: false, messages: [{ role: 'user', content }], ...extra }
}

/** Drains a stream; returns the events it yielded and the error it threw. */
async function drain(stream: AsyncIterable<StreamEvent>) {
  const events: StreamEvent[] = []
  try {
    for await (const e of stream) events.push(e)
  } catch (err) {
    return { events, error: err as GatewayError }
  }
  return { events, error: undefined }
}

const WEATHER_CALL = { id: 'tooluse_1', name: 'weather', arguments: '{"city":"Oslo"}' }

describe('complete', () => {
  test('sends a SigV4-signed Converse request with system blocks, merged turns and inferenceConfig', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'one' },
      { role: 'user', content: 'two' },
    ]
    const result = await provider.complete({ model: 'llama', stream: false, messages, max_tokens: 50, temperature: 0.1, stop: ['\n\n'] }, deployment(), ctx())
    // The emulator echoes the last user turn: both merged text blocks.
    expect(result).toEqual({ content: 'one\ntwo', finishReason: 'stop', usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })
    const [recorded] = emu.requests
    expect({ method: recorded?.method, path: recorded?.path, body: recorded?.body }).toEqual({
      method: 'POST',
      path: `/model/${MODEL}/converse`,
      body: {
        system: [{ text: 'Be brief.' }],
        messages: [{ role: 'user', content: [{ text: 'one' }, { text: 'two' }] }],
        inferenceConfig: { maxTokens: 50, temperature: 0.1, stopSequences: ['\n\n'] },
      },
    })
    expect(recorded?.headers.authorization).toStartWith('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/')
  })

  test('maps usage with cache reads and writes', async () => {
    emu.script({ text: 'cached', usage: { input: 10, output: 2, cacheRead: 100, cacheWrite: 20 } })
    const result = await provider.complete(chat('hi'), deployment(), ctx())
    expect(result.usage).toEqual({ prompt_tokens: 130, completion_tokens: 2, total_tokens: 132, prompt_tokens_details: { cached_tokens: 100 }, cache_creation_input_tokens: 20 })
  })

  test('maps toolUse blocks to tool calls', async () => {
    emu.script({ text: '', toolCalls: [WEATHER_CALL] })
    const result = await provider.complete(chat('weather?'), deployment(), ctx())
    expect({ content: result.content, toolCalls: result.toolCalls, finishReason: result.finishReason }).toEqual({
      content: null,
      toolCalls: [{ id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
      finishReason: 'tool_calls',
    })
  })

  test.each<ScriptedFinish>(['stop', 'length', 'tool_calls', 'content_filter'])('reports finish reason %s', async (finishReason) => {
    emu.script({ text: 'x', finishReason })
    expect((await provider.complete(chat('hi'), deployment(), ctx())).finishReason).toBe(finishReason)
  })

  test('falls back to AWS_ENDPOINT_URL_BEDROCK_RUNTIME and the SDK credential chain when params set neither', async () => {
    const params = { aws_bedrock_runtime_endpoint: undefined, aws_access_key_id: undefined, aws_secret_access_key: undefined }
    const env = { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: emu.url, AWS_ACCESS_KEY_ID: 'AKIDFROMENV', AWS_SECRET_ACCESS_KEY: 'test' }
    const result = await withEnv(env, () => createBedrockProvider().complete(chat('via env'), deployment(params), ctx()))
    expect({ content: result.content, requests: emu.requests.length }).toEqual({ content: 'via env', requests: 1 })
    expect(emu.requests[0]?.headers.authorization).toStartWith('AWS4-HMAC-SHA256 Credential=AKIDFROMENV/')
  })
})

/** Runs `fn` with the given environment variables set, restoring them afterwards. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  Object.assign(process.env, vars)
  try {
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

describe('HTTP errors', () => {
  test.each([
    ['ThrottlingException with retry-after to 429', { status: 429, name: 'ThrottlingException', message: 'Too many requests', retryAfter: '7' }, { status: 429, code: 'provider_rate_limited', retryAfter: '7' }],
    ['ThrottlingException without retry-after to 429 with a default', { status: 429, name: 'ThrottlingException', message: 'Too many requests' }, { status: 429, code: 'provider_rate_limited', retryAfter: '1' }],
    ['ValidationException to 400', { status: 400, name: 'ValidationException', message: 'temperature is out of range' }, { status: 400, code: 'provider_invalid_request', retryAfter: undefined }],
    ['AccessDeniedException to 403', { status: 403, name: 'AccessDeniedException', message: 'no access' }, { status: 403, code: 'provider_access_denied', retryAfter: undefined }],
  ])('maps %s, in one attempt, for complete and stream', async (_name, error, expected) => {
    emu.script({ error })
    const fromComplete = await provider.complete(chat('hi'), deployment(), ctx()).then(() => undefined, (e: GatewayError) => e)
    const fromStream = (await drain(provider.stream(chat('hi', { stream: true }), deployment(), ctx()))).error
    for (const err of [fromComplete, fromStream]) {
      expect(err).toBeInstanceOf(GatewayError)
      expect({ status: err?.status, code: err?.code, retryAfter: err?.headers['retry-after'] }).toEqual(expected)
    }
    // maxAttempts 1: one request per call, no SDK retries.
    expect(emu.requests.length).toBe(2)
  })

  test('maps a refused connection to provider_connection_error', async () => {
    const closed = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response() })
    const url = `http://127.0.0.1:${closed.port}`
    await closed.stop(true)
    const err = await provider.complete(chat('hi'), deployment({ aws_bedrock_runtime_endpoint: url }), ctx()).catch((e: GatewayError) => e)
    expect(err).toBeInstanceOf(GatewayError)
    expect((err as GatewayError).code).toBe('provider_connection_error')
  })
})

describe('stream', () => {
  test('streams text deltas, then finish and usage with cache tokens', async () => {
    emu.script({ text: 'Hello world', chunkChars: 6, usage: { input: 4, output: 2, cacheRead: 10, cacheWrite: 0 } })
    expect(await drain(provider.stream(chat('hi', { stream: true }), deployment(), ctx()))).toEqual({
      events: [
        { type: 'delta', text: 'Hello ' },
        { type: 'delta', text: 'world' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', usage: { prompt_tokens: 14, completion_tokens: 2, total_tokens: 16, prompt_tokens_details: { cached_tokens: 10 }, cache_creation_input_tokens: 0 } },
      ],
      error: undefined,
    })
    expect(emu.requests[0]?.path).toBe(`/model/${MODEL}/converse-stream`)
  })

  test('forwards tool-call argument pieces as they arrive, as tool call 0 after the text block', async () => {
    emu.script({ text: 'Hm', toolCalls: [WEATHER_CALL], chunkChars: 8 })
    const { events } = await drain(provider.stream(chat('weather?', { stream: true }), deployment(), ctx()))
    expect(events.slice(0, 5)).toEqual([
      { type: 'delta', text: 'Hm' },
      { type: 'delta', toolCalls: [{ index: 0, id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '' } }] },
      { type: 'delta', toolCalls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { type: 'delta', toolCalls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
      { type: 'finish', reason: 'tool_calls' },
    ])
  })

  test.each<ScriptedFinish>(['stop', 'length', 'tool_calls', 'content_filter'])('reports finish reason %s', async (finishReason) => {
    emu.script({ text: 'x', finishReason })
    const { events } = await drain(provider.stream(chat('hi', { stream: true }), deployment(), ctx()))
    expect(events.find((e) => e.type === 'finish')).toEqual({ type: 'finish', reason: finishReason })
  })

  test('throws the mapped error after the partial text on a mid-stream exception', async () => {
    emu.script({ text: 'Hello world', failAfterChunks: { chunks: 1, name: 'ModelStreamErrorException', message: 'model crashed' } })
    const { events, error } = await drain(provider.stream(chat('hi', { stream: true }), deployment(), ctx()))
    expect({ events, code: error?.code }).toEqual({ events: [{ type: 'delta', text: 'Hello' }], code: 'provider_stream_error' })
  })

  test('maps a mid-stream ThrottlingException to provider_rate_limited', async () => {
    emu.script({ text: 'Hello world', failAfterChunks: { chunks: 2, name: 'ThrottlingException', message: 'slow down' } })
    const { events, error } = await drain(provider.stream(chat('hi', { stream: true }), deployment(), ctx()))
    expect({ texts: events.length, code: error?.code }).toEqual({ texts: 2, code: 'provider_rate_limited' })
  })

  test('detects a stream that ends without messageStop as truncated', async () => {
    emu.script({ text: 'Hello world', truncateAfterChunks: 2 })
    const { events, error } = await drain(provider.stream(chat('hi', { stream: true }), deployment(), ctx()))
    expect({ events, code: error?.code }).toEqual({
      events: [{ type: 'delta', text: 'Hello' }, { type: 'delta', text: ' worl' }],
      code: 'provider_stream_truncated',
    })
  })
})

describe('abort', () => {
  test('aborting ctx.signal mid-stream ends the upstream request and throws the abort reason', async () => {
    emu.script({ text: 'a long answer that keeps coming', chunkDelayMs: 200 })
    const ac = new AbortController()
    const reason = errors.invalidRequest('client went away')
    const events: StreamEvent[] = []
    const error = await (async () => {
      for await (const e of provider.stream(chat('hi', { stream: true }), deployment(), ctx(ac.signal))) {
        events.push(e)
        ac.abort(reason)
      }
    })().then(() => undefined, (e: unknown) => e)
    await emu.waitFor(() => emu.requests[0]?.aborted === true, 1000)
    expect({ events: events.length, error, finished: emu.requests[0]?.finished }).toEqual({ events: 1, error: reason, finished: false })
  })

  test('aborting ctx.signal while waiting for a Converse reply ends the upstream request', async () => {
    emu.script({ firstTokenDelayMs: 5000 })
    const ac = new AbortController()
    const pending = provider.complete(chat('hi'), deployment(), ctx(ac.signal)).catch((e: GatewayError) => e)
    await emu.waitFor(() => emu.requests.length === 1)
    ac.abort()
    const err = await pending
    await emu.waitFor(() => emu.requests[0]?.aborted === true, 1000)
    expect((err as GatewayError).code).toBe('provider_timeout')
  })

  test('a consumer that stops reading early ends the upstream request', async () => {
    emu.script({ text: 'a long answer that keeps coming', chunkDelayMs: 200 })
    for await (const _ of provider.stream(chat('hi', { stream: true }), deployment(), ctx())) break
    await emu.waitFor(() => emu.requests[0]?.aborted === true, 1000)
  })
})

describe('emulator', () => {
  test('rejects an unsigned request with 403 in Bedrock error shape', async () => {
    const res = await fetch(`${emu.url}/model/${encodeURIComponent(MODEL)}/converse`, { method: 'POST', body: '{"messages":[]}' })
    expect({ status: res.status, type: res.headers.get('x-amzn-errortype')?.split(':')[0], body: await res.json() }).toEqual({
      status: 403,
      type: 'MissingAuthenticationTokenException',
      body: { message: 'Missing Authentication Token' },
    })
  })
})
