/**
 * Each provider through the whole gateway (in-process server on a real
 * socket) against its emulator: stream fidelity, error mapping in both
 * modes, and upstream aborts when the client goes away.
 */
import { describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { bedrockParams } from './emulated.ts'
import { startBedrockEmulator } from './emulators/bedrock.ts'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import { waitUntil, type Emulator } from './emulators/script.ts'
import { chunksOf, jsonOf, readSse, startGateway, upstreams, useGatewayAndUpstream, type TestGateway } from './utils.ts'

let bedrock: Emulator
let perplexity: Emulator
let openai: Emulator
let gw: TestGateway
let client: OpenAI

useGatewayAndUpstream(async () => {
  bedrock = await startBedrockEmulator()
  perplexity = await startOpenAICompatibleEmulator({ flavor: 'perplexity', apiKey: 'pplx-e2e' })
  openai = await startOpenAICompatibleEmulator({ flavor: 'openai', apiKey: 'sk-upstream' })
  const claude = 'anthropic.claude-3-haiku-20240307-v1:0'
  gw = await startGateway({
    yaml: `
model_list:
  - model_name: claude
    litellm_params: ${bedrockParams(bedrock.url, claude)}
  - model_name: claude-capped
    litellm_params: ${bedrockParams(bedrock.url, claude, ', max_tokens: 77')}
  - model_name: sonar
    litellm_params:
      model: perplexity/sonar
      api_key: pplx-e2e
      api_base: ${perplexity.url}
  - model_name: local-llama
    litellm_params:
      model: openai/llama-3-8b
      api_key: sk-upstream
      api_base: ${openai.url}/v1
router_settings:
  allowed_fails: 1000   # these tests provoke failures on purpose; cooldown has its own tests
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`,
  })
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 })
  return { gw, upstream: upstreams(bedrock, perplexity, openai) }
})

const PROVIDERS = [
  ['bedrock', 'claude', () => bedrock],
  ['perplexity', 'sonar', () => perplexity],
  ['openai-compatible', 'local-llama', () => openai],
] as const

const ask = (model: string, content: string, extra: Record<string, unknown> = {}) =>
  gw.post('/v1/chat/completions', { model, messages: [{ role: 'user', content }], ...extra })

describe.each(PROVIDERS)('%s through the gateway', (_name, model, emu) => {
  test('stream and non-stream give the same text and the same usage for the same scripted reply', async () => {
    emu().script({ text: 'Twelve words, in small chunks, to check that both modes agree.', chunkChars: 3, usage: { input: 11, output: 13 } })
    const plain = await jsonOf(await ask(model, 'q'))
    const { data } = await readSse(await ask(model, 'q', { stream: true, stream_options: { include_usage: true } }))
    const chunks = chunksOf(data)
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(plain.choices[0].message.content)
    expect(chunks.at(-1)!.usage).toEqual(plain.usage)
    expect(plain.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 13, total_tokens: 24 })
  })

  test('every chunk has choice index 0 and nothing but usage follows the finish chunk', async () => {
    emu().script({ text: 'abcdefghij', chunkChars: 2 })
    const { data } = await readSse(await ask(model, 'q', { stream: true, stream_options: { include_usage: true } }))
    const chunks = chunksOf(data)
    expect(chunks.flatMap((c) => c.choices.map((ch: { index: number }) => ch.index))).toEqual(chunks.filter((c) => c.choices.length).map(() => 0))
    const finishAt = chunks.findIndex((c) => c.choices[0]?.finish_reason)
    expect(chunks.slice(finishAt + 1).map((c) => c.choices)).toEqual([[]])
    expect(data.at(-1)).toBe('[DONE]')
  })

  test('an upstream throttle becomes a 429 envelope with retry-after, in both modes', async () => {
    const name = model === 'claude' ? 'ThrottlingException' : 'rate_limit_exceeded'
    emu().script({ error: { status: 429, name, message: 'slow down', retryAfter: '7' } })
    for (const stream of [false, true]) {
      const res = await ask(model, 'q', { stream })
      expect(res.status).toBe(429)
      expect(res.headers.get('retry-after')).toBe('7')
      expect((await jsonOf(res)).error).toMatchObject({ type: 'rate_limit_error', code: 'provider_rate_limited' })
    }
  })

  test('a failure after the first chunk ends the stream with an error event and [DONE], never finish_reason stop', async () => {
    const name = model === 'claude' ? 'modelStreamErrorException' : 'server_error'
    emu().script({ text: 'Hello, this will break', chunkChars: 5, failAfterChunks: { chunks: 2, name, message: 'model crashed' } })
    const err = await (async () => {
      const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'q' }], stream: true })
      let text = ''
      try {
        for await (const c of stream) {
          text += c.choices[0]?.delta.content ?? ''
          expect(c.choices[0]?.finish_reason ?? null).toBeNull()
        }
      } catch (e) {
        return { text, e: e as InstanceType<typeof OpenAI.APIError> }
      }
      return { text, e: undefined }
    })()
    expect(err.text).toBe('Hello, thi')
    expect(err.e).toBeInstanceOf(OpenAI.APIError)
    expect(err.e?.message).toContain('provider')
  })

  test('an upstream stream that ends without its stop event is reported as truncated', async () => {
    emu().script({ text: 'cut short here', chunkChars: 4, truncateAfterChunks: 2 })
    const { data } = await readSse(await ask(model, 'q', { stream: true }))
    expect(JSON.parse(data.at(-2)!).error.code).toBe('provider_stream_truncated')
    expect(data.at(-1)).toBe('[DONE]')
  })

  test('a client that disconnects mid-stream makes the gateway abort the upstream request', async () => {
    emu().script({ text: 'x'.repeat(400), chunkChars: 4, chunkDelayMs: 20 })
    const ac = new AbortController()
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST', headers: gw.headers(), signal: ac.signal,
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'q' }], stream: true }),
    })
    const reader = res.body!.getReader()
    await reader.read()
    ac.abort()
    await waitUntil(() => emu().requests[0]?.aborted === true, 2000)
    expect(emu().requests[0]!.finished).toBe(false)
  })

  test('a client that disconnects while waiting for a non-stream answer makes the gateway abort the upstream request', async () => {
    emu().script({ text: 'late', firstTokenDelayMs: 3000 })
    const ac = new AbortController()
    const pending = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST', headers: gw.headers(), signal: ac.signal,
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'q' }] }),
    }).catch(() => undefined)
    await waitUntil(() => emu().requests.length === 1, 2000)
    ac.abort()
    await pending
    await waitUntil(() => emu().requests[0]?.aborted === true, 2000)
  })
})

