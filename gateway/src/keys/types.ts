/** Virtual keys as stored (only the SHA-256 of the key itself is ever kept). */

export interface KeyRecord {
  /** Hex SHA-256 of the key. */
  keyHash: string
  keyAlias: string | null
  /** Model names the key may use; empty = all. */
  models: string[]
  rpmLimit: number | null
  tpmLimit: number | null
  /** USD. */
  maxBudget: number | null
  /** e.g. `30d`: spend resets on this period. */
  budgetDuration: string | null
  /** Epoch ms of the next budget reset. */
  budgetResetAt: number | null
  /** Epoch ms after which the key is refused; null = never. */
  expiresAt: number | null
  metadata: Record<string, unknown>
  /** Guardrails forced on for every request of this key. */
  guardrails: string[]
  /** USD spent in the current budget period (as flushed to the store). */
  spend: number
  createdAt: number
  updatedAt: number
}

export type KeyPatch = Partial<Omit<KeyRecord, 'keyHash' | 'createdAt'>>

/** One row of the spend log. */
export interface SpendRow {
  requestId: string
  /** First 16 hex characters of the key's hash, or `master`. */
  keyHashPrefix: string
  keyAlias: string | null
  model: string
  deployment: string
  provider: string
  promptTokens: number
  completionTokens: number
  cachedTokens: number
  cost: number
  latencyMs: number
  status: number
  stream: boolean
  /** Guardrail outcome, e.g. `passed`, `flagged:pii-mask`, or empty when none ran. */
  guardrails: string
  createdAt: number
}

export interface SpendFilter {
  keyHashPrefix?: string
  keyAlias?: string
  model?: string
  /** Epoch ms, inclusive. */
  from?: number
  /** Epoch ms, exclusive. */
  to?: number
  limit?: number
}
