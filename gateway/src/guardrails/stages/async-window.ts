/**
 * Streams through a guardrail's async `checkOutput` hook with a bounded
 * holdback: each step asks the hook about the text seen so far that could
 * still matter (the last `window` characters already released, plus what is
 * held), then releases all but the last `window` characters, cut back to a
 * word boundary. A flag can therefore only depend on at most `window`
 * characters, the hook's declared contract.
 */
import type { Guardrail, HookVerdict } from '../guardrail.ts'

export interface WindowStep {
  release: string
  verdict?: HookVerdict
}

export class AsyncWindowGuard {
  #context = ''
  #held = ''

  constructor(private readonly g: Guardrail) {}

  async push(text: string): Promise<WindowStep> {
    this.#held += text
    const verdict = await this.#check()
    if (verdict) return { release: '', verdict }
    let cut = this.#held.length - this.g.window
    if (cut <= 0) return { release: '' }
    const space = this.#held.lastIndexOf(' ', cut)
    if (space > 0) cut = space
    return { release: this.#take(cut) }
  }

  async end(): Promise<WindowStep> {
    const verdict = this.#held ? await this.#check() : undefined
    return verdict ? { release: '', verdict } : { release: this.#take(this.#held.length) }
  }

  async #check(): Promise<HookVerdict | undefined> {
    const v = await this.g.hooks.checkOutput!({ text: this.#context + this.#held })
    return v && v.flagged ? v : undefined
  }

  #take(n: number): string {
    const out = this.#held.slice(0, n)
    this.#held = this.#held.slice(n)
    this.#context = (this.#context + out).slice(-this.g.window)
    return out
  }
}
