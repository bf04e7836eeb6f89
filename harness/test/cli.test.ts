/**
 * The CLI as operators run it (a real process): exit codes, output formats,
 * environment fallbacks and the unreachable-endpoint message.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { startFake, type Fake } from './fakes.ts'

const ROOT = join(import.meta.dir, '..', '..')

async function cli(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn(['bun', 'harness/src/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
  return { out, err, code }
}

describe('harness CLI', () => {
  let fake: Fake
  let dir: string
  beforeAll(() => {
    fake = startFake({ guardrail: 'leaky-stream' })
    dir = mkdtempSync(join(tmpdir(), 'harness-cli-'))
  })
  afterAll(async () => {
    await fake.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--suite', 'health,nope'], 'unknown suite nope'],
    [['--report', 'xml'], '--report: expected one of table, json, junit'],
    [['--timeout', '0'], '--timeout: expected a positive number of seconds'],
  ])('usage error %p exits 2 with a message', async (args, message) => {
    const r = await cli(['--key', 'k', ...args])
    expect({ code: r.code, out: r.out }).toEqual({ code: 2, out: '' })
    expect(r.err).toContain(message)
    expect(r.err).toContain('--help')
  })

  test('a missing key is a usage error', async () => {
    const r = await cli(['--endpoint', fake.url])
    expect(r.code).toBe(2)
    expect(r.err).toBe('harness: no API key: pass --key or set LITELLM_MASTER_KEY\nRun with --help for usage.\n')
  })

  test('a bad guardrail policy file is a usage error naming the key', async () => {
    const file = join(dir, 'policy.yaml')
    await Bun.write(file, 'words: [x]\nchecks:\n  direct: { promt: "typo" }\n')
    const r = await cli(['--guardrail-policy', file], { ENDPOINT: fake.url, LITELLM_MASTER_KEY: fake.key })
    expect(r.code).toBe(2)
    expect(r.err).toContain('checks.direct.promt: unknown key')
  })

  test('--help documents every flag and exits 0', async () => {
    const r = await cli(['--help'])
    expect(r.code).toBe(0)
    for (const flag of ['--endpoint', '--key', '--suite', '--models', '--guardrail-models', '--guardrail-policy', '--timeout', '--report', '--out', 'ENDPOINT', 'LITELLM_MASTER_KEY']) {
      expect(r.out).toContain(flag)
    }
  })

  test('ENDPOINT and LITELLM_MASTER_KEY are read from the environment; a failed check exits 1', async () => {
    const r = await cli(['--suite', 'guardrails'], { ENDPOINT: fake.url, LITELLM_MASTER_KEY: fake.key })
    expect(r.code).toBe(1)
    expect(r.out).toContain("Model 'fake-model' Results: 5/6 tests passed")
    expect(r.out).toContain('❌ Output blocked while streaming: flagged word "duckies" reached the client in the stream')
    expect(r.out).toMatch(/^5 passed, 1 failed$/m)
  })

  test('--report json prints the report as JSON', async () => {
    const r = await cli(['--endpoint', fake.url, '--key', fake.key, '--suite', 'health', '--report', 'json'])
    expect(r.code).toBe(0)
    const report = JSON.parse(r.out)
    expect(report.summary).toEqual({ passed: 3, failed: 0, skipped: 0, total: 3 })
  })

  test('--report junit --out writes well-formed JUnit XML and still prints the table', async () => {
    const file = join(dir, 'junit.xml')
    const r = await cli(['--endpoint', fake.url, '--key', fake.key, '--suite', 'guardrails', '--report', 'junit', '--out', file])
    expect(r.code).toBe(1)
    expect(r.out).toContain('5 passed, 1 failed')
    const text = await Bun.file(file).text()
    expect(XMLValidator.validate(text)).toBe(true)
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(text)
    expect(doc.testsuites).toMatchObject({ tests: '6', failures: '1', skipped: '0' })
    expect(doc.testsuites.testsuite.testcase[4]).toMatchObject({ classname: 'guardrails.fake-model', name: 'Output blocked while streaming' })
  })

  test('an unreachable endpoint exits 1 with one clear line, no stack trace', async () => {
    const stopped = startFake()
    const url = stopped.url
    await stopped.stop()
    const r = await cli(['--endpoint', url, '--key', 'k', '--timeout', '2'])
    expect(r.code).toBe(1)
    expect(r.err).toBe('')
    expect(r.out).toContain(`❌ Endpoint reachable: cannot reach ${url}/v1/models: ECONNREFUSED`)
    expect(r.out).not.toMatch(/\n\s+at /)
    expect(r.out).toMatch(/^0 passed, 1 failed$/m)
  })
})
