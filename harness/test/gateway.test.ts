/**
 * The harness against our real gateway (in process, mock models): the
 * health, models and production suites are all green, through the API and
 * through the CLI's exit code.
 */
import { describe, expect, test } from 'bun:test'
import { MOCK_CONFIG, ORIGINAL_GUARDRAILS, startGateway } from '../../gateway/test/utils.ts'
import { runHarness } from '../src/runner.ts'
import { FAKE_KEY, FAKE_MODEL, startFake } from './fakes.ts'

const statuses = (report: Awaited<ReturnType<typeof runHarness>>) =>
  Object.fromEntries(report.suites.flatMap((s) => s.checks.map((c) => [c.id, c.status])))

describe('harness against llm-gateway', () => {
  test('health, models and production suites all pass', async () => {
    await using gw = await startGateway({ yaml: MOCK_CONFIG })
    const report = await runHarness({ endpoint: gw.url, key: gw.key, suites: ['health', 'models', 'production'], timeoutMs: 5000 })
    const failures = report.suites.flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.reason}`))
    expect(failures).toEqual([])
    expect(report.models).toEqual(['mock-echo', 'mock-fixed'])
    expect(statuses(report)).toEqual({
      'health/liveliness': 'pass',
      'health/readiness': 'pass',
      'health/models-listed': 'pass',
      'models/mock-echo/chat': 'pass',
      'models/mock-echo/stream': 'pass',
      'models/mock-fixed/chat': 'pass',
      'models/mock-fixed/stream': 'pass',
      'production/no-key': 'pass',
      'production/wrong-key': 'pass',
      'production/unknown-model': 'pass',
      'production/malformed-json': 'pass',
      'production/oversize-body': 'pass',
      'production/no-leaks': 'pass',
      'production/stream-framing': 'pass',
      'production/tls': 'skip',
      'production/no-version-banners': 'pass',
    })
    const stream = report.suites[1]!.checks.find((c) => c.id === 'models/mock-fixed/stream')!
    expect(stream.metrics).toMatchObject({ ttftMs: expect.any(Number), latencyMs: expect.any(Number), totalTokens: expect.any(Number) })
  })

  test('the CLI exits 0 and prints the table with its final count', async () => {
    await using gw = await startGateway({ yaml: MOCK_CONFIG })
    const proc = Bun.spawn(['bun', 'harness/src/cli.ts', '--endpoint', `${gw.url}/v1`, '--suite', 'health,models,production', '--models', 'mock-echo'], {
      cwd: `${import.meta.dir}/../..`,
      env: { ...process.env, LITELLM_MASTER_KEY: gw.key, ENDPOINT: 'http://127.0.0.1:9' },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited])
    expect({ code, err }).toEqual({ code: 0, err: '' })
    expect(out).toContain("Model 'mock-echo' Results: 2/2 tests passed")
    expect(out).toContain('✅ No key → 401 with an error envelope')
    expect(out).toMatch(/^13 passed, 0 failed, 1 skipped$/m)
  })

  test('an unavailable model fails the models suite with its 503, and stream framing is judged on a model that answers', async () => {
    const yaml = `model_list:
  - model_name: nova-micro
    litellm_params:
      model: bedrock/amazon.nova-micro-v1:0
      aws_region_name: os.environ/AWS_REGION
${MOCK_CONFIG.replace('model_list:\n', '')}`
    await using gw = await startGateway({ yaml })
    const report = await runHarness({ endpoint: gw.url, key: gw.key, suites: ['models', 'production'], timeoutMs: 5000 })
    const failed = report.suites.flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) => [c.id, c.reason]))
    expect(failed).toEqual([
      ['models/nova-micro/chat', expect.stringContaining('expected 200, got HTTP 503 service_unavailable_error/model_unavailable')],
      ['models/nova-micro/stream', expect.stringContaining('expected 200, got HTTP 503 service_unavailable_error/model_unavailable')],
    ])
    expect(report.suites[1]!.checks.find((c) => c.id === 'production/stream-framing')!.note).toStartWith('mock-echo: ')
  })
})

describe('guardrail suite against llm-gateway', () => {
  test("all six checks pass with the original deployment's guardrail, for a model that answers like a real one", async () => {
    // The fake's model answers the guardrail prompts the way a real model would ("duckies", "Bunny.", Paris,
    // repeating history), without any guardrail of its own: the gateway's guardrails must do all the work.
    await using upstream = startFake({ guardrail: 'none' })
    await using gw = await startGateway({
      yaml: `
model_list:
  - model_name: guarded
    litellm_params: { model: openai/${FAKE_MODEL}, api_key: ${FAKE_KEY}, api_base: "${upstream.url}/v1" }
${ORIGINAL_GUARDRAILS}`,
    })
    const report = await runHarness({ endpoint: gw.url, key: gw.key, suites: ['guardrails'], timeoutMs: 5000 })
    const checks = report.suites.flatMap((s) => s.checks)
    expect(checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.reason}`)).toEqual([])
    expect(checks).toHaveLength(6)
  })
})
