/**
 * The official `openai` npm client against the running gateway: both modes,
 * models.list, and its typed errors.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { MOCK_CONFIG, startGateway, type TestGateway } from './utils.ts'

let gw: TestGateway
let client: OpenAI

beforeAll(async () => {
  gw = await startGateway({ yaml: MOCK_CONFIG })
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 })
})
afterAll(() => gw.stop())

describe('the openai client', () => {
  test('creates a completion without streaming', async () => {
    const r = await client.chat.completions.create({ model: 'mock-echo', messages: [{ role: 'user', content: 'ping' }] })
    expect(r.choices[0]!.message.content).toBe('ping')
    expect(r.usage).toEqual({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })
  })

  test('creates a streamed completion and accumulates the same text, with usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'mock-fixed', messages: [{ role: 'user', content: 'go' }], stream: true, stream_options: { include_usage: true },
    })
    let text = ''
    let finish: string | null = null
    let usage: OpenAI.CompletionUsage | undefined | null
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      usage = chunk.usage ?? usage
    }
    expect({ text, finish, usage }).toEqual({
      text: 'The quick brown fox jumps over the lazy dog.',
      finish: 'stop',
      usage: { prompt_tokens: 1, completion_tokens: 11, total_tokens: 12 },
    })
  })

  test('runs the stream helper to a final message', async () => {
    const runner = client.chat.completions.stream({ model: 'mock-echo', messages: [{ role: 'user', content: 'accumulate me' }] })
    const final = await runner.finalChatCompletion()
    expect(final.choices[0]!.message.content).toBe('accumulate me')
  })

  test('lists models', async () => {
    const ids: string[] = []
    for await (const m of client.models.list()) ids.push(m.id)
    expect(ids).toEqual(['mock-echo', 'mock-fixed'])
  })

  test('raises AuthenticationError for a wrong key', async () => {
    const bad = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 })
    const err = await bad.chat.completions.create({ model: 'mock-echo', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(err.status).toBe(401)
  })

  test('raises BadRequestError naming the param', async () => {
    const err = await client.chat.completions.create({ model: 'mock-echo', messages: [{ role: 'user', content: 'x' }], temperature: 7 }).catch((e) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect({ param: err.param, code: err.code }).toEqual({ param: 'temperature', code: 'invalid_request' })
  })

  test('raises BadRequestError for a bad streamed request too', async () => {
    const err = await client.chat.completions.create({ model: 'mock-echo', messages: [], stream: true }).catch((e) => e)
    expect(err).toBeInstanceOf(OpenAI.BadRequestError)
    expect(err.param).toBe('messages')
  })

  test('raises NotFoundError for an unknown model', async () => {
    const err = await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e)
    expect(err).toBeInstanceOf(OpenAI.NotFoundError)
    expect(err.code).toBe('model_not_found')
  })
})
