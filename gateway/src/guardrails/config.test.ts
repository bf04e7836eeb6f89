import { describe, expect, test } from 'bun:test'
import type { GuardrailEntry } from '../config/schema.ts'
import { GuardrailConfigError, buildGuardrails } from './config.ts'

const entry = (name: string, params: Record<string, unknown>): GuardrailEntry =>
  ({ guardrail_name: name, litellm_params: params }) as unknown as GuardrailEntry

async function problems(entries: GuardrailEntry[]): Promise<string[]> {
  try {
    await buildGuardrails(entries)
  } catch (err) {
    if (err instanceof GuardrailConfigError) return err.problems
    throw err
  }
  return []
}

describe('buildGuardrails', () => {
  test('builds built-ins with their default modes and LiteLLM fields', async () => {
    const set = await buildGuardrails([
      entry('kw', { guardrail: 'keyword', keywords: ['x'], default_on: true }),
      entry('inj', { guardrail: 'prompt_injection' }),
      entry('pii', { guardrail: 'pii', mode: 'post_call', on_flagged_action: 'redact' }),
    ])
    expect(set.all.map((g) => ({ name: g.name, modes: [...g.modes], defaultOn: g.defaultOn, action: g.action }))).toEqual([
      { name: 'kw', modes: ['pre_call', 'post_call'], defaultOn: true, action: 'block' },
      { name: 'inj', modes: ['pre_call'], defaultOn: false, action: 'block' },
      { name: 'pii', modes: ['post_call'], defaultOn: false, action: 'redact' },
    ])
  })

  test('resolves the original deployment guardrail custom_guardrail.DuckiesBunniesGuardrail from the bundled examples', async () => {
    const set = await buildGuardrails([entry('d', { guardrail: 'custom_guardrail.DuckiesBunniesGuardrail', mode: ['pre_call', 'post_call'], on_flagged_action: 'passthrough' })])
    const g = set.byName.get('d')!
    expect(g.detectors.flatMap((d) => d.scan('two duckies and a bunny'))).toEqual([
      expect.objectContaining({ detector: 'd', entity: 'DUCKIES_BUNNIES', start: 4, end: 11 }),
      expect.objectContaining({ detector: 'd', entity: 'DUCKIES_BUNNIES', start: 18, end: 23 }),
    ])
    expect(g.detectors.flatMap((d) => d.scan('two geese'))).toEqual([])
  })

  test('uses a custom class\'s checkInput/checkOutput hooks when it offers no detectors', async () => {
    const set = await buildGuardrails([entry('slow', { guardrail: 'test_guardrails.SlowFlagGuardrail', delay_ms: 1 })], { configDir: `${import.meta.dir}/../../test/fixtures` })
    const g = set.byName.get('slow')!
    expect({ modes: [...g.modes], detectors: g.detectors.length }).toEqual({ modes: ['pre_call'], detectors: 0 })
    expect(await g.hooks.checkInput!({ text: 'the forbidden-topic', messages: [] })).toEqual({ flagged: true, entity: 'SLOW_TOPIC' })
  })

  test.each([
    ['an unknown guardrail type', entry('a', { guardrail: 'presidio' }), 'guardrails[0].litellm_params.guardrail: expected a built-in guardrail or "<module>.<ClassName>", got "presidio"'],
    ['a missing module', entry('a', { guardrail: 'nowhere.Guard' }), 'guardrails[0].litellm_params.guardrail: cannot find module "nowhere"'],
    ['a missing class', entry('a', { guardrail: 'custom_guardrail.Nope' }), 'guardrails[0].litellm_params.guardrail: module "custom_guardrail" has no exported class "Nope"'],
    ['keywords missing', entry('a', { guardrail: 'keyword' }), 'guardrails[0].litellm_params.keywords: expected a non-empty list of non-empty strings, got nothing'],
    ['a bad regex', entry('a', { guardrail: 'regex', patterns: ['(unclosed'] }), 'guardrails[0].litellm_params.patterns:'],
    ['an unknown option', entry('a', { guardrail: 'keyword', keywords: ['x'], keywrods: ['y'] }), 'guardrails[0].litellm_params.keywrods: unknown option for a keyword guardrail'],
    ['an input-only guardrail at post_call', entry('a', { guardrail: 'prompt_injection', mode: 'post_call' }), 'guardrails[0].litellm_params.mode: a prompt_injection guardrail cannot run at post_call'],
    ['redact without spans', entry('a', { guardrail: 'max_input', max_chars: 5, on_flagged_action: 'redact' }), 'guardrails[0].litellm_params.on_flagged_action: redact needs a guardrail that reports spans'],
    ['redact at during_call', entry('a', { guardrail: 'pii', mode: 'during_call', on_flagged_action: 'redact' }), 'guardrails[0].litellm_params.on_flagged_action: redact cannot run at during_call'],
    ['max_input without a limit', entry('a', { guardrail: 'max_input' }), 'guardrails[0].litellm_params: expected max_chars and/or max_tokens'],
  ])('reports %s with the field path', async (_name, e, expected) => {
    expect((await problems([e])).join('\n')).toContain(expected)
  })

  test('reports every problem at once, and duplicate names', async () => {
    const p = await problems([
      entry('same', { guardrail: 'keyword', keywords: ['x'] }),
      entry('same', { guardrail: 'keyword', keywords: ['y'] }),
      entry('b', { guardrail: 'keyword' }),
    ])
    expect(p).toEqual([
      'guardrails[1].guardrail_name: expected a unique name, got "same" twice',
      'guardrails[2].litellm_params.keywords: expected a non-empty list of non-empty strings, got nothing',
    ])
  })
})
