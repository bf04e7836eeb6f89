/**
 * Where keys, spend and shared rate-limit counters live:
 * - keys and spend: PostgreSQL when `general_settings.database_url` or
 *   DATABASE_URL is a postgres:// URL, else SQLite at `general_settings.sqlite_path`;
 * - rate-limit counters: Redis when REDIS_URL or `router_settings.redis_host`
 *   (+ `redis_port`, `redis_password`) is set, else in memory (one replica).
 */
import type { LoadedConfig } from './load.ts'

export interface StorageTargets {
  /** postgres://… or a SQLite path. */
  keyStore: string
  /** redis://… or undefined for the in-memory limiter. */
  redis?: string
}

export function storageTargets(config: LoadedConfig, env: Record<string, string | undefined>): StorageTargets {
  const g = config.config.general_settings
  const r = config.config.router_settings
  const keyStore = g.database_url || env.DATABASE_URL || g.sqlite_path
  let redis = env.REDIS_URL || undefined
  if (!redis && r.redis_host) {
    const auth = r.redis_password ? `:${encodeURIComponent(r.redis_password)}@` : ''
    redis = `redis://${auth}${r.redis_host}:${r.redis_port ?? 6379}`
  }
  return redis ? { keyStore, redis } : { keyStore }
}

/** A target with any password replaced, for logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')
}
