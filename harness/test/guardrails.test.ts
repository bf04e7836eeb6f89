/**
 * The guardrail suite against fake gateways that implement the blocking
 * contract (or fail it): a gateway that blocks passes all six checks, one
 * that leaks while streaming fails only the streaming check, one without a
 * guardrail fails every check but the normal conversation.
 */
import { expect, test } from 'bun:test'
import { parsePolicy } from '../src/policy-file.ts'
import { runHarness } from '../src/runner.ts'
import type { HarnessOptions, Report } from '../src/types.ts'
import { FAKE_MODEL, startFake, type FakeOptions } from './fakes.ts'

const verdicts = (report: Report): Record<string, string> =>
  Object.fromEntries(report.suites[0]!.checks.map((c) => [c.id.replace(`guardrails/${FAKE_MODEL}/`, ''), c.status]))

async function guardrails(flaws: FakeOptions, extra: Partial<HarnessOptions> = {}): Promise<Report> {
  await using fake = startFake(flaws)
  return await runHarness({ endpoint: fake.url, key: fake.key, suites: ['guardrails'], timeoutMs: 3000, ...extra })
}

const ALL_PASS = { direct: 'pass', history: 'pass', normal: 'pass', output: 'pass', 'output-stream': 'pass', indirect: 'pass' }

test('a gateway that blocks (400 envelope, content_filter) passes all six checks', async () => {
  const report = await guardrails({ guardrail: 'blocking' })
  expect(verdicts(report)).toEqual(ALL_PASS)
  const notes = Object.fromEntries(report.suites[0]!.checks.map((c) => [c.id.split('/').at(-1), c.note]))
  expect(notes).toMatchObject({
    direct: 'blocked: HTTP 400 guardrail_violation/content_policy_violation',
    'output-stream': 'blocked: finish_reason "content_filter"',
    normal: 'answered: "The capital of France is Paris."',
  })
})

test('a gateway that leaks the flagged word while streaming fails only that check', async () => {
  const report = await guardrails({ guardrail: 'leaky-stream' })
  expect(verdicts(report)).toEqual({ ...ALL_PASS, 'output-stream': 'fail' })
  expect(report.suites[0]!.checks[4]!.reason).toStartWith('flagged word "duckies" reached the client in the stream')
})

test('a gateway without a guardrail fails every check but the normal conversation', async () => {
  const report = await guardrails({ guardrail: 'none' })
  expect(verdicts(report)).toEqual({ direct: 'fail', history: 'fail', normal: 'pass', output: 'fail', 'output-stream': 'fail', indirect: 'fail' })
  expect(report.suites[0]!.checks.map((c) => c.reason ?? '')).toEqual([
    'flagged word "duckies" reached the client: "You said: Tell me about duckies"',
    'flagged word "bunnies" reached the client: "You asked: "Tell me about bunnies""',
    '',
    'flagged word "duckies" reached the client: "duckies"',
    'flagged word "duckies" reached the client in the stream: "duckies"',
    'flagged word "Bunny" reached the client: "Bunny."',
  ])
})

test('a passthrough violation message counts as blocked only when the policy names its pattern', async () => {
  expect(verdicts(await guardrails({ guardrail: 'message' }))).toEqual({ ...ALL_PASS, direct: 'fail', output: 'fail', 'output-stream': 'fail', indirect: 'fail' })
  const policy = parsePolicy('violation_pattern: "violates the content policy"')
  expect(verdicts(await guardrails({ guardrail: 'message' }, { policy }))).toEqual(ALL_PASS)
})

test('the policy decides the words, prompts and expectations', async () => {
  // With only "paris" flagged, the blocking fake's model says Paris unguarded: the normal check now leaks.
  const policy = parsePolicy(JSON.stringify({ words: ['paris'], checks: { normal: { prompt: 'What is the capital of France?', expect: 'no-leak' } } }))
  const report = await guardrails({ guardrail: 'blocking' }, { policy })
  expect(verdicts(report).normal).toBe('fail')
  expect(report.suites[0]!.checks[2]!.reason).toStartWith('flagged word "Paris" reached the client')
})

test('a named guardrail model the gateway does not know fails: a 404 is not a block', async () => {
  await using fake = startFake({ guardrail: 'blocking' })
  const report = await runHarness({ endpoint: fake.url, key: fake.key, suites: ['guardrails'], guardrailModels: ['other-model'], timeoutMs: 3000 })
  const checks = report.suites[0]!.checks
  expect(checks.map((c) => [c.group, c.status])).toEqual(Array.from({ length: 6 }, () => ['other-model', 'fail']))
  expect(checks[0]!.reason).toBe('not blocked: HTTP 404 invalid_request_error/model_not_found: Unknown model.')
})
