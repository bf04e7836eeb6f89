import { afterEach, describe, expect, mock, spyOn, test } from 'bun:test'
import type { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatRequest } from '../../openai/types.ts'
import type { CallContext, Deployment } from '../types.ts'
import { createOpenAICompatibleProvider, OPENAI_API_BASE, OPENAI_PARAMS, RESPONSE_BODY_LIMIT } from './index.ts'

const ctx: CallContext = { signal: new AbortController().signal, requestId: 'r', dropParams: false }
const req: ChatRequest = { model: 'alias', messages: [{ role: 'user', content: 'hi' }], stream: false }
const deployment = (params: Record<string, unknown>): Deployment => ({
  id: 'd#0',
  modelName: 'alias',
  provider: 'openai',
  upstreamModel: 'gpt-4o-mini',
  params,
})
const completion = {
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
}

/** Replaces fetch with one that records the call and answers `res`. */
function fakeFetch(res: () => Response) {
  const calls: Array<{ url: string; headers: Record<string, string> }> = []
  spyOn(globalThis, 'fetch').mockImplementation((async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), headers: { ...(init?.headers as Record<string, string>) } })
    return res()
  }) as typeof fetch)
  return { calls }
}

afterEach(() => {
  mock.restore()
})

describe('createOpenAICompatibleProvider', () => {
  test('declares the OpenAI parameters by default', () => {
    expect([...createOpenAICompatibleProvider().supportedParams].sort()).toEqual([...OPENAI_PARAMS].sort())
  })

  test.each([
    ['the OpenAI base when nothing is configured', {}, {}, `${OPENAI_API_BASE}/chat/completions`],
    ['the deployment api_base without its trailing slashes', { api_base: 'http://up.test/v1//' }, {}, 'http://up.test/v1/chat/completions'],
    ['the default base of the options', {}, { defaultApiBase: 'http://default.test' }, 'http://default.test/chat/completions'],
  ])('posts to %s', async (_name, params, opts, url) => {
    const { calls } = fakeFetch(() => Response.json(completion))
    await createOpenAICompatibleProvider(opts).complete(req, deployment(params), ctx)
    expect(calls.map((c) => c.url)).toEqual([url])
  })

  test('sends no authorization header when the deployment has no api_key', async () => {
    const { calls } = fakeFetch(() => Response.json(completion))
    await createOpenAICompatibleProvider().complete(req, deployment({}), ctx)
    expect(calls[0]?.headers).toEqual({ 'content-type': 'application/json', accept: 'application/json' })
  })

  test('asks for an event stream when streaming', async () => {
    const { calls } = fakeFetch(() => new Response('data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'))
    const events = await Array.fromAsync(createOpenAICompatibleProvider().stream({ ...req, stream: true }, deployment({ api_key: 'k' }), ctx))
    expect({ headers: calls[0]?.headers, events }).toEqual({
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer k' },
      events: [{ type: 'finish', reason: 'stop' }],
    })
  })

  test('a perplexity adapter without any api base reports the model unavailable', async () => {
    const err = await createOpenAICompatibleProvider({ name: 'perplexity' })
      .complete(req, deployment({}), ctx)
      .then(() => undefined, (e: unknown) => e as GatewayError)
    expect({ status: err?.status, code: err?.code }).toEqual({ status: 503, code: 'model_unavailable' })
  })

  test.each([
    ['a body that is not JSON', () => new Response('<html>oops</html>')],
    ['a body that is not JSON, with its length declared', () => new Response('<html>oops</html>', { headers: { 'content-length': '17' } })],
    ['an empty body', () => new Response('', { headers: { 'content-length': '0' } })],
    ['a declared length over the size limit', () => new Response('{}', { headers: { 'content-length': String(64 * 1024 * 1024) } })],
    ['a body over the size limit', () => new Response(hugeBody())],
  ])('maps %s to provider_bad_response', async (_name, res) => {
    fakeFetch(res)
    const err = await createOpenAICompatibleProvider()
      .complete(req, deployment({}), ctx)
      .then(() => undefined, (e: unknown) => e as GatewayError)
    expect({ status: err?.status, code: err?.code }).toEqual({ status: 502, code: 'provider_bad_response' })
  })
})

function hugeBody(): ReadableStream<Uint8Array> {
  const mib = new Uint8Array(1024 * 1024).fill(0x20)
  let sent = 0
  return new ReadableStream({
    pull(c) {
      if (sent > RESPONSE_BODY_LIMIT) c.close()
      else c.enqueue(mib)
      sent += mib.length
    },
  })
}
