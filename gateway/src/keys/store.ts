/**
 * Keys and the spend log in SQL, through Bun's built-in client: SQLite (WAL)
 * at a path by default, PostgreSQL when given a postgres:// URL. One schema
 * written for both dialects; migrations run at startup, each once, recorded
 * in schema_migrations. Everything is parameterised (tagged templates): no
 * value is ever spliced into SQL text.
 */
import { SQL } from 'bun'
import type { KeyPatch, KeyRecord, SpendFilter, SpendRow } from './types.ts'

const MIGRATIONS: ReadonlyArray<readonly string[]> = [
  [
    `CREATE TABLE IF NOT EXISTS gateway_keys (
      key_hash TEXT PRIMARY KEY, key_alias TEXT, models TEXT NOT NULL, rpm_limit INTEGER, tpm_limit INTEGER,
      max_budget DOUBLE PRECISION, budget_duration TEXT, budget_reset_at DOUBLE PRECISION, expires_at DOUBLE PRECISION,
      metadata TEXT NOT NULL, guardrails TEXT NOT NULL, spend DOUBLE PRECISION NOT NULL DEFAULT 0,
      created_at DOUBLE PRECISION NOT NULL, updated_at DOUBLE PRECISION NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS gateway_spend_logs (
      request_id TEXT NOT NULL, key_hash_prefix TEXT NOT NULL, key_alias TEXT, model TEXT NOT NULL, deployment TEXT NOT NULL,
      provider TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
      cost DOUBLE PRECISION NOT NULL, latency_ms INTEGER NOT NULL, status INTEGER NOT NULL, stream INTEGER NOT NULL,
      guardrails TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)`,
    'CREATE INDEX IF NOT EXISTS gateway_spend_logs_created ON gateway_spend_logs (created_at)',
    'CREATE INDEX IF NOT EXISTS gateway_spend_logs_key ON gateway_spend_logs (key_hash_prefix, created_at)',
  ],
]

type Row = Record<string, unknown>

export class KeyStore {
  readonly dialect: 'sqlite' | 'postgres'
  readonly #sql: SQL

  /** `url`: postgres://… or a SQLite file path (`:memory:` for tests). */
  constructor(url: string) {
    this.dialect = /^postgres(ql)?:\/\//.test(url) ? 'postgres' : 'sqlite'
    this.#sql = this.dialect === 'postgres' ? new SQL(url) : new SQL(`sqlite://${url}`)
  }

  async migrate(): Promise<void> {
    const sql = this.#sql
    if (this.dialect === 'sqlite') {
      await sql.unsafe('PRAGMA journal_mode=WAL')
      // WAL with synchronous=NORMAL: no fsync per commit; a process crash loses nothing, a power cut at most the last commits.
      await sql.unsafe('PRAGMA synchronous=NORMAL')
      await sql.unsafe('PRAGMA busy_timeout=5000')
    }
    await sql.unsafe('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)')
    const done = new Set((await sql`SELECT version FROM schema_migrations`).map((r: Row) => Number(r.version)))
    for (const [i, statements] of MIGRATIONS.entries()) {
      if (done.has(i + 1)) continue
      await sql.begin(async (tx) => {
        for (const s of statements) await tx.unsafe(s)
        await tx`INSERT INTO schema_migrations (version, applied_at) VALUES (${i + 1}, ${Date.now()}) ON CONFLICT DO NOTHING`
      })
    }
  }

  async insertKey(k: KeyRecord): Promise<void> {
    await this.#sql`INSERT INTO gateway_keys ${this.#sql(toRow(k))}`
  }

  async getKey(hash: string): Promise<KeyRecord | undefined> {
    const rows = await this.#sql`SELECT * FROM gateway_keys WHERE key_hash = ${hash}`
    return rows[0] ? fromRow(rows[0]) : undefined
  }

