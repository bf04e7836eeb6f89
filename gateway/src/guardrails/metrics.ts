/**
 * Counters of guardrail outcomes by guardrail, stage and action, ready for the
 * Prometheus exporter. Stages: history, input, during, output, stream_output.
 * Actions: block, passthrough, redact, monitor, removed (history), error.
 */
export type GuardrailStage = 'history' | 'input' | 'during' | 'output' | 'stream_output'
export type CountedAction = 'block' | 'passthrough' | 'redact' | 'monitor' | 'removed' | 'error'

export interface GuardrailCount {
  guardrail: string
  stage: GuardrailStage
  action: CountedAction
  count: number
}

export class GuardrailMetrics {
  readonly #counts = new Map<string, GuardrailCount>()

  inc(guardrail: string, stage: GuardrailStage, action: CountedAction, by = 1): void {
    const key = `${guardrail}\u0000${stage}\u0000${action}`
    const c = this.#counts.get(key)
    if (c) c.count += by
    else this.#counts.set(key, { guardrail, stage, action, count: by })
  }

  get(guardrail: string, stage: GuardrailStage, action: CountedAction): number {
    return this.#counts.get(`${guardrail}\u0000${stage}\u0000${action}`)?.count ?? 0
  }

  snapshot(): GuardrailCount[] {
    return [...this.#counts.values()].map((c) => ({ ...c }))
  }
}
