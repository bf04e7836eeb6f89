/**
 * Bundled example of a custom guardrail, resolvable from a config as
 * `guardrail: custom_guardrail.DuckiesBunniesGuardrail` (the original LiteLLM
 * deployment's guardrail). It flags any mention of ducks or bunnies, on the
 * way in and on the way out.
 *
 * The custom-guardrail contract: a class constructed with the guardrail's
 * `litellm_params` options, with optional async `checkInput({text, messages})`
 * and `checkOutput({text})` that return `{flagged: true, entity?}` to flag
 * (anything falsy passes), and an optional `window` (default 64): the longest
 * text a flag can depend on, which streams hold back. The gateway applies the
 * configured `on_flagged_action`.
 */
import { keywordDetector } from '../detectors/keyword.ts'
import type { HookVerdict } from '../guardrail.ts'

export const DUCKIES_BUNNIES_WORDS = [
  'duck', 'ducks', 'duckie', 'duckies', 'ducky', 'duckling', 'ducklings',
  'bunny', 'bunnies', 'bunnie',
]

export class DuckiesBunniesGuardrail {
  readonly window = 64
  readonly #detector

  constructor(options: { keywords?: string[] } = {}) {
    this.#detector = keywordDetector({ name: 'duckies-bunnies', words: options.keywords ?? DUCKIES_BUNNIES_WORDS })
  }

  #check(text: string): HookVerdict | undefined {
    return this.#detector.scan(text).length > 0 ? { flagged: true, entity: 'DUCKIES_BUNNIES' } : undefined
  }

  async checkInput({ text }: { text: string }): Promise<HookVerdict | undefined> {
    return this.#check(text)
  }

  async checkOutput({ text }: { text: string }): Promise<HookVerdict | undefined> {
    return this.#check(text)
  }
}
