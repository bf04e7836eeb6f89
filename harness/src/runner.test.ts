import { describe, expect, test } from 'bun:test'
import { CheckFailed } from './check.ts'
import { runCheck, runHarness, runSuite } from './runner.ts'
import type { Check } from './types.ts'

const check = (id: string, run: Check['run']): Check => ({ id, name: id, run })

describe('runCheck', () => {
  test('a check that returns nothing passes; outcomes pass through', async () => {
    expect(await runCheck('s', check('a', async () => undefined), 1000)).toMatchObject({ id: 'a', suite: 's', status: 'pass' })
    expect(await runCheck('s', check('b', async () => ({ status: 'skip', note: 'n/a' })), 1000)).toMatchObject({ status: 'skip', note: 'n/a' })
  })

  test('thrown errors fail the check with their reason and never escape', async () => {
    expect(await runCheck('s', check('a', async () => Promise.reject(new CheckFailed('bad shape', { latencyMs: 3 }))), 1000)).toMatchObject({
      status: 'fail',
      reason: 'bad shape',
      metrics: { latencyMs: 3 },
    })
    expect(await runCheck('s', check('b', () => Promise.reject(new RangeError('boom'))), 1000)).toMatchObject({ status: 'fail', reason: 'RangeError: boom' })
    const sync: Check['run'] = () => {
      throw new Error('sync')
    }
    expect(await runCheck('s', check('c', sync), 1000)).toMatchObject({ status: 'fail', reason: 'Error: sync' })
  })

  test('a check past its timeout fails as timed out and its signal aborts', async () => {
    let aborted: unknown
    const hanging = check('slow', (signal) => {
      signal.addEventListener('abort', () => (aborted = signal.reason))
      return new Promise(() => {})
    })
    const started = performance.now()
    const result = await runCheck('s', hanging, 50)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(result).toMatchObject({ status: 'fail', reason: 'timed out after 0.05 s' })
    expect(aborted).toBeInstanceOf(DOMException)
  })

  test('a check that ignores its signal and rejects late is abandoned without an unhandled rejection', async () => {
    const late = check('late', () => new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 80)))
    expect(await runCheck('s', late, 20)).toMatchObject({ status: 'fail', reason: 'timed out after 0.02 s' })
    await Bun.sleep(100)
  })
})

test('runSuite counts verdicts in order', async () => {
  const suite = await runSuite('x', [check('a', async () => undefined), check('b', async () => ({ status: 'fail', reason: 'r' })), check('c', async () => ({ status: 'skip', note: 'n' }))], 1000)
  expect({ ...suite, durationMs: 0, checks: suite.checks.map((c) => c.id) }).toEqual({ name: 'x', checks: ['a', 'b', 'c'], passed: 1, failed: 1, skipped: 1, durationMs: 0 })
})

test('runHarness resolves with a failed report for an endpoint that never answers', async () => {
  await using server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Promise<Response>(() => {}) })
  const report = await runHarness({ endpoint: `http://127.0.0.1:${server.port}`, key: 'k', timeoutMs: 100 })
  expect(report.ok).toBe(false)
  expect(report.suites[0]!.checks[0]).toMatchObject({ id: 'connectivity/endpoint-reachable', status: 'fail', reason: expect.stringContaining('no answer from') })
})