  async listKeys(): Promise<KeyRecord[]> {
    return (await this.#sql`SELECT * FROM gateway_keys ORDER BY created_at`).map(fromRow)
  }

  async updateKey(hash: string, patch: KeyPatch): Promise<KeyRecord | undefined> {
    const row = toRow({ ...patch, updatedAt: Date.now() } as KeyRecord)
    for (const k of Object.keys(row)) if (row[k] === undefined) delete row[k]
    const rows = await this.#sql`UPDATE gateway_keys SET ${this.#sql(row)} WHERE key_hash = ${hash} RETURNING *`
    return rows[0] ? fromRow(rows[0]) : undefined
  }

  async deleteKeys(hashes: readonly string[]): Promise<number> {
    let n = 0
    for (const h of hashes) n += (await this.#sql`DELETE FROM gateway_keys WHERE key_hash = ${h} RETURNING key_hash`).length
    return n
  }

  /** Starts a new budget period: spend back to 0, next reset at `nextReset`. Only if the period is still due. */
  async resetBudget(hash: string, dueAt: number, nextReset: number): Promise<void> {
    await this.#sql`UPDATE gateway_keys SET spend = 0, budget_reset_at = ${nextReset}, updated_at = ${Date.now()}
      WHERE key_hash = ${hash} AND budget_reset_at = ${dueAt}`
  }

  /** Appends spend rows and adds each key's cost to its spend, in one transaction. */
  async recordSpend(rows: readonly SpendRow[], perKey: ReadonlyMap<string, number>): Promise<void> {
    if (rows.length === 0) return
    await this.#sql.begin(async (tx) => {
      for (let i = 0; i < rows.length; i += 200) await tx`INSERT INTO gateway_spend_logs ${tx(rows.slice(i, i + 200).map(spendToRow))}`
      for (const [hash, cost] of perKey) await tx`UPDATE gateway_keys SET spend = spend + ${cost} WHERE key_hash = ${hash}`
    })
  }

  /**
   * Deletes at most `limit` spend rows created before `before` (epoch ms);
   * returns how many. Bounded so that a large backlog is removed in short
   * statements that never hold the table (or SQLite's one writer) for long.
   */
  async deleteSpendBefore(before: number, limit: number): Promise<number> {
    const sql = this.#sql
    const id = this.dialect === 'postgres' ? sql`ctid` : sql`rowid`
    const r = await sql`DELETE FROM gateway_spend_logs WHERE ${id} IN (SELECT ${id} FROM gateway_spend_logs WHERE created_at < ${before} LIMIT ${limit})`
    return r.count
  }

  async spendLogs(f: SpendFilter): Promise<SpendRow[]> {
    const sql = this.#sql
    const rows = await sql`SELECT * FROM gateway_spend_logs WHERE ${where(sql, f)} ORDER BY created_at DESC LIMIT ${f.limit ?? 1000}`
    return rows.map(spendFromRow)
  }

  /** Totals grouped by `column` (key_hash_prefix or model) within the filter. */
  async spendBy(column: 'key_hash_prefix' | 'model', f: SpendFilter): Promise<Array<{ group: string; keyAlias: string | null; requests: number; promptTokens: number; completionTokens: number; cost: number }>> {
    const sql = this.#sql
    const col = column === 'model' ? sql`model` : sql`key_hash_prefix`
    const rows = await sql`SELECT ${col} AS grp, MAX(key_alias) AS alias, COUNT(*) AS n, SUM(prompt_tokens) AS pt, SUM(completion_tokens) AS ct, SUM(cost) AS cost
      FROM gateway_spend_logs WHERE ${where(sql, f)} GROUP BY ${col} ORDER BY SUM(cost) DESC`
    return rows.map((r: Row) => ({ group: String(r.grp), keyAlias: (r.alias as string | null) ?? null, requests: Number(r.n), promptTokens: Number(r.pt), completionTokens: Number(r.ct), cost: Number(r.cost) }))
  }

  async ping(): Promise<void> {
    await this.#sql`SELECT 1`
  }

  async close(): Promise<void> {
    await this.#sql.close()
  }
}

function where(sql: SQL, f: SpendFilter) {
  const parts = [sql`1 = 1`]
  if (f.keyHashPrefix) parts.push(sql`key_hash_prefix = ${f.keyHashPrefix}`)
  if (f.keyAlias) parts.push(sql`key_alias = ${f.keyAlias}`)
  if (f.model) parts.push(sql`model = ${f.model}`)
  if (f.from !== undefined) parts.push(sql`created_at >= ${f.from}`)
  if (f.to !== undefined) parts.push(sql`created_at < ${f.to}`)
  return parts.reduce((a, b) => sql`${a} AND ${b}`)
}

function toRow(k: Partial<KeyRecord>): Row {
  return {
    key_hash: k.keyHash, key_alias: k.keyAlias, models: k.models && JSON.stringify(k.models), rpm_limit: k.rpmLimit, tpm_limit: k.tpmLimit,
    max_budget: k.maxBudget, budget_duration: k.budgetDuration, budget_reset_at: k.budgetResetAt, expires_at: k.expiresAt,
    metadata: k.metadata && JSON.stringify(k.metadata), guardrails: k.guardrails && JSON.stringify(k.guardrails), spend: k.spend,
    created_at: k.createdAt, updated_at: k.updatedAt,
  }
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

function fromRow(r: Row): KeyRecord {
  return {
    keyHash: String(r.key_hash), keyAlias: (r.key_alias as string | null) ?? null, models: JSON.parse(String(r.models)),
    rpmLimit: num(r.rpm_limit), tpmLimit: num(r.tpm_limit), maxBudget: num(r.max_budget), budgetDuration: (r.budget_duration as string | null) ?? null,
    budgetResetAt: num(r.budget_reset_at), expiresAt: num(r.expires_at), metadata: JSON.parse(String(r.metadata)),
    guardrails: JSON.parse(String(r.guardrails)), spend: Number(r.spend), createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  }
}

function spendToRow(s: SpendRow): Row {
  return {
    request_id: s.requestId, key_hash_prefix: s.keyHashPrefix, key_alias: s.keyAlias, model: s.model, deployment: s.deployment, provider: s.provider,
    prompt_tokens: s.promptTokens, completion_tokens: s.completionTokens, cached_tokens: s.cachedTokens, cost: s.cost, latency_ms: Math.round(s.latencyMs),
    status: s.status, stream: s.stream ? 1 : 0, guardrails: s.guardrails, created_at: s.createdAt,
  }
}

function spendFromRow(r: Row): SpendRow {
  return {
    requestId: String(r.request_id), keyHashPrefix: String(r.key_hash_prefix), keyAlias: (r.key_alias as string | null) ?? null, model: String(r.model),
    deployment: String(r.deployment), provider: String(r.provider), promptTokens: Number(r.prompt_tokens), completionTokens: Number(r.completion_tokens),
    cachedTokens: Number(r.cached_tokens), cost: Number(r.cost), latencyMs: Number(r.latency_ms), status: Number(r.status), stream: Number(r.stream) === 1,
    guardrails: String(r.guardrails), createdAt: Number(r.created_at),
  }
}
