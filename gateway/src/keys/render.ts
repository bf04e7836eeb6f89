/** How a key is shown by the admin API: never the key itself after creation, never the full hash. */
import type { KeyRecord } from './types.ts'

export function keyInfo(r: KeyRecord, spend: number) {
  return {
    key_name: `sk-...${r.keyHash.slice(0, 8)}`,
    token: r.keyHash.slice(0, 16),
    key_alias: r.keyAlias,
    models: r.models,
    rpm_limit: r.rpmLimit,
    tpm_limit: r.tpmLimit,
    max_budget: r.maxBudget,
    budget_duration: r.budgetDuration,
    budget_reset_at: r.budgetResetAt === null ? null : new Date(r.budgetResetAt).toISOString(),
    expires: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
    metadata: r.metadata,
    guardrails: r.guardrails,
    spend,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  }
}
