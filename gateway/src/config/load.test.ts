import { afterEach, describe as suite, expect, test } from 'bun:test'
import { ConfigError, loadConfig, type LoadedConfig } from './load.ts'

const MODEL = 'model_list:\n  - model_name: m\n    litellm_params: { model: mock/echo }\n'

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    loadConfig({ text, env })
  } catch (e) {
    if (e instanceof ConfigError) return e.problems
    throw e
  }
  throw new Error('expected a ConfigError')
}

test('applies the documented defaults when no settings are given', () => {
  const c = loadConfig({ text: MODEL, env: {} })
  expect({ settings: c.settings, masterKey: c.masterKey, guardrails: c.guardrails, warnings: c.warnings, source: c.source })
    .toEqual({
      settings: {
        dropParams: false,
        requestTimeoutMs: 600_000,
        numRetries: 0,
        retryPolicy: {},
        maxRequestBodyBytes: 1024 * 1024,
        streamKeepaliveMs: 5000,
        routingStrategy: 'simple-shuffle',
        streamIdleTimeoutMs: 60_000,
        allowedFails: 3,
        cooldownMs: 5000,
      },
      masterKey: undefined,
      guardrails: [],
      warnings: [],
      source: '<config text>',
    })
})

test('lets router_settings override litellm_settings and warns about the conflict', () => {
  const c = loadConfig({
    text: `${MODEL}litellm_settings: { num_retries: 2, request_timeout: 600 }\nrouter_settings: { num_retries: 3, timeout: 30 }\n`,
    env: {},
  })
  expect([c.settings.numRetries, c.settings.requestTimeoutMs, c.warnings]).toEqual([3, 30_000, [
    'router_settings.num_retries overrides litellm_settings.num_retries (both are set, to different values)',
    'router_settings.timeout overrides litellm_settings.request_timeout (both are set, to different values)',
  ]])
})

test('converts our own keys to milliseconds and bytes', () => {
  const c = loadConfig({ text: `${MODEL}general_settings: { stream_keepalive_seconds: 0.5, max_request_size_mb: 2 }\n`, env: {} })
  expect([c.settings.streamKeepaliveMs, c.settings.maxRequestBodyBytes]).toEqual([500, 2 * 1024 * 1024])
})

test('turns the spend log retention period and interval into milliseconds, the interval a day by default', () => {
  const settings = (g: string) => loadConfig({ text: `${MODEL}general_settings: ${g}\n`, env: {} })
  expect(settings('{ maximum_spend_logs_retention_period: 7d, maximum_spend_logs_retention_interval: 6h }').settings.spendLogRetention)
    .toEqual({ maxAgeMs: 7 * 86_400_000, everyMs: 6 * 3_600_000 })
  expect(settings('{ maximum_spend_logs_retention_period: 3600s }').settings.spendLogRetention).toEqual({ maxAgeMs: 3_600_000, everyMs: 86_400_000 })
  const intervalOnly = settings('{ maximum_spend_logs_retention_interval: 1h }')
  expect(intervalOnly.settings.spendLogRetention).toBeUndefined()
  expect(intervalOnly.warnings).toContain(
    'general_settings.maximum_spend_logs_retention_interval has no effect without general_settings.maximum_spend_logs_retention_period; spend logs are kept',
  )
})

test('builds deployments with ids, providers and upstream models split at the first slash', () => {
  const c = loadConfig({
    text: `model_list:
  - { model_name: gpt, litellm_params: { model: openai/gpt-4o } }
  - { model_name: gpt, litellm_params: { model: openai/org/model:v1, api_base: "http://vllm:8000/v1" }, model_info: { id: local } }
  - { model_name: canned, litellm_params: { model: mock/fixed, mock_response: hi } }
`,
    env: {},
  })
  expect(c.deployments).toEqual([
    { id: 'gpt#0', modelName: 'gpt', provider: 'openai', upstreamModel: 'gpt-4o', params: { model: 'openai/gpt-4o' } },
    {
      id: 'local', modelName: 'gpt', provider: 'openai', upstreamModel: 'org/model:v1',
      params: { model: 'openai/org/model:v1', api_base: 'http://vllm:8000/v1' }, info: { id: 'local' },
    },
    { id: 'canned#2', modelName: 'canned', provider: 'mock', upstreamModel: 'fixed', params: { model: 'mock/fixed', mock_response: 'hi' } },
  ])
})

test('names every missing variable of a deployment in its reason', () => {
  const c = loadConfig({
    text: 'model_list:\n  - { model_name: b, litellm_params: { model: bedrock/x, aws_region_name: os.environ/R, aws_access_key_id: os.environ/K } }\n',
    env: {},
  })
  expect(c.deployments[0]?.unavailableReason).toBe('environment variables R and K are not set')
})

