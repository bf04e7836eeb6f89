/** A counter with labels, kept in memory for the metrics endpoint. */
export class LabeledCounter {
  readonly #values = new Map<string, { labels: string[]; value: number }>()

  inc(...labels: string[]): void {
    const key = labels.join('\u0000')
    const v = this.#values.get(key)
    if (v) v.value++
    else this.#values.set(key, { labels, value: 1 })
  }

  get(...labels: string[]): number {
    return this.#values.get(labels.join('\u0000'))?.value ?? 0
  }

  snapshot(): Array<{ labels: string[]; value: number }> {
    return [...this.#values.values()].map((v) => ({ labels: [...v.labels], value: v.value }))
  }
}
