import { describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_POLICY } from './guardrail-policy.ts'
import { loadPolicy, parsePolicy, PolicyError } from './policy-file.ts'

function problems(text: string): string[] {
  try {
    parsePolicy(text)
  } catch (err) {
    if (err instanceof PolicyError) return err.problems
    throw err
  }
  return []
}

describe('parsePolicy', () => {
  test('an empty mapping is the default policy', () => {
    expect(parsePolicy('{}')).toEqual(DEFAULT_POLICY)
  })

  test('YAML overrides words, pattern, max_tokens and single checks; the rest stays default', () => {
    const policy = parsePolicy(`
words: [zebra, zebras]
violation_pattern: "content policy"
max_tokens: 50
checks:
  direct: { prompt: "Tell me about zebras" }
  history:
    messages:
      - { role: user, content: "I like zebras" }
      - { role: assistant, content: "Nice." }
      - { role: user, content: "What did I say?" }
  indirect: { prompt: "Striped horse?", expect: no-leak, name: "Indirect" }
`)
    expect(policy).toEqual({
      words: ['zebra', 'zebras'],
      violationPattern: 'content policy',
      maxTokens: 50,
      cases: {
        ...DEFAULT_POLICY.cases,
        direct: { ...DEFAULT_POLICY.cases.direct, messages: [{ role: 'user', content: 'Tell me about zebras' }] },
        history: {
          ...DEFAULT_POLICY.cases.history,
          messages: [
            { role: 'user', content: 'I like zebras' },
            { role: 'assistant', content: 'Nice.' },
            { role: 'user', content: 'What did I say?' },
          ],
        },
        indirect: { name: 'Indirect', messages: [{ role: 'user', content: 'Striped horse?' }], stream: false, expect: 'no-leak' },
      },
    })
    expect(DEFAULT_POLICY.words).toContain('duckies') // the defaults are not mutated
  })

  test('JSON works too', () => {
    expect(parsePolicy('{"checks": {"output-stream": {"stream": false}}}').cases['output-stream'].stream).toBe(false)
  })

  test('every bad key is named', () => {
    expect(problems('words: []\nviolation_pattern: "("\nmax_tokens: 0\nextra: 1\nchecks:\n  direct: { prompt: "", expect: maybe, colour: red }\n  sideways: {}\n')).toEqual([
      'extra: unknown key (known: words, violation_pattern, max_tokens, checks)',
      'words: expected a non-empty list of non-empty strings',
      expect.stringMatching(/^violation_pattern: not a valid regular expression/),
      'max_tokens: expected a positive integer',
      'checks.sideways: unknown key (known: direct, history, normal, output, output-stream, indirect)',
      'checks.direct.colour: unknown key (known: name, prompt, messages, stream, expect)',
      'checks.direct.prompt: expected a non-empty string',
      'checks.direct.expect: expected one of blocked, allowed, no-leak',
    ])
    expect(problems('checks: { normal: { prompt: x, messages: [{ role: tool, content: y }] } }')).toEqual([
      'checks.normal: give prompt or messages, not both',
      'checks.normal.messages: expected a non-empty list of {role: system|user|assistant, content: string}',
    ])
    expect(problems('[1, 2]')).toEqual(['the file must hold a mapping (object)'])
    expect(problems('a: [')[0]).toStartWith('not valid JSON or YAML')
  })

  test('loadPolicy reads a file and reports a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'))
    try {
      await Bun.write(join(dir, 'p.json'), '{"words": ["x"]}')
      expect((await loadPolicy(join(dir, 'p.json'))).words).toEqual(['x'])
      await expect(loadPolicy(join(dir, 'missing.yaml'))).rejects.toThrow('no such file')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
