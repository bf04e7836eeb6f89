/**
 * The original deployment's six guardrail scenarios, for a Bedrock model and a
 * Perplexity model through their emulators, with the deployment's own
 * guardrail (custom_guardrail.DuckiesBunniesGuardrail, passthrough, pre_call +
 * post_call) resolved from the bundled example. Each asserts what the client
 * received and what the provider actually saw.
 */
import { describe, expect, test } from 'bun:test'
import { useEmulatedGateway } from './emulated.ts'
import type { Emulator } from './emulators/script.ts'
import { ORIGINAL_GUARDRAILS, chunksOf, jsonOf, readSse } from './utils.ts'

import { DEFAULT_VIOLATION_MESSAGE as VIOLATION } from '../src/guardrails/violation.ts'
const FLAGGED = /duck|bunn/i

const env = useEmulatedGateway((e) => `
${e.modelList('nova-micro', 'perplexity-sonar')}
${ORIGINAL_GUARDRAILS}`)

type Msg = { role: string; content: string }
const user = (content: string): Msg => ({ role: 'user', content })

/** Sends the conversation; returns the text the client saw, the finish reason, and status. */
async function converse(model: string, messages: Msg[], stream: boolean) {
  const res = await env.gw.post('/v1/chat/completions', { model, messages, stream })
  if (!stream) {
    const body = await jsonOf(res)
    return { status: res.status, text: body.choices?.[0]?.message?.content as string, finish: body.choices?.[0]?.finish_reason as string, headers: res.headers }
  }
  const { data } = await readSse(res)
  const chunks = chunksOf(data)
  return {
    status: res.status,
    text: chunks.map((c) => c.choices[0]?.delta.content ?? '').join(''),
    finish: chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason as string,
    done: data.at(-1) === '[DONE]',
    headers: res.headers,
  }
}

/** Every text the provider received in its requests. */
function providerSaw(emu: Emulator): string {
  return JSON.stringify(emu.requests.map((r) => r.body))
}

describe.each([
  ['nova-micro', () => env.bedrock],
  ['perplexity-sonar', () => env.perplexity],
] as const)('%s', (model, emu) => {
  test.each([false, true])('1. a direct mention in the user message gets the 200 passthrough message, never reaching the provider (stream: %p)', async (stream) => {
    const r = await converse(model, [user('Tell me everything about duckies.')], stream)
    expect({ status: r.status, text: r.text, finish: r.finish }).toEqual({ status: 200, text: VIOLATION, finish: 'content_filter' })
    expect(r.headers.get('x-guardrails-applied')).toBe('duckies-bunnies-detector')
    expect(emu().requests).toHaveLength(0)
  })

  test.each([false, true])('2. a flagged earlier turn in history does not reach the provider, and the answer to it goes too (stream: %p)', async (stream) => {
    emu().script({ text: 'Paris.' })
    const r = await converse(model, [
      user('What do bunnies eat?'),
      { role: 'assistant', content: 'Bunnies eat hay.' },
      user('Tell me about my earlier question'),
      { role: 'assistant', content: VIOLATION },
      user('What is the capital of France?'),
    ], stream)
    expect({ status: r.status, text: r.text, finish: r.finish }).toEqual({ status: 200, text: 'Paris.', finish: 'stop' })
    expect(emu().requests).toHaveLength(1)
    expect(providerSaw(emu())).not.toMatch(FLAGGED)
    expect(providerSaw(emu())).toContain('Tell me about my earlier question')
    expect(providerSaw(emu())).not.toContain(VIOLATION)
  })

  test.each([false, true])('3. a normal conversation reaches the provider untouched and comes back untouched (stream: %p)', async (stream) => {
    emu().script({ text: 'Paris is the capital of France.' })
    const messages = [user('Hi!'), { role: 'assistant', content: 'Hello, how can I help?' }, user('What is the capital of France?')]
    const r = await converse(model, messages, stream)
    expect({ status: r.status, text: r.text, finish: r.finish }).toEqual({ status: 200, text: 'Paris is the capital of France.', finish: 'stop' })
    expect(providerSaw(emu())).toContain('Hello, how can I help?')
    expect(providerSaw(emu())).toContain('Hi!')
  })

  test('4. flagged model output is blocked without streaming', async () => {
    emu().script({ text: 'Sure! I love duckies, they are great.' })
    const r = await converse(model, [user('What is your favourite animal?')], false)
    expect({ status: r.status, text: r.text, finish: r.finish }).toEqual({ status: 200, text: VIOLATION, finish: 'content_filter' })
  })

  test('5. flagged model output is blocked while streaming, with stream kept true end to end', async () => {
    emu().script({ text: 'Sure! My favourite animals are duckies, they are great.', chunkChars: 3 })
    const r = await converse(model, [user('What is your favourite animal?')], true)
    expect(r.status).toBe(200)
    expect(r.text).not.toMatch(FLAGGED)
    expect(r.text.endsWith(VIOLATION)).toBe(true)
    expect({ finish: r.finish, done: r.done }).toEqual({ finish: 'content_filter', done: true })
    const sent = emu().requests[0]!
    expect(model === 'nova-micro' ? sent.path.endsWith('/converse-stream') : (sent.body as { stream: boolean }).stream).toBe(true)
  })

  test.each([false, true])('6. an indirect question whose answer contains the flagged word is blocked at output (stream: %p)', async (stream) => {
    emu().script({ text: 'A baby rabbit is called a bunny, or a kit.', chunkChars: 4 })
    const r = await converse(model, [user('What do you call a baby rabbit?')], stream)
    expect(r.status).toBe(200)
    expect(r.text).not.toMatch(FLAGGED)
    expect(r.text).toContain(VIOLATION)
    expect(r.finish).toBe('content_filter')
  })
})

describe('metrics', () => {
  test('count every flag by guardrail, stage and action', async () => {
    const m = env.gw.services.guardrails.metrics
    const before = m.get('duckies-bunnies-detector', 'input', 'passthrough')
    await converse('nova-micro', [user('bunnies!')], false)
    expect(m.get('duckies-bunnies-detector', 'input', 'passthrough')).toBe(before + 1)
    expect(m.snapshot().map((c) => `${c.stage}:${c.action}`)).toEqual(expect.arrayContaining(['input:passthrough', 'history:removed', 'output:passthrough', 'stream_output:passthrough']))
  })
})
