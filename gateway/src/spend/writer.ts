/**
 * The batched spend writer: completions enqueue their spend row and return at
 * once; a background flush writes the batch (rows plus per-key totals, one
 * transaction) every `intervalMs` or when `batchSize` rows wait. A failed
 * flush keeps its rows and retries on the next tick; `close()` flushes what is
 * left, so a graceful shutdown loses nothing. The queue is bounded: past
 * `maxQueue` the oldest rows are dropped and counted (never silently).
 */
import type { KeyStore } from '../keys/store.ts'
import type { SpendRow } from '../keys/types.ts'

export interface SpendWriterOptions {
  store: KeyStore
  /** Told which per-key costs reached the store. */
  onFlushed?: (perKey: ReadonlyMap<string, number>) => void
  onError?: (err: unknown, pending: number) => void
  intervalMs?: number
  batchSize?: number
  maxQueue?: number
}

interface Queued {
  row: SpendRow
  /** Full key hash whose spend this adds to; undefined for the master key. */
  keyHash?: string
}

export class SpendWriter {
  #queue: Queued[] = []
  #flushing: Promise<void> | undefined
  /** Rows of the flush under way. */
  #inFlight = 0
  #timer: ReturnType<typeof setInterval>
  dropped = 0
  readonly #o: Required<Omit<SpendWriterOptions, 'onFlushed' | 'onError'>> & Pick<SpendWriterOptions, 'onFlushed' | 'onError'>

  constructor(o: SpendWriterOptions) {
    this.#o = { intervalMs: 500, batchSize: 500, maxQueue: 100_000, ...o }
    this.#timer = setInterval(() => void this.flush(), this.#o.intervalMs)
    this.#timer.unref?.()
  }

  get pending(): number {
    return this.#queue.length
  }

  enqueue(row: SpendRow, keyHash?: string): void {
    this.#queue.push(keyHash === undefined ? { row } : { row, keyHash })
    if (this.#queue.length > this.#o.maxQueue) {
      const over = this.#queue.length - this.#o.maxQueue
      this.#queue.splice(0, over)
      this.dropped += over
    }
    if (this.#queue.length >= this.#o.batchSize) void this.flush()
  }

  /** Writes everything queued so far (one flush at a time). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing
    if (this.#queue.length === 0) return
    const batch = this.#queue.splice(0, this.#queue.length)
    this.#inFlight = batch.length
    const perKey = new Map<string, number>()
    for (const q of batch) if (q.keyHash) perKey.set(q.keyHash, (perKey.get(q.keyHash) ?? 0) + q.row.cost)
    this.#flushing = this.#o.store
      .recordSpend(batch.map((q) => q.row), perKey)
      .then(
        () => this.#o.onFlushed?.(perKey),
        (err) => {
          this.#queue.unshift(...batch)
          this.#o.onError?.(err, this.#queue.length)
        },
      )
      .finally(() => {
        this.#flushing = undefined
        this.#inFlight = 0
      })
    await this.#flushing
  }

  /**
   * Stops the timer and flushes what is left, waiting at most `timeoutMs`
   * (a hung database must not hold a shutdown forever); returns the number of
   * rows that could not be written.
   */
  async close(timeoutMs = 10_000): Promise<number> {
    clearInterval(this.#timer)
    let timer: ReturnType<typeof setTimeout> | undefined
    const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))
    await Promise.race([this.flush(), gaveUp])
    clearTimeout(timer)
    return this.#queue.length + this.#inFlight
  }
}
