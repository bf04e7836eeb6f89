/**
 * The migration promise: the original LiteLLM deployment's config.yaml loads
 * unchanged, and the embedded default loads with an empty environment. Also
 * the problems a user sees for a broken file, end to end through loadConfig.
 */
import { describe, expect, test } from 'bun:test'
import path from 'node:path'
import { ConfigError, formatConfigError, loadConfig } from '../src/config/load.ts'
import { DEFAULT_CONFIG_SOURCE } from '../src/config/default.ts'

// In CI a copy of shared/ sits beside the clone, as it does here beside /work/main.
const FIXTURE = path.join(import.meta.dir, '../../../shared/fixtures/litellm_config.original.yaml')
const FULL_ENV = { AWS_REGION: 'us-east-1', PERPLEXITY_API_KEY: 'pplx-test', LITELLM_MASTER_KEY: 'sk-master' }

const BEDROCK = ['nova-micro', 'nova-lite', 'nova-pro', 'llama3-2-1b', 'llama3-2-3b']
const PERPLEXITY = ['perplexity-sonar', 'perplexity-sonar-pro']

function availability(deployments: { modelName: string; unavailableReason?: string }[]) {
  return Object.fromEntries(deployments.map((d) => [d.modelName, d.unavailableReason ?? 'available']))
}

function errorOf(text: string): ConfigError {
  try {
    loadConfig({ text, path: 'config.yaml', env: {} })
  } catch (e) {
    if (e instanceof ConfigError) return e
    throw e
  }
  throw new Error('expected a ConfigError')
}
const problemsOf = (text: string): string[] => errorOf(text).problems

describe('the original LiteLLM config', () => {
  test('loads unchanged with every variable set: 7 available deployments and the original settings', () => {
    const c = loadConfig({ path: FIXTURE, env: FULL_ENV })
    expect({
      source: c.source,
      availability: availability(c.deployments),
      masterKey: c.masterKey,
      settings: c.settings,
      guardrails: c.guardrails.map((g) => g.guardrail_name),
      warnings: c.warnings,
    }).toEqual({
      source: FIXTURE,
      availability: Object.fromEntries([...BEDROCK, ...PERPLEXITY].map((m) => [m, 'available'])),
      masterKey: 'sk-master',
      settings: {
        dropParams: true,
        requestTimeoutMs: 600_000,
        numRetries: 2,
        retryPolicy: {},
        maxRequestBodyBytes: 1024 * 1024,
        streamKeepaliveMs: 5000,
        routingStrategy: 'simple-shuffle',
        streamIdleTimeoutMs: 60_000,
        allowedFails: 3,
        cooldownMs: 5000,
      },
      guardrails: ['duckies-bunnies-detector'],
      warnings: [],
    })
  })

  test('resolves the references into deployment params', () => {
    const [nova, , , , , sonar] = loadConfig({ path: FIXTURE, env: FULL_ENV }).deployments
    expect([nova, sonar]).toEqual([
      {
        id: 'nova-micro#0', modelName: 'nova-micro', provider: 'bedrock', upstreamModel: 'amazon.nova-micro-v1:0',
        params: { model: 'bedrock/amazon.nova-micro-v1:0', aws_region_name: 'us-east-1' },
      },
      {
        id: 'perplexity-sonar#5', modelName: 'perplexity-sonar', provider: 'perplexity', upstreamModel: 'sonar',
        params: { model: 'perplexity/sonar', api_key: 'pplx-test' },
      },
    ])
  })

  test('keeps the guardrail entry with its options', () => {
    expect(loadConfig({ path: FIXTURE, env: FULL_ENV }).guardrails).toEqual([
      {
        guardrail_name: 'duckies-bunnies-detector',
        litellm_params: {
          guardrail: 'custom_guardrail.DuckiesBunniesGuardrail',
          mode: ['pre_call', 'post_call'],
          default_on: true,
          on_flagged_action: 'passthrough',
        },
      },
    ])
  })

  test('without PERPLEXITY_API_KEY marks only the two Perplexity deployments unavailable, naming the variable', () => {
    const { PERPLEXITY_API_KEY: _, ...env } = FULL_ENV
    const c = loadConfig({ path: FIXTURE, env })
    expect(availability(c.deployments)).toEqual({
      ...Object.fromEntries(BEDROCK.map((m) => [m, 'available'])),
      ...Object.fromEntries(PERPLEXITY.map((m) => [m, 'environment variable PERPLEXITY_API_KEY is not set'])),
    })
  })
})

