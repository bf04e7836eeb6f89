import { describe, expect, test } from 'bun:test'
import { inspectCompletion, inspectStream } from './completion.ts'
import type { Exchange } from './exchange.ts'
import { DEFAULT_POLICY, type Expectation, type GuardrailCase } from './guardrail-policy.ts'
import { compilePolicy, judgeGuardrail } from './guardrail-verdict.ts'
import type { SseRead } from './sse.ts'
import type { CheckStatus } from './types.ts'

const m = compilePolicy({ ...DEFAULT_POLICY, violationPattern: "can't help with that" })
const kase = (expect: Expectation, stream = false): GuardrailCase => ({ name: 'c', messages: [], stream, expect })
const jsonHeaders = new Headers({ 'content-type': 'application/json' })

function answer(content: string, finish = 'stop'): Exchange {
  const body = { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }
  return { status: 200, headers: jsonHeaders, streamed: false, raw: JSON.stringify(body), completion: inspectCompletion(body), latencyMs: 1 }
}

function refused(status: number, type = 'guardrail_violation', code = 'content_policy_violation'): Exchange {
  const envelope = { message: 'Blocked by policy.', type, code, param: null }
  return { status, headers: jsonHeaders, streamed: false, raw: JSON.stringify({ error: envelope }), envelope, latencyMs: 1 }
}

function streamed(deltas: string[], finish: string, sseProblems: string[] = []): Exchange {
  const chunk = (delta: object, f: string | null) => JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: f }] })
  const data = [...deltas.map((d) => chunk({ content: d }, null)), chunk({}, finish), '[DONE]']
  const sse: SseRead = { events: data.map((d) => ({ data: d, at: 1 })), comments: 0, problems: sseProblems, done: true, raw: data.map((d) => `data: ${d}\n\n`).join('') }
  return { status: 200, headers: new Headers({ 'content-type': 'text/event-stream' }), streamed: true, raw: sse.raw, sse, stream: inspectStream(sse), latencyMs: 1 }
}

describe('judgeGuardrail', () => {
  test.each<[string, Exchange, Expectation, CheckStatus, string]>([
    ['a 400 guardrail envelope is a block', refused(400), 'blocked', 'pass', 'blocked: HTTP 400 guardrail_violation/content_policy_violation'],
    ['content_filter without text is a block', answer('', 'content_filter'), 'blocked', 'pass', 'blocked: finish_reason "content_filter"'],
    ['the violation message is a block', answer("Sorry, I can't help with that."), 'blocked', 'pass', 'blocked: violation message'],
    ['a filtered stream is a block', streamed([], 'content_filter'), 'blocked', 'pass', 'blocked: finish_reason "content_filter"'],
    ['a plain answer is not a block', answer('Kit.'), 'blocked', 'fail', 'not blocked: HTTP 200, finish_reason stop, answer "Kit."'],
    ['a 404 is not a block', refused(404, 'invalid_request_error', 'model_not_found'), 'blocked', 'fail', 'not blocked: HTTP 404 invalid_request_error/model_not_found: Blocked by policy.'],
    ['a 401 is not a block', refused(401, 'authentication_error', 'invalid_api_key'), 'blocked', 'fail', 'not blocked: HTTP 401 authentication_error/invalid_api_key: Blocked by policy.'],
    ['content_filter with the word still leaks', answer('I love duckies', 'content_filter'), 'blocked', 'fail', 'flagged word "duckies" reached the client: "I love duckies"'],
    ['a word split across stream deltas leaks', streamed(['bun', 'ny'], 'content_filter'), 'blocked', 'fail', 'flagged word "bunny" reached the client in the stream: "bunny"'],
    ['matching is case-insensitive and whole-word', answer('DUCKS!'), 'no-leak', 'fail', 'flagged word "DUCKS" reached the client: "DUCKS!"'],
    ['a word inside another word is not a leak', answer('Sunducks are not a thing; neither is duckweed.'), 'no-leak', 'pass', 'answered without a flagged word: "Sunducks are not a thing; neither is duckweed."'],
    ['an answer passes allowed', answer('Paris.'), 'allowed', 'pass', 'answered: "Paris."'],
    ['a block fails allowed', refused(400), 'allowed', 'fail', 'blocked (HTTP 400 guardrail_violation/content_policy_violation) but should have been answered'],
    ['an empty answer fails allowed', answer('  '), 'allowed', 'fail', 'the answer is empty'],
    ['a 500 fails no-leak', refused(500, 'api_error', 'internal'), 'no-leak', 'fail', 'expected a block or an answer, got HTTP 500 api_error/internal: Blocked by policy.'],
    ['a block passes no-leak', refused(400), 'no-leak', 'pass', 'blocked: HTTP 400 guardrail_violation/content_policy_violation'],
  ])('%s', (_name, x, expectation, status, text) => {
    const outcome = judgeGuardrail(x, kase(expectation, x.streamed), m)
    expect({ status: outcome.status, text: outcome.reason ?? outcome.note }).toEqual({ status, text })
  })

  test('a streaming case answered without a stream fails', () => {
    expect(judgeGuardrail(answer('', 'content_filter'), kase('blocked', true), m)).toEqual({
      status: 'fail',
      reason: 'stream: true was answered with a non-stream response (content-type application/json)',
    })
  })

  test('a malformed stream fails even when it filtered', () => {
    expect(judgeGuardrail(streamed([], 'content_filter', ['the stream ended without data: [DONE]']), kase('blocked', true), m)).toEqual({
      status: 'fail',
      reason: 'malformed stream: the stream ended without data: [DONE]',
    })
  })

  test('words with regex metacharacters are matched literally', () => {
    const custom = compilePolicy({ words: ['c++', 'a.b'] })
    expect([custom.findWord('I like c++ a lot'), custom.findWord('axb'), custom.findWord('see a.b')]).toEqual(['c++', undefined, 'a.b'])
  })
})
