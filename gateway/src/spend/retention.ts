/**
 * Spend log retention (general_settings.maximum_spend_logs_retention_period):
 * once at startup and then every `everyMs`, rows older than `maxAgeMs` are
 * deleted, `batch` rows per statement with an event-loop turn between
 * statements, so a first run over months of history neither blocks requests
 * nor holds the database's write lock for long. Key spend and budgets live on
 * the keys themselves and do not change; the spend reports cover the period
 * kept. One pass at a time; a failed pass is logged and the next one retries.
 * Replicas each run their own passes: deleting the same old rows twice is
 * harmless. Rows deleted, failed passes and the last good pass are kept for
 * /metrics.
 */
import type { KeyStore } from '../keys/store.ts'
import { nextTurn } from '../lifecycle/next-turn.ts'
import { describeError, type Logger } from '../observability/log.ts'

export interface SpendRetentionOptions {
  store: Pick<KeyStore, 'deleteSpendBefore'>
  log: Logger
  maxAgeMs: number
  everyMs: number
  /** Rows per DELETE statement (about 1 ms each on SQLite). Default 1,000. */
  batch?: number
  now?: () => number
}

export class SpendRetention {
  #timer: ReturnType<typeof setInterval> | undefined
  #pass: Promise<number> | undefined
  #closed = false
  readonly #batch: number
  readonly #now: () => number
  /** Rows deleted since startup (a counter for /metrics). */
  deleted = 0
  /** Passes that failed since startup. */
  failures = 0
  /** When the last pass finished without error (epoch ms); 0 before the first. */
  lastSuccessAt = 0

  constructor(private readonly o: SpendRetentionOptions) {
    this.#batch = o.batch ?? 1000
    this.#now = o.now ?? Date.now
  }

  /** Runs a first pass now, then one every `everyMs`. */
  start(): void {
    void this.runOnce()
    // setInterval keeps at most ~24.8 days; longer intervals run at that pace (a pass with nothing to delete is cheap).
    this.#timer = setInterval(() => void this.runOnce(), Math.min(this.o.everyMs, 2 ** 31 - 1))
    this.#timer.unref?.()
  }

  /** One pass (or the one under way); resolves with the rows deleted, 0 after a failure. */
  runOnce(): Promise<number> {
    this.#pass ??= this.#deleteOld().finally(() => (this.#pass = undefined))
    return this.#pass
  }

  /** Stops the schedule and waits for a pass under way to finish its current statement. */
  async close(): Promise<void> {
    this.#closed = true
    clearInterval(this.#timer)
    await this.#pass
  }

  async #deleteOld(): Promise<number> {
    const before = this.#now() - this.o.maxAgeMs
    let deleted = 0
    try {
      for (;;) {
        const n = await this.o.store.deleteSpendBefore(before, this.#batch)
        deleted += n
        this.deleted += n
        if (n < this.#batch || this.#closed) break
        await nextTurn()
      }
    } catch (err) {
      this.failures++
      this.o.log.warn('spend log retention failed; retrying at the next pass', { deleted, ...describeError(err) })
      return 0
    }
    this.lastSuccessAt = this.#now()
    if (deleted > 0) this.o.log.info('spend logs deleted', { rows: deleted, older_than: new Date(before).toISOString() })
    return deleted
  }
}
