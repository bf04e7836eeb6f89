import { expect, test } from 'bun:test'
import { applyKeyPolicy, type KeyReport } from './keys.ts'
import { ConfigSchema } from './schema.ts'

function run(value: unknown): KeyReport & { value: unknown } {
  const report: KeyReport = { warnings: [], problems: [] }
  return { value: applyKeyPolicy(value, ConfigSchema, '', report), ...report }
}

const model = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  model_list: [{ model_name: 'm', litellm_params: { model: 'mock/echo', ...params }, ...extra }],
})

test.each([
  ['keeps implemented keys', model({ rpm: 5 }), model({ rpm: 5 }), [], []],
  [
    'drops a documented-unimplemented litellm_params key with a warning naming its path',
    model({ api_version: '2024-02-01' }),
    model({}),
    ['model_list[0].litellm_params.api_version: documented by LiteLLM but not implemented by llm-gateway; ignored'],
    [],
  ],
  [
    'matches prefix families in model_info',
    model({}, { model_info: { supports_vision: true } }),
    model({}, { model_info: {} }),
    ['model_list[0].model_info.supports_vision: documented by LiteLLM but not implemented by llm-gateway; ignored'],
    [],
  ],
  [
    'reports an undocumented key with a did-you-mean',
    model({ modle: 'x' }),
    model({}),
    [],
    ['model_list[0].litellm_params.modle: unknown key (did you mean "model"?)'],
  ],
  [
    'reports an unknown top-level key without a hint when nothing is close',
    { zzz: 1 },
    {},
    [],
    ['zzz: unknown key'],
  ],
  [
    'warns for a documented-unimplemented top-level section',
    { callback_settings: { otel: {} } },
    {},
    ['callback_settings: documented by LiteLLM but not implemented by llm-gateway; ignored'],
    [],
  ],
  [
    "keeps a guardrail's own options",
    { guardrails: [{ guardrail_name: 'g', litellm_params: { guardrail: 'x', pii_entities_config: { EMAIL: 'MASK' } } }] },
    { guardrails: [{ guardrail_name: 'g', litellm_params: { guardrail: 'x', pii_entities_config: { EMAIL: 'MASK' } } }] },
    [],
    [],
  ],
  [
    'treats null on an optional key as not set',
    { general_settings: { master_key: null }, litellm_settings: null },
    { general_settings: {} },
    [],
    [],
  ],
  [
    'keeps null on a required key for the type check to report',
    { model_list: [{ model_name: null }] },
    { model_list: [{ model_name: null }] },
    [],
    [],
  ],
  [
    'checks retry_policy keys against the error classes',
    { router_settings: { retry_policy: { RateLimitErrorRetrys: 3 } } },
    { router_settings: { retry_policy: {} } },
    [],
    ['router_settings.retry_policy.RateLimitErrorRetrys: unknown key (did you mean "RateLimitErrorRetries"?)'],
  ],
])('%s', (_name, input, value, warnings, problems) => {
  expect(run(input)).toEqual({ value, warnings, problems })
})

test('leaves a value of the wrong shape for the type check', () => {
  expect(run({ model_list: 'nope' }).value).toEqual({ model_list: 'nope' })
})
