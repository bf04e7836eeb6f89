/**
 * The migration promise: the original LiteLLM deployment's config file loads
 * unchanged and its seven models answer, streaming and not, through the real
 * gateway process against the Bedrock and Perplexity emulators (real AWS SDK,
 * real fetch, the official openai client).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import OpenAI from 'openai'
import { startBedrockEmulator } from './emulators/bedrock.ts'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import type { Emulator } from './emulators/script.ts'
import { SHARED_FIXTURES, spawnGateway, type SpawnedGateway } from './spawn.ts'

const CONFIG = join(SHARED_FIXTURES, 'litellm_config.original.yaml')
const MASTER = 'sk-original-master-key-for-tests'
const MODELS = ['nova-micro', 'nova-lite', 'nova-pro', 'llama3-2-1b', 'llama3-2-3b', 'perplexity-sonar', 'perplexity-sonar-pro']

let bedrock: Emulator
let perplexity: Emulator
let gw: SpawnedGateway
let client: OpenAI

beforeAll(async () => {
  bedrock = await startBedrockEmulator()
  perplexity = await startOpenAICompatibleEmulator({ flavor: 'perplexity', apiKey: 'pplx-test-key' })
  gw = await spawnGateway(['--config', CONFIG, '--host', '127.0.0.1'], {
    LITELLM_MASTER_KEY: MASTER,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: bedrock.url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    PERPLEXITY_API_KEY: 'pplx-test-key',
    PERPLEXITY_API_BASE: perplexity.url,
  })
  client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: MASTER, maxRetries: 0 })
})
afterAll(async () => {
  await gw?.stop()
  await bedrock?.stop()
  await perplexity?.stop()
})

describe('the original deployment config', () => {
  test('lists its seven models', async () => {
    const ids: string[] = []
    for await (const m of client.models.list()) ids.push(m.id)
    expect(ids).toEqual(MODELS)
  })

  test('reports every model available in readiness', async () => {
    const body = (await (await fetch(`${gw.url}/health/readiness`)).json()) as { models: Array<{ model_name: string; status: string }> }
    expect(body.models.map((m) => [m.model_name, m.status])).toEqual(MODELS.map((m) => [m, 'available']))
  })

  test.each(MODELS)('%s answers without streaming', async (model) => {
    const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: `hello from ${model}` }] })
    expect(r.choices[0]!.message.content).toBe(`hello from ${model}`)
    expect(r.choices[0]!.finish_reason).toBe('stop')
    expect(r.usage!.total_tokens).toBeGreaterThan(0)
    expect(r.model).toBe(model)
  })

  test.each(MODELS)('%s answers while streaming', async (model) => {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: `stream from ${model}` }], stream: true })
    let text = ''
    let finish: string | null | undefined
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
    }
    expect({ text, finish }).toEqual({ text: `stream from ${model}`, finish: 'stop' })
  })

  test("blocks a mention of duckies with the deployment's own guardrail, as the original did", async () => {
    const before = bedrock.requests.length
    const r = await client.chat.completions.create({ model: 'nova-micro', messages: [{ role: 'user', content: 'I love duckies' }] })
    expect(r.choices[0]!.finish_reason).toBe('content_filter')
    expect(r.choices[0]!.message.content).not.toMatch(/duck/i)
    expect(bedrock.requests.length).toBe(before)
  })

  test('sent the Bedrock models to Bedrock with their upstream ids and SigV4, and Perplexity models with the key', () => {
    const bedrockModels = new Set(bedrock.requests.map((r) => r.path.split('/')[2]))
    expect([...bedrockModels].sort()).toEqual(
      ['amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0', 'amazon.nova-pro-v1:0', 'us.meta.llama3-2-1b-instruct-v1:0', 'us.meta.llama3-2-3b-instruct-v1:0'],
    )
    expect(bedrock.requests.every((r) => r.headers.authorization?.startsWith('AWS4-HMAC-SHA256'))).toBe(true)
    expect(new Set(perplexity.requests.map((r) => (r.body as { model: string }).model))).toEqual(new Set(['sonar', 'sonar-pro']))
    expect(perplexity.requests.every((r) => r.headers.authorization === 'Bearer pplx-test-key')).toBe(true)
  })
})
