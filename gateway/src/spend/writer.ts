/**
 * The batched spend writer: completions enqueue their spend row and return at
 * once; a background flush writes the queue every `intervalMs`, or as soon as
 * `flushAt` rows wait, at most `batchSize` rows (plus their per-key totals)
 * per transaction, giving the event loop a turn between transactions. So at a
 * moderate rate each write is small (about 20 rows, 0.2 ms on SQLite) and
 * holds requests up little, while under heavy load the rows that arrive
 * during one write make the next one larger (up to `batchSize`), which costs
 * less per row; a large backlog never holds requests up for more than one
 * `batchSize` write. A failed write keeps its rows and retries on the next
 * flush; `close()` flushes what is left, so a graceful shutdown loses nothing.
 * The queue is bounded: past `maxQueue` the oldest rows are dropped and
 * counted (never silently).
 */
import type { KeyStore } from '../keys/store.ts'
import type { SpendRow } from '../keys/types.ts'
import { nextTurn } from '../lifecycle/next-turn.ts'

export interface SpendWriterOptions {
  store: KeyStore
  /** Told which per-key costs reached the store. */
  onFlushed?: (perKey: ReadonlyMap<string, number>) => void
  onError?: (err: unknown, pending: number) => void
  intervalMs?: number
  /** Rows per transaction at most. Default 100. */
  batchSize?: number
  /** The queue length that starts a flush before the timer. Default 20. */
  flushAt?: number
  maxQueue?: number
}

interface Queued {
  row: SpendRow
  /** Full key hash whose spend this adds to; undefined for the master key. */
  keyHash?: string
}

export class SpendWriter {
  #queue: Queued[] = []
  #flushing: Promise<unknown> | undefined
  /** Rows of the flush under way. */
  #inFlight = 0
  #timer: ReturnType<typeof setInterval>
  dropped = 0
  readonly #o: Required<Omit<SpendWriterOptions, 'onFlushed' | 'onError'>> & Pick<SpendWriterOptions, 'onFlushed' | 'onError'>

  constructor(o: SpendWriterOptions) {
    this.#o = { intervalMs: 500, batchSize: 100, flushAt: 20, maxQueue: 100_000, ...o }
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
    if (this.#queue.length >= this.#o.flushAt && !this.#flushing) void this.flush()
  }

  /** Writes everything queued so far, one batch per transaction (one flush at a time). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing
    if (this.#queue.length === 0) return
    const written = this.#writeQueued(this.#queue.length)
    this.#flushing = written
    let ok = false
    try {
      ok = await written
    } finally {
      this.#flushing = undefined
    }
    // Rows that arrived meanwhile: go on while the store takes them; after a failure, wait for the timer.
    if (ok && this.#queue.length >= this.#o.flushAt) void this.flush()
  }

  /** Writes the first `rows` queued rows in batches; false at the first failure, which keeps that batch queued. */
  async #writeQueued(rows: number): Promise<boolean> {
    for (let left = rows; left > 0 && this.#queue.length > 0; ) {
      const batch = this.#queue.splice(0, Math.min(this.#o.batchSize, left))
      left -= batch.length
      this.#inFlight = batch.length
      const perKey = new Map<string, number>()
      for (const q of batch) if (q.keyHash) perKey.set(q.keyHash, (perKey.get(q.keyHash) ?? 0) + q.row.cost)
      try {
        await this.#o.store.recordSpend(batch.map((q) => q.row), perKey)
      } catch (err) {
        this.#queue.unshift(...batch)
        this.#o.onError?.(err, this.#queue.length)
        return false
      } finally {
        this.#inFlight = 0
      }
      this.#o.onFlushed?.(perKey)
      await nextTurn()
    }
    return true
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
