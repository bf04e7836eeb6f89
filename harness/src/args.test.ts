import { describe, expect, test } from 'bun:test'
import { DEFAULT_ENDPOINT, parseCli } from './args.ts'

describe('parseCli', () => {
  test('defaults: every suite, table report, 60 s timeout, 2 MiB oversize, endpoint from the default', () => {
    expect(parseCli(['--key', 'sk-1'], {})).toEqual({
      kind: 'run',
      options: {
        endpoint: DEFAULT_ENDPOINT,
        key: 'sk-1',
        suites: ['health', 'models', 'guardrails', 'production'],
        timeoutMs: 60_000,
        oversizeBytes: 2 * 1024 * 1024,
        report: 'table',
      },
    })
  })

  test('reads ENDPOINT and LITELLM_MASTER_KEY; flags win over the environment', () => {
    const env = { ENDPOINT: 'https://gw.example/v1/', LITELLM_MASTER_KEY: 'sk-env' }
    expect(parseCli([], env)).toMatchObject({ kind: 'run', options: { endpoint: 'https://gw.example', key: 'sk-env' } })
    expect(parseCli(['--endpoint', 'http://other:4000', '--key', 'sk-flag'], env)).toMatchObject({ options: { endpoint: 'http://other:4000', key: 'sk-flag' } })
  })

  test('parses lists, numbers, formats and the policy path', () => {
    const parsed = parseCli(
      ['--key', 'k', '--suite', 'production, health', '--models', 'a,b', '--guardrail-models', 'c', '--timeout', '2.5', '--oversize-mb', '4', '--report', 'junit', '--out', 'r.xml', '--guardrail-policy', 'p.yaml'],
      {},
    )
    expect(parsed).toEqual({
      kind: 'run',
      options: {
        endpoint: DEFAULT_ENDPOINT,
        key: 'k',
        suites: ['health', 'production'],
        models: ['a', 'b'],
        guardrailModels: ['c'],
        guardrailPolicy: 'p.yaml',
        timeoutMs: 2500,
        oversizeBytes: 4 * 1024 * 1024,
        report: 'junit',
        out: 'r.xml',
      },
    })
  })

  test('--help and -h ask for help', () => {
    expect(parseCli(['--help'], {})).toEqual({ kind: 'help' })
    expect(parseCli(['-h', '--bogus-after'], {})).toMatchObject({ kind: 'usage-error' })
    expect(parseCli(['-h'], {})).toEqual({ kind: 'help' })
  })

  test.each([
    [['--key', 'k', '--nope'], "Unknown option '--nope'"],
    [['--key', 'k', 'positional'], 'positional'],
    [[], 'no API key: pass --key or set LITELLM_MASTER_KEY'],
    [['--key', 'k', '--endpoint', 'ftp://x'], '--endpoint: expected an http:// or https:// URL, got "ftp://x"'],
    [['--key', 'k', '--endpoint', 'not a url'], '--endpoint: "not a url" is not a URL'],
    [['--key', 'k', '--suite', 'health,bogus'], '--suite: unknown suite bogus (known: health, models, guardrails, production, all)'],
    [['--key', 'k', '--suite', ','], '--suite: expected a comma-separated list'],
    [['--key', 'k', '--models', ''], '--models: expected a comma-separated list of model names'],
    [['--key', 'k', '--timeout', 'soon'], '--timeout: expected a positive number of seconds'],
    [['--key', 'k', '--timeout=-1'], '--timeout: expected a positive number of seconds'],
    [['--key', 'k', '--oversize-mb', '0'], '--oversize-mb: expected a positive number of MiB'],
    [['--key', 'k', '--report', 'html'], '--report: expected one of table, json, junit'],
    [['--key', 'k', '--out', ''], '--out: expected a file path'],
    [['--key'], "Option '--key <value>' argument missing"],
  ])('usage error for %p', (argv, message) => {
    const parsed = parseCli(argv, {})
    expect(parsed.kind).toBe('usage-error')
    expect(parsed.kind === 'usage-error' && parsed.message).toContain(message)
  })
})
