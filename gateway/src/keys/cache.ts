/**
 * The in-memory key cache that keeps the database off the request path:
 * entries are served for `ttlMs` and then refreshed in the background while
 * the stale entry keeps serving (so a slow or unreachable database does not
 * slow requests of keys already cached); unknown keys are remembered briefly
 * so random keys cannot hammer the database. Bounded in size (oldest first out).
 */
import type { KeyRecord } from './types.ts'

interface Entry {
  record: KeyRecord | null
  fetchedAt: number
  refreshing?: Promise<void>
}

export interface KeyCacheOptions {
  load: (hash: string) => Promise<KeyRecord | undefined>
  /** Fresh for this long. Default 5 s: other replicas see updates and deletes within it. */
  ttlMs?: number
  /** Unknown keys are remembered this long. Default 2 s. */
  negativeTtlMs?: number
  /** Entries at most. Default 50 000. */
  maxEntries?: number
  now?: () => number
  onError?: (err: unknown) => void
}

export class KeyCache {
  readonly #entries = new Map<string, Entry>()
  readonly #o: Required<Omit<KeyCacheOptions, 'onError'>> & Pick<KeyCacheOptions, 'onError'>

  constructor(o: KeyCacheOptions) {
    this.#o = { ttlMs: 5000, negativeTtlMs: 2000, maxEntries: 50_000, now: Date.now, ...o }
  }

  /** The record for a key hash (null when unknown). Only a miss or an expired unknown waits for the database. */
  async get(hash: string): Promise<KeyRecord | null> {
    const e = this.#entries.get(hash)
    const now = this.#o.now()
    if (e) {
      const ttl = e.record ? this.#o.ttlMs : this.#o.negativeTtlMs
      if (now - e.fetchedAt < ttl) return e.record
      if (e.record) {
        e.refreshing ??= this.#fetch(hash).then(() => undefined, (err) => this.#o.onError?.(err)).finally(() => (e.refreshing = undefined))
        return e.record
      }
    }
    await this.#fetch(hash)
    return this.#entries.get(hash)?.record ?? null
  }

  /** Replaces (or removes, with null) the entry at once: changes made on this replica take effect immediately. */
  set(hash: string, record: KeyRecord | null): void {
    this.#entries.delete(hash)
    this.#entries.set(hash, { record, fetchedAt: this.#o.now() })
    this.#evict()
  }

  /** Applies a change to a cached record (e.g. local spend) without touching the database. */
  patch(hash: string, f: (r: KeyRecord) => void): void {
    const r = this.#entries.get(hash)?.record
    if (r) f(r)
  }

  async #fetch(hash: string): Promise<void> {
    const record = (await this.#o.load(hash)) ?? null
    this.set(hash, record)
  }

  #evict(): void {
    while (this.#entries.size > this.#o.maxEntries) {
      const oldest = this.#entries.keys().next().value
      if (oldest === undefined) return
      this.#entries.delete(oldest)
    }
  }
}
