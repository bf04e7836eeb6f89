import { expect, test } from 'bun:test'
import type { GuardrailEntry } from '../config/schema.ts'
import { buildGuardrails } from './config.ts'
import { planRequest } from './pipeline.ts'
import { selectGuardrails } from './select.ts'

const set = await buildGuardrails([
  { guardrail_name: 'always', litellm_params: { guardrail: 'keyword', keywords: ['a'], default_on: true } },
  { guardrail_name: 'optional', litellm_params: { guardrail: 'keyword', keywords: ['b'] } },
  { guardrail_name: 'other', litellm_params: { guardrail: 'keyword', keywords: ['c'] } },
] as unknown as GuardrailEntry[])

test.each([
  [undefined, null, ['always']],
  [['optional'], null, ['always', 'optional']],
  [undefined, ' other , optional', ['always', 'optional', 'other']],
  [['always'], null, ['always']],
])('body %p and header %p select %p, in config order', (body, header, names) => {
  expect(selectGuardrails(set, body, header).map((g) => g.name)).toEqual(names)
})

test('an unknown name is a 400 on the guardrails param', () => {
  expect(() => selectGuardrails(set, ['missing'], null)).toThrow(expect.objectContaining({ status: 400, param: 'guardrails', code: 'unknown_guardrail' }))
})

test('a request plan holds the default_on guardrails plus the named ones, and one request never changes the next', () => {
  const applied = (named: string[], header: string | null) => planRequest(set, named, header).applied
  expect(applied([], null)).toEqual(['always'])
  expect(applied(['optional'], null)).toEqual(['always', 'optional'])
  expect(applied([], 'other')).toEqual(['always', 'other'])
  expect(applied([], null)).toEqual(['always'])
  expect(planRequest(set, [], null).pre.map((g) => g.name)).toEqual(['always'])
  expect(() => planRequest(set, [], 'missing')).toThrow(expect.objectContaining({ status: 400, code: 'unknown_guardrail' }))
})
