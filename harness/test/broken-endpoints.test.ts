/**
 * The harness judges: against fakes that each break one rule, exactly the
 * check that owns the rule fails and every other check passes (or skips).
 */
import { expect, test } from 'bun:test'
import { runHarness } from '../src/runner.ts'
import type { Report, SuiteName } from '../src/types.ts'
import { FAKE_MODEL, startFake, type FakeOptions } from './fakes.ts'

const failing = (report: Report) => report.suites.flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) => c.id))
const run = (url: string, key: string, suites: SuiteName[]) => runHarness({ endpoint: url, key, suites, timeoutMs: 3000 })
const ALL_BUT_GUARDRAILS: SuiteName[] = ['health', 'models', 'production']

test('a well-behaved fake passes every check', async () => {
  await using fake = startFake()
  const report = await run(fake.url, fake.key, ALL_BUT_GUARDRAILS)
  expect(failing(report)).toEqual([])
  expect(report.summary).toEqual({ passed: 13, failed: 0, skipped: 1, total: 14 })
})

test.each<[string, FakeOptions, SuiteName[], string[]]>([
  ['answers 200 without a key', { openWithoutKey: true }, ALL_BUT_GUARDRAILS, ['production/no-key']],
  ['answers 500 with a stack trace', { stackTraceOnBadBody: true }, ALL_BUT_GUARDRAILS, ['production/no-leaks']],
  ['sends a server: nginx/1.25.3 banner', { serverHeader: 'nginx/1.25.3' }, ALL_BUT_GUARDRAILS, ['production/no-version-banners']],
  // Stream framing is judged per model by the models suite and once more by the production suite.
  ['sends malformed SSE (models suite)', { malformedSse: true }, ['health', 'models'], [`models/${FAKE_MODEL}/stream`]],
  ['sends malformed SSE (production suite)', { malformedSse: true }, ['production'], ['production/stream-framing']],
  ['ends streams without [DONE] (models suite)', { noDone: true }, ['health', 'models'], [`models/${FAKE_MODEL}/stream`]],
  ['ends streams without [DONE] (production suite)', { noDone: true }, ['production'], ['production/stream-framing']],
])('a fake that %s fails exactly that check', async (_name, flaws, suites, expected) => {
  await using fake = startFake(flaws)
  const report = await run(fake.url, fake.key, suites)
  expect(failing(report)).toEqual(expected)
})

test('reasons name what was wrong', async () => {
  const reasons: Record<string, string | undefined> = {}
  for (const [name, flaws] of [
    ['no-key', { openWithoutKey: true }],
    ['stack', { stackTraceOnBadBody: true }],
    ['banner', { serverHeader: 'nginx/1.25.3' }],
    ['sse', { malformedSse: true }],
    ['done', { noDone: true }],
  ] as const) {
    await using fake = startFake(flaws)
    const report = await run(fake.url, fake.key, ['production'])
    reasons[name] = report.suites[0]!.checks.find((c) => c.status === 'fail')?.reason
  }
  expect(reasons['no-key']).toStartWith('POST /v1/chat/completions answered HTTP 200')
  expect(reasons.stack).toBe('POST /v1/chat/completions (HTTP 500) leaks a JavaScript stack frame, an internal dependency path')
  expect(reasons.banner).toBe('server: nginx/1.25.3 (on GET /v1/models)')
  expect(reasons.sse).toContain('data is not JSON')
  expect(reasons.done).toBe(`${FAKE_MODEL}: the stream ended without data: [DONE]`)
})

test('an unreachable endpoint is one clear failure, not a stack trace', async () => {
  const fake = startFake()
  const url = fake.url
  await fake.stop()
  const report = await run(url, 'sk-x', ALL_BUT_GUARDRAILS)
  expect(report.ok).toBe(false)
  expect(report.suites.map((s) => s.checks.map((c) => [c.id, c.status]))).toEqual([[['connectivity/endpoint-reachable', 'fail']]])
  expect(report.suites[0]!.checks[0]!.reason).toStartWith(`cannot reach ${url}/v1/models: ECONNREFUSED`)
})
