import { describe as suite, expect, test } from 'bun:test'
import { Type } from '@sinclair/typebox'
import { ConfigError, describe, didYouMean, editDistance, formatConfigError, pointerToPath, repr } from './problems.ts'

suite('pointerToPath', () => {
  test.each([
    ['/model_list/2/litellm_params/model', 'model_list[2].litellm_params.model'],
    ['/general_settings/master_key', 'general_settings.master_key'],
    ['/router_settings/fallbacks/0/a~1b', 'router_settings.fallbacks[0].a/b'],
    ['', ''],
  ])('turns %p into %p', (pointer, path) => {
    expect(pointerToPath(pointer)).toBe(path)
  })
})

suite('repr', () => {
  test.each([
    ['a plain string quoted', 'azure/gpt-4', 'model', '"azure/gpt-4"'],
    ['a long string truncated', 'x'.repeat(80), 'model', `"${'x'.repeat(60)}…"`],
    ['a number as is', 600, 'timeout', '600'],
    ['a list by its length', [1, 2], 'fallbacks', 'a list of 2 items'],
    ['a mapping by its kind', { a: 1 }, 'litellm_params', 'a mapping'],
    ['nothing for undefined', undefined, 'model', 'nothing'],
    ['an api key by its length only', 'sk-secret', 'model_list[0].litellm_params.api_key', 'a string of 9 characters'],
    ['a password by its type only', 1234, 'router_settings.redis_password', 'a number'],
    ['a session token by its length only', 'abc', 'x.aws_session_token', 'a string of 3 characters'],
    ['max_tokens in full (not a secret)', 'lots', 'max_tokens', '"lots"'],
  ])('renders %s', (_name, value, path, expected) => {
    expect(repr(value, path)).toBe(expected)
  })
})

suite('describe', () => {
  test.each([
    ['a non-empty string', Type.String({ minLength: 1 })],
    ['a number > 0', Type.Number({ exclusiveMinimum: 0 })],
    ['an integer >= 1 and <= 65535', Type.Integer({ minimum: 1, maximum: 65535 })],
    ['true or false', Type.Boolean()],
    ['one of a, b', Type.Union([Type.Literal('a'), Type.Literal('b')])],
    ['a list (each a string)', Type.Array(Type.String())],
    ['a mapping', Type.Object({})],
    ['custom wording', Type.String({ expected: 'custom wording' })],
  ])('words the expectation as %p', (expected, schema) => {
    expect(describe(schema)).toBe(expected)
  })
})

suite('didYouMean', () => {
  const keys = ['model', 'api_key', 'api_base', 'model_list', 'request_timeout']
  test.each([
    ['modle', 'model'],
    ['model_lst', 'model_list'],
    ['api_bse', 'api_base'],
    ['request_timout', 'request_timeout'],
    ['API_KEY', 'api_key'],
    ['completely_different', undefined],
    ['x', undefined],
  ])('suggests for %p: %p', (key, hint) => {
    expect(didYouMean(key, keys)).toBe(hint)
  })

  test('counts a transposition as one edit', () => {
    expect(editDistance('modle', 'model')).toBe(1)
  })
})

test('formatConfigError prints a header naming the file, then one line per problem', () => {
  const e = new ConfigError(['a: expected x, got y', 'b: unknown key'])
  expect(formatConfigError(e, '/etc/gw/config.yaml')).toBe(
    'llm-gateway: invalid configuration in /etc/gw/config.yaml (2 problems):\n  - a: expected x, got y\n  - b: unknown key',
  )
})