test('the embedded default loads with an empty environment: no master key, mock-echo available, Bedrock unavailable', () => {
  const c = loadConfig({ env: {} })
  expect({ source: c.source, masterKey: c.masterKey, availability: availability(c.deployments), warnings: c.warnings })
    .toEqual({
      source: DEFAULT_CONFIG_SOURCE,
      masterKey: undefined,
      availability: {
        ...Object.fromEntries(BEDROCK.map((m) => [m, 'environment variable AWS_REGION is not set'])),
        ...Object.fromEntries(PERPLEXITY.map((m) => [m, 'environment variable PERPLEXITY_API_KEY is not set'])),
        'mock-echo': 'available',
      },
      warnings: [
        'general_settings.master_key: environment variable LITELLM_MASTER_KEY is not set; no master key configured: the gateway generates one at startup and binds to 127.0.0.1 only',
      ],
    })
  expect([c.settings.dropParams, c.settings.numRetries, c.guardrails]).toEqual([true, 2, []])
})

describe('a broken config', () => {
  const model = (params: string) => `model_list:\n  - model_name: m\n    litellm_params: { ${params} }\n`

  test.each([
    ['a typo in a top-level key', 'model_lst: []\n', ['model_lst: unknown key (did you mean "model_list"?)']],
    ['a typo in litellm_params', model('modle: mock/echo, model: mock/echo'),
      ['model_list[0].litellm_params.modle: unknown key (did you mean "model"?)']],
    ['a bad provider prefix', model('model: azure/gpt-4'),
      ['model_list[0].litellm_params.model: expected "<provider>/<model>" with provider one of bedrock, perplexity, openai, mock, got "azure/gpt-4"']],
    ['a model without a provider', model('model: gpt-4'),
      ['model_list[0].litellm_params.model: expected "<provider>/<model>" with provider one of bedrock, perplexity, openai, mock, got "gpt-4"']],
    ['a string where a number is expected', `${model('model: mock/echo')}litellm_settings: { request_timeout: soon }\n`,
      ['litellm_settings.request_timeout: expected a number > 0, got "soon"']],
    ['a number where a boolean is expected', `${model('model: mock/echo')}litellm_settings: { drop_params: 1 }\n`,
      ['litellm_settings.drop_params: expected true or false, got 1']],
    ['a fractional integer', model('model: mock/echo, mock_chunk_chars: 2.5'),
      ['model_list[0].litellm_params.mock_chunk_chars: expected an integer >= 1, got 2.5']],
    ['a YAML syntax error with its line and column', 'model_list:\n  - model_name: m\n litellm_params: {}\n',
      ['3:2: YAML syntax error: bad indentation of a mapping entry']],
  ])('reports %s', (_name, text, problems) => {
    expect(problemsOf(text)).toEqual(problems)
  })

  test('reports every problem at once, one line each', () => {
    const text = `model_lst: []
model_list:
  - model_name: a
    litellm_params: { model: azure/gpt-4, rpm: many }
  - model_name: b
    litellm_params: { model: mock/echo, modle: x }
router_settings: { routing_strategy: fastest }
general_settings: { max_request_size_mb: 0 }
`
    expect(problemsOf(text)).toEqual([
      'model_lst: unknown key (did you mean "model_list"?)',
      'model_list[1].litellm_params.modle: unknown key (did you mean "model"?)',
      'model_list[0].litellm_params.model: expected "<provider>/<model>" with provider one of bedrock, perplexity, openai, mock, got "azure/gpt-4"',
      'model_list[0].litellm_params.rpm: expected an integer >= 0, got "many"',
      'router_settings.routing_strategy: expected one of simple-shuffle, least-busy, latency-based-routing, usage-based-routing, usage-based-routing-v2, cost-based-routing, got "fastest"',
      'general_settings.max_request_size_mb: expected a number > 0, got 0',
    ])
  })

  test('formats the problems for stderr under a header naming the file', () => {
    expect(formatConfigError(errorOf('model_lst: []\n'), 'config.yaml')).toBe(
      'llm-gateway: invalid configuration in config.yaml (1 problem):\n  - model_lst: unknown key (did you mean "model_list"?)',
    )
  })
})

test('a documented-but-unimplemented key loads with exactly one warning naming its path', () => {
  const c = loadConfig({
    text: 'model_list:\n  - { model_name: m, litellm_params: { model: mock/echo, api_version: "2024-02-01" } }\nlitellm_settings: { cache: true }\n',
    env: {},
  })
  expect(c.warnings).toEqual([
    'model_list[0].litellm_params.api_version: documented by LiteLLM but not implemented by llm-gateway; ignored',
    'litellm_settings.cache: documented by LiteLLM but not implemented by llm-gateway; ignored',
  ])
})

test('a mock model other than mock/echo without mock_response is a config error naming the field', () => {
  expect(() => loadConfig({ text: 'model_list:\n  - model_name: m\n    litellm_params:\n      model: mock/fixed\n', env: {} })).toThrow(
    expect.objectContaining({ problems: [expect.stringMatching(/^model_list\[0\]\.litellm_params\.mock_response: expected the reply text/)] }),
  )
})
