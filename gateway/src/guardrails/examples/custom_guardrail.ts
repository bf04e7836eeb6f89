/**
 * Bundled example of a custom guardrail, resolvable from a config as
 * `guardrail: custom_guardrail.DuckiesBunniesGuardrail` (the original LiteLLM
 * deployment's guardrail). It flags any mention of ducks or bunnies, on the
 * way in and on the way out.
 *
 * The custom-guardrail contract: a class constructed with the guardrail's
 * own `litellm_params` options, providing either
 * - `detectors(name)`: span detectors (see ../types.ts). The gateway then
 *   matches exactly on streams with the smallest holdback, can redact, and
 *   calls no hook; or
 * - async `checkInput({text, messages})` and/or `checkOutput({text})` that
 *   return `{flagged: true, entity?}` to flag (anything falsy passes), with an
 *   optional `window` (default 64): the longest text a flag can depend on,
 *   which streams hold back.
 * The gateway applies the configured `on_flagged_action` either way. This
 * example offers both, so it also works as plain hooks outside the gateway.
 */
import { keywordDetector } from '../detectors/keyword.ts'
import type { HookVerdict } from '../guardrail.ts'
import type { Detector } from '../types.ts'

export const DUCKIES_BUNNIES_WORDS = [
  'duck', 'ducks', 'duckie', 'duckies', 'ducky', 'duckling', 'ducklings',
  'bunny', 'bunnies', 'bunnie',
]

export class DuckiesBunniesGuardrail {
  readonly #words: string[]
  readonly #detector: Detector

  constructor(options: { keywords?: string[] } = {}) {
    this.#words = options.keywords ?? DUCKIES_BUNNIES_WORDS
    this.#detector = keywordDetector({ name: 'duckies-bunnies', words: this.#words, entity: 'DUCKIES_BUNNIES' })
  }

  detectors(name: string): Detector[] {
    return [keywordDetector({ name, words: this.#words, entity: 'DUCKIES_BUNNIES' })]
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
