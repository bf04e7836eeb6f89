import { expect, test } from 'bun:test'
import { Type } from '@sinclair/typebox'
import { resolveEnvRefs } from './env.ts'

const S = Type.Object({
  s: Type.Optional(Type.String()),
  n: Type.Optional(Type.Number()),
  i: Type.Optional(Type.Integer()),
  b: Type.Optional(Type.Boolean()),
  l: Type.Optional(Type.Union([Type.Literal('a'), Type.Literal('b')])),
  list: Type.Optional(Type.Array(Type.Object({ n: Type.Number() }))),
  free: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})
const env = { STR: 'hello', NUM: ' 600 ', BOOL: 'TRUE', BAD: 'abc', EMPTY: '', KEY: 'sk-secret' }

test.each([
  ['a string reference to the variable', { s: 'os.environ/STR' }, { s: 'hello' }],
  ['a number reference to a number', { n: 'os.environ/NUM' }, { n: 600 }],
  ['an integer reference to a number', { i: 'os.environ/NUM' }, { i: 600 }],
  ['a boolean reference to a boolean', { b: 'os.environ/BOOL' }, { b: true }],
  ['a literal reference to the string', { l: 'os.environ/STR' }, { l: 'hello' }],
  ['references inside lists', { list: [{ n: 'os.environ/NUM' }] }, { list: [{ n: 600 }] }],
  ['unconstrained references to strings', { free: { x: { y: 'os.environ/NUM' } } }, { free: { x: { y: ' 600 ' } } }],
  ['plain values untouched', { s: 'os.environ', n: 1 }, { s: 'os.environ', n: 1 }],
])('resolves %s', (_name, input, expected) => {
  expect(resolveEnvRefs(input, S, '', env)).toEqual({ value: expected, missing: [], problems: new Map() })
})

test('reports unset and empty variables as missing and removes their keys', () => {
  const r = resolveEnvRefs({ s: 'os.environ/NOPE', n: 'os.environ/EMPTY', list: [{ n: 'os.environ/NOPE' }] }, S, 'x', env)
  expect(r).toEqual({
    value: { list: [{}] },
    missing: [{ path: 'x.s', name: 'NOPE' }, { path: 'x.n', name: 'EMPTY' }, { path: 'x.list[0].n', name: 'NOPE' }],
    problems: new Map(),
  })
})

test.each([
  ['a number', { n: 'os.environ/BAD' }, 'n', 'n: expected a number (from environment variable BAD), got "abc"'],
  ['a boolean', { b: 'os.environ/NUM' }, 'b', 'b: expected true or false (from environment variable NUM), got " 600 "'],
  ['a malformed reference', { s: 'os.environ/' }, 's', 's: expected "os.environ/<VARIABLE_NAME>", got "os.environ/"'],
])('reports a bad coercion to %s, naming path and variable', (_name, input, path, line) => {
  const r = resolveEnvRefs(input, S, '', env)
  expect([...r.problems]).toEqual([[path, line]])
})

test('never prints a secret-looking value in a problem', () => {
  const schema = Type.Object({ api_key: Type.Number() })
  const r = resolveEnvRefs({ api_key: 'os.environ/KEY' }, schema, '', env)
  expect([...r.problems.values()]).toEqual([
    'api_key: expected a number (from environment variable KEY), got a string of 9 characters',
  ])
})
