/**
 * Renders a `Report` (pure functions): a readable table grouped by suite and
 * model in the original test scripts' style, JSON, and JUnit XML for CI.
 */
import type { CheckMetrics, CheckResult, Report, SuiteReport } from './types.ts'

export type ReportFormat = 'table' | 'json' | 'junit'
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'junit']

const MARK = { pass: '✅', fail: '❌', skip: '⏭️ ' } as const
const TITLES: Record<string, string> = { health: 'Health', models: 'Models', guardrails: 'Guardrails', production: 'Production', connectivity: 'Connectivity' }

export function render(report: Report, format: ReportFormat): string {
  if (format === 'json') return renderJson(report)
  if (format === 'junit') return renderJunit(report)
  return renderTable(report)
}

/** The human table: ✅/❌ per check, the reason on failure, per-model result lines, a final count. */
export function renderTable(report: Report): string {
  const lines = [`Conformance harness · ${report.endpoint} · ${report.startedAt}`]
  if (report.models.length > 0) lines.push(`Models: ${report.models.join(', ')}`)
  for (const suite of report.suites) {
    lines.push('', `== ${TITLES[suite.name] ?? suite.name} ==`)
    const groups = groupChecks(suite.checks)
    for (const [group, checks] of groups) {
      const indent = group === undefined ? '  ' : '    '
      if (group !== undefined) lines.push(`  Model '${group}'`)
      for (const check of checks) lines.push(indent + checkLine(check))
      if (group !== undefined) lines.push(`  Model '${group}' Results: ${tally(checks)}`)
    }
    if (groups.length !== 1 || groups[0]![0] === undefined) lines.push(`  ${TITLES[suite.name] ?? suite.name} Results: ${tally(suite.checks)}`)
  }
  const { passed, failed, skipped } = report.summary
  lines.push('', `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`)
  return `${lines.join('\n')}\n`
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`
}

/** JUnit XML: one `<testsuite>` per suite, one `<testcase>` per check (classname `suite.model`). */
export function renderJunit(report: Report): string {
  const s = report.summary
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="llm-gateway conformance" tests="${s.total}" failures="${s.failed}" errors="0" skipped="${s.skipped}" time="${seconds(report.durationMs)}">`,
  ]
  for (const suite of report.suites) out.push(...junitSuite(suite, report))
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}

function junitSuite(suite: SuiteReport, report: Report): string[] {
  const out = [
    `  <testsuite name="${xml(suite.name)}" tests="${suite.checks.length}" failures="${suite.failed}" errors="0" skipped="${suite.skipped}" time="${seconds(suite.durationMs)}" timestamp="${xml(report.startedAt)}">`,
    '    <properties>',
    `      <property name="endpoint" value="${xml(report.endpoint)}"/>`,
    '    </properties>',
  ]
  for (const check of suite.checks) {
    const classname = check.group === undefined ? suite.name : `${suite.name}.${check.group}`
    const open = `    <testcase classname="${xml(classname)}" name="${xml(check.name)}" time="${seconds(check.durationMs)}"`
    const detail = [`id: ${check.id}`, check.note, metricsText(check.metrics)].filter(Boolean).join('\n')
    if (check.status === 'fail') {
      out.push(`${open}>`, `      <failure message="${xml(check.reason ?? 'failed')}" type="conformance">${xml([check.reason, detail].join('\n'))}</failure>`, '    </testcase>')
    } else if (check.status === 'skip') {
      out.push(`${open}>`, `      <skipped message="${xml(check.note ?? 'skipped')}"/>`, '    </testcase>')
    } else {
      out.push(`${open}>`, `      <system-out>${xml(detail)}</system-out>`, '    </testcase>')
    }
  }
  out.push('  </testsuite>')
  return out
}

function checkLine(check: CheckResult): string {
  const metrics = metricsText(check.metrics)
  const tail = metrics ? `  [${metrics}]` : ''
  if (check.status === 'fail') return `${MARK.fail} ${check.name}: ${check.reason ?? 'failed'}${tail}`
  if (check.status === 'skip') return `${MARK.skip} ${check.name}: skipped (${check.note ?? 'no reason given'})`
  return `${MARK.pass} ${check.name}${check.note ? ` (${check.note})` : ''}${tail}`
}

function tally(checks: CheckResult[]): string {
  const passed = checks.filter((c) => c.status === 'pass').length
  const skipped = checks.filter((c) => c.status === 'skip').length
  return `${passed}/${checks.length - skipped} tests passed${skipped > 0 ? ` (${skipped} skipped)` : ''}`
}

/** "412 ms, ttft 120 ms, tokens 12+5=17". */
export function metricsText(m: CheckMetrics | undefined): string {
  if (!m) return ''
  const parts: string[] = []
  if (m.latencyMs !== undefined) parts.push(`${m.latencyMs} ms`)
  if (m.ttftMs !== undefined) parts.push(`ttft ${m.ttftMs} ms`)
  if (m.totalTokens !== undefined) parts.push(`tokens ${m.promptTokens ?? '?'}+${m.completionTokens ?? '?'}=${m.totalTokens}`)
  return parts.join(', ')
}

/** Checks in order, grouped by consecutive `group` (ungrouped checks form their own runs). */
function groupChecks(checks: CheckResult[]): Array<[string | undefined, CheckResult[]]> {
  const groups: Array<[string | undefined, CheckResult[]]> = []
  for (const check of checks) {
    const last = groups.at(-1)
    if (last && last[0] === check.group) last[1].push(check)
    else groups.push([check.group, [check]])
  }
  return groups
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3)
}

/** Escapes text for XML attributes and content, dropping characters XML 1.0 forbids. */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}
