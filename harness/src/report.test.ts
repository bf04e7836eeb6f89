import { describe, expect, test } from 'bun:test'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { metricsText, renderJson, renderJunit, renderTable, xml } from './report.ts'
import { assemble } from './runner.ts'
import type { CheckResult, Report, SuiteReport } from './types.ts'

function suite(name: string, checks: Array<Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>>): SuiteReport {
  const full = checks.map((c) => ({ suite: name, name: c.id, durationMs: 5, ...c }))
  const n = (s: string) => full.filter((c) => c.status === s).length
  return { name, checks: full, passed: n('pass'), failed: n('fail'), skipped: n('skip'), durationMs: 15 }
}

const REPORT: Report = assemble({
  endpoint: 'http://gw:4000',
  startedAt: '2026-01-02T03:04:05.000Z',
  durationMs: 1234,
  models: ['nova-micro'],
  suites: [
    suite('health', [
      { id: 'health/liveliness', name: 'Liveliness endpoint answers', status: 'pass', note: 'GET /health/liveliness 200' },
      { id: 'health/readiness', name: 'Readiness endpoint answers', status: 'skip', note: 'no readiness endpoint' },
    ]),
    suite('guardrails', [
      { id: 'guardrails/nova-micro/direct', group: 'nova-micro', name: 'Direct mention blocked', status: 'pass', metrics: { latencyMs: 40 } },
      {
        id: 'guardrails/nova-micro/output-stream',
        group: 'nova-micro',
        name: 'Output blocked while streaming',
        status: 'fail',
        reason: 'flagged word "duckies" <leaked> & "quoted" \u0001',
        metrics: { latencyMs: 90, ttftMs: 12, promptTokens: 5, completionTokens: 3, totalTokens: 8 },
      },
    ]),
  ],
})

describe('renderTable', () => {
  test('groups by suite and model, marks each check, and ends with the count', () => {
    expect(renderTable(REPORT)).toBe(
      [
        'Conformance harness · http://gw:4000 · 2026-01-02T03:04:05.000Z',
        'Models: nova-micro',
        '',
        '== Health ==',
        '  ✅ Liveliness endpoint answers (GET /health/liveliness 200)',
        '  ⏭️  Readiness endpoint answers: skipped (no readiness endpoint)',
        '  Health Results: 1/1 tests passed (1 skipped)',
        '',
        '== Guardrails ==',
        "  Model 'nova-micro'",
        '    ✅ Direct mention blocked  [40 ms]',
        '    ❌ Output blocked while streaming: flagged word "duckies" <leaked> & "quoted" \u0001  [90 ms, ttft 12 ms, tokens 5+3=8]',
        "  Model 'nova-micro' Results: 1/2 tests passed",
        '',
        '2 passed, 1 failed, 1 skipped',
        '',
      ].join('\n'),
    )
  })
})

describe('renderJson', () => {
  test('round-trips the report', () => {
    expect(JSON.parse(renderJson(REPORT))).toEqual(REPORT)
  })
})

describe('renderJunit', () => {
  test('is well-formed XML with one testsuite per suite and failures and skips marked', () => {
    const text = renderJunit(REPORT)
    expect(XMLValidator.validate(text)).toBe(true)
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(text)
    expect(doc.testsuites).toMatchObject({ name: 'llm-gateway conformance', tests: '4', failures: '1', skipped: '1', time: '1.234' })
    const [health, guardrails] = doc.testsuites.testsuite
    expect(health.testcase[1]).toMatchObject({ classname: 'health', name: 'Readiness endpoint answers', skipped: { message: 'no readiness endpoint' } })
    expect(guardrails.properties.property).toEqual({ name: 'endpoint', value: 'http://gw:4000' })
    expect(guardrails.testcase[1].classname).toBe('guardrails.nova-micro')
    expect(guardrails.testcase[1].failure.message).toBe('flagged word "duckies" <leaked> & "quoted"') // control character dropped, parser trims
  })

  test('escapes markup and drops characters XML cannot carry', () => {
    expect(xml(`a<b>&"c"'d'\u0000\u001f\uD800e`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;e')
  })
})

test('metricsText summarises latency, ttft and usage', () => {
  expect([metricsText(undefined), metricsText({ latencyMs: 3 }), metricsText({ latencyMs: 3, ttftMs: 1, totalTokens: 9 })]).toEqual(['', '3 ms', '3 ms, ttft 1 ms, tokens ?+?=9'])
})