describe('provider specifics', () => {
  test('Bedrock tool-call argument deltas reach the client as they arrive, as tool call 0', async () => {
    bedrock.script({ toolCalls: [{ id: 'tooluse_1', name: 'weather', arguments: '{"city":"Oslo","unit":"C"}' }], chunkChars: 6 })
    const { data } = await readSse(await ask('claude', 'weather?', {
      stream: true, tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
    }))
    const deltas = chunksOf(data).flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])
    expect(deltas[0]).toEqual({ index: 0, id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '' } })
    expect(deltas.slice(1).map((d: { function: { arguments: string } }) => d.function.arguments)).toEqual(['{"city', '":"Osl', 'o","un', 'it":"C', '"}'])
    expect(deltas.every((d: { index: number }) => d.index === 0)).toBe(true)
    expect(chunksOf(data).find((c) => c.choices[0]?.finish_reason)!.choices[0].finish_reason).toBe('tool_calls')
  })

  test('Bedrock receives the system prompt as system blocks and merged same-role turns', async () => {
    await ask('claude', 'second', { messages: [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'first' }, { role: 'user', content: 'second' }], max_tokens: 50, temperature: 0.2 })
    expect(bedrock.requests[0]!.body).toMatchObject({
      system: [{ text: 'Be terse.' }],
      messages: [{ role: 'user', content: [{ text: 'first' }, { text: 'second' }] }],
      inferenceConfig: { maxTokens: 50, temperature: 0.2 },
    })
  })

  test("a deployment's max_tokens applies when the request sets none, and the request's own wins", async () => {
    await ask('claude-capped', 'q')
    await ask('claude-capped', 'q', { max_tokens: 5 })
    expect(bedrock.requests.map((r) => (r.body as { inferenceConfig?: { maxTokens?: number } }).inferenceConfig?.maxTokens)).toEqual([77, 5])
  })

  test('Bedrock cache tokens are reported as cached prompt tokens in both modes', async () => {
    bedrock.script({ text: 'cached', usage: { input: 10, output: 2, cacheRead: 30, cacheWrite: 5 } })
    const plain = await jsonOf(await ask('claude', 'q'))
    const { data } = await readSse(await ask('claude', 'q', { stream: true, stream_options: { include_usage: true } }))
    expect(plain.usage).toEqual({ prompt_tokens: 45, completion_tokens: 2, total_tokens: 47, prompt_tokens_details: { cached_tokens: 30 }, cache_creation_input_tokens: 5 })
    expect(chunksOf(data).at(-1)!.usage).toEqual(plain.usage)
  })

  test('Perplexity citations and search results pass through in both modes', async () => {
    perplexity.script({ text: 'Sourced answer.', citations: ['https://a.example/1'], searchResults: [{ title: 'A', url: 'https://a.example/1' }] })
    const plain = await jsonOf(await ask('sonar', 'q'))
    expect({ citations: plain.citations, search_results: plain.search_results }).toEqual({
      citations: ['https://a.example/1'], search_results: [expect.objectContaining({ title: 'A', url: 'https://a.example/1' })],
    })
    const chunks = chunksOf((await readSse(await ask('sonar', 'q', { stream: true }))).data)
    expect(chunks.find((c) => c.citations)?.citations).toEqual(['https://a.example/1'])
    expect(chunks.find((c) => c.search_results)?.search_results).toEqual([expect.objectContaining({ url: 'https://a.example/1' })])
  })

  test("Perplexity's own search parameters are forwarded to Perplexity only", async () => {
    await ask('sonar', 'q', { search_recency_filter: 'week', search_domain_filter: ['example.com'] })
    expect(perplexity.requests[0]!.body).toMatchObject({ model: 'sonar', search_recency_filter: 'week', search_domain_filter: ['example.com'] })
  })

  test('Bedrock access denied becomes a 403 envelope that leaks no ARN', async () => {
    bedrock.script({ error: { status: 403, name: 'AccessDeniedException', message: 'User arn:aws:iam::123456789012:role/x is not authorized' } })
    const res = await ask('claude', 'q')
    expect(res.status).toBe(403)
    const text = await res.text()
    expect(text).not.toContain('arn:aws')
    expect(text).not.toContain('123456789012')
  })
})
