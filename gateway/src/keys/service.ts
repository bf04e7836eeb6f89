/**
 * Virtual keys: creation (the key is shown once; only its SHA-256 is kept),
 * lookups through the cache, expiry, budgets with scheduled resets, and the
 * spend not yet flushed to the store (so a budget holds between flushes).
 */
import { errors } from '../errors/gateway-error.ts'
import { generateKey } from '../auth/keys.ts'
import { KeyCache } from './cache.ts'
import { addDuration } from './duration.ts'
import type { KeyStore } from './store.ts'
import type { KeyPatch, KeyRecord } from './types.ts'

export function hashKey(key: string): string {
  return new Bun.CryptoHasher('sha256').update(key).digest('hex')
}

export interface NewKey {
  keyAlias?: string | null
  models?: string[]
  rpmLimit?: number | null
  tpmLimit?: number | null
  maxBudget?: number | null
  budgetDuration?: string | null
  expiresAt?: number | null
  metadata?: Record<string, unknown>
  guardrails?: string[]
}

export class KeyService {
  readonly cache: KeyCache
  /** Spend recorded on this replica and not yet in the store, per key hash. */
  readonly #unflushed = new Map<string, number>()

  constructor(readonly store: KeyStore, opts: { ttlMs?: number; onError?: (err: unknown) => void } = {}) {
    this.cache = new KeyCache({ load: (h) => store.getKey(h), ...opts })
  }

  async create(k: NewKey, now = Date.now()): Promise<{ key: string; record: KeyRecord }> {
    const key = generateKey()
    const record: KeyRecord = {
      keyHash: hashKey(key), keyAlias: k.keyAlias ?? null, models: k.models ?? [], rpmLimit: k.rpmLimit ?? null, tpmLimit: k.tpmLimit ?? null,
      maxBudget: k.maxBudget ?? null, budgetDuration: k.budgetDuration ?? null,
      budgetResetAt: k.budgetDuration ? addDuration(now, k.budgetDuration) : null, expiresAt: k.expiresAt ?? null,
      metadata: k.metadata ?? {}, guardrails: k.guardrails ?? [], spend: 0, createdAt: now, updatedAt: now,
    }
    await this.store.insertKey(record)
    this.cache.set(record.keyHash, record)
    return { key, record }
  }

  async update(hash: string, patch: KeyPatch): Promise<KeyRecord | undefined> {
    if (patch.budgetDuration) patch.budgetResetAt = addDuration(Date.now(), patch.budgetDuration)
    const r = await this.store.updateKey(hash, patch)
    this.cache.set(hash, r ?? null)
    return r
  }

  async delete(hashes: readonly string[]): Promise<number> {
    const n = await this.store.deleteKeys(hashes)
    for (const h of hashes) this.cache.set(h, null)
    return n
  }

  /** The live record of a presented key: 401 when unknown, deleted or expired; budget period rolled over when due. */
  async authenticate(key: string, now = Date.now()): Promise<KeyRecord> {
    const hash = hashKey(key)
    const r = await this.cache.get(hash)
    if (!r) throw errors.unauthorized()
    if (r.expiresAt !== null && r.expiresAt <= now) throw errors.unauthorized('This API key has expired.')
    if (r.budgetDuration && r.budgetResetAt !== null && r.budgetResetAt <= now) await this.#rollBudget(r, now)
    return r
  }

  /** Spend of the current period as this replica knows it: stored plus not yet flushed. */
  spendOf(r: KeyRecord): number {
    return r.spend + (this.#unflushed.get(r.keyHash) ?? 0)
  }

  /** 429 budget_exceeded when the key is at or over its budget. */
  checkBudget(r: KeyRecord): void {
    if (r.maxBudget !== null && this.spendOf(r) >= r.maxBudget) {
      throw errors.budgetExceeded(r.maxBudget, r.budgetResetAt)
    }
  }

  /** Called when a request's cost is known; the spend writer calls `flushed` once it is stored. */
  addPending(hash: string, cost: number): void {
    this.#unflushed.set(hash, (this.#unflushed.get(hash) ?? 0) + cost)
  }

  /** The costs in `perKey` are now in the store: move them from pending to the cached record. */
  flushed(perKey: ReadonlyMap<string, number>): void {
    for (const [hash, cost] of perKey) {
      const left = (this.#unflushed.get(hash) ?? 0) - cost
      if (Math.abs(left) < 1e-12) this.#unflushed.delete(hash)
      else this.#unflushed.set(hash, left)
      this.cache.patch(hash, (r) => (r.spend += cost))
    }
  }

  async #rollBudget(r: KeyRecord, now: number): Promise<void> {
    let next = r.budgetResetAt!
    while (next <= now) next = addDuration(next, r.budgetDuration!)
    await this.store.resetBudget(r.keyHash, r.budgetResetAt!, next)
    r.spend = 0
    r.budgetResetAt = next
    this.#unflushed.delete(r.keyHash)
  }
}