test('coerces referenced numbers and booleans by the schema', () => {
  const c = loadConfig({
    text: `${MODEL}litellm_settings: { request_timeout: os.environ/T, drop_params: os.environ/D }\n`,
    env: { T: '30', D: 'true' },
  })
  expect([c.settings.requestTimeoutMs, c.settings.dropParams]).toEqual([30_000, true])
})

suite('environment_variables', () => {
  const text = `${MODEL}environment_variables: { GW_TEST_REGION: eu-west-1, GW_TEST_PORT: 6379, GW_TEST_SET: from-file }
router_settings: { redis_port: os.environ/GW_TEST_PORT }
general_settings: { master_key: os.environ/GW_TEST_SET }
`
  afterEach(() => {
    for (const name of ['GW_TEST_REGION', 'GW_TEST_PORT', 'GW_TEST_SET']) delete process.env[name]
  })

  test('are used for references without overriding variables already set', () => {
    const env = { GW_TEST_SET: 'from-env' }
    const c: LoadedConfig = loadConfig({ text, env })
    expect([c.masterKey, c.config.router_settings.redis_port, c.environment, env]).toEqual([
      'from-env', 6379, { GW_TEST_REGION: 'eu-west-1', GW_TEST_PORT: '6379' }, { GW_TEST_SET: 'from-env' },
    ])
  })

  test('are exported into process.env when resolving from it', () => {
    process.env.GW_TEST_SET = 'from-env'
    loadConfig({ text, env: process.env })
    expect([process.env.GW_TEST_REGION, process.env.GW_TEST_PORT, process.env.GW_TEST_SET]).toEqual([
      'eu-west-1', '6379', 'from-env',
    ])
  })
})

test.each([
  ['an empty file', '', ['(top level): expected a mapping with model_list and settings, got an empty document']],
  ['a comment-only file', '# nothing\n', ['(top level): expected a mapping with model_list and settings, got an empty document']],
  ['a top-level list', '- a\n', ['(top level): expected a mapping with model_list and settings, got a list of 1 item']],
  ['a duplicate YAML key', 'model_list: []\nmodel_list: []\n', ['2:1: YAML syntax error: duplicated mapping key']],
  ['a missing variable outside model_list', `${MODEL}litellm_settings: { num_retries: os.environ/NR }\n`,
    ['litellm_settings.num_retries: environment variable NR is not set']],
  ['a missing variable naming a model', 'model_list:\n  - { model_name: m, litellm_params: { model: os.environ/M } }\n',
    ['model_list[0].litellm_params.model: environment variable M is not set']],
  ['a missing required key', 'model_list:\n  - { litellm_params: { model: mock/echo } }\n',
    ['model_list[0].model_name: expected a non-empty string (required), got nothing']],
  ['a non-list model_list', 'model_list: { a: 1 }\n', ['model_list: expected a list (each a mapping), got a mapping']],
  ['a duplicate deployment id',
    'model_list:\n  - { model_name: a, litellm_params: { model: mock/echo }, model_info: { id: x } }\n  - { model_name: b, litellm_params: { model: mock/echo }, model_info: { id: x } }\n',
    ['model_list[1].model_info.id: expected an id unique within model_list, got "x" (also the id of model_list[0])']],
  ['a bad guardrail mode', `${MODEL}guardrails: [{ guardrail_name: g, litellm_params: { guardrail: x, mode: [pre_call, sometimes] } }]\n`,
    ['guardrails[0].litellm_params.mode: expected one of pre_call, post_call, during_call, logging_only, or a list of them, got a list of 2 items']],
  ['a retention period in months', `${MODEL}general_settings: { maximum_spend_logs_retention_period: 1mo }\n`,
    ['general_settings.maximum_spend_logs_retention_period: expected a duration like "3600s", "60m", "24h" or "7d", got "1mo"']],
  ['a retention interval of zero', `${MODEL}general_settings: { maximum_spend_logs_retention_period: 7d, maximum_spend_logs_retention_interval: 0s }\n`,
    ['general_settings.maximum_spend_logs_retention_interval: expected a duration like "3600s", "60m", "24h" or "7d", got "0s"']],
])('reports %s', (_name, text, problems) => {
  expect(problemsOf(text)).toEqual(problems)
})

test('reports an unreadable file by its path', () => {
  expect(() => loadConfig({ path: '/nonexistent/config.yaml', env: {} })).toThrow(
    new ConfigError(['/nonexistent/config.yaml: cannot read the configuration file (no such file)']),
  )
})
