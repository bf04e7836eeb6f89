/**
 * The Redis connection behind the limiter: every call is bounded by a
 * timeout, an outage is noticed once and logged once, and the connection is
 * rebuilt when Redis comes back. Nothing here decides admissions.
 *
 * Bun's client runs with its offline queue off (a command on a dead
 * connection fails at once instead of waiting) and its own reconnect off (this
 * module reconnects, so there is one retry policy). A command that timed out
 * may still run in Redis later: the caller has answered by then.
 */
import { RedisClient } from 'bun'
import { describeError } from '../observability/log.ts'

export interface RedisStoreOptions {
  url: string
  /** Longest wait for one call, connection included, ms. */
  timeoutMs: number
  /** During an outage, how often one call is let through to probe Redis, ms. */
  retryMs: number
  log: (msg: string, fields: Record<string, unknown>) => void
  /** Added to the outage and recovery log lines. */
  logFields?: Record<string, unknown>
}

export interface RedisStoreStats {
  /** Calls that failed or were refused because of an outage, since creation. */
  failures: number
  /** True from the first failure until a call succeeds again. */
  outage: boolean
}

/** The outcome of a call: its value, or `ok: false` when Redis could not answer in time. */
export type StoreResult<T> = { ok: true; value: T } | { ok: false }

export interface RedisStore {
  /** Runs `op` on a connected client, within the timeout; `ok: false` (never a rejection) when Redis cannot answer. */
  run<T>(op: (client: RedisClient) => Promise<T>): Promise<StoreResult<T>>
  stats(): RedisStoreStats
  close(): void
}

const FAILED = { ok: false } as const

/** Rejects with a timeout error when `p` has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: Timer | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

/** Creates the store; it connects on first use. */
export function createRedisStore(opts: RedisStoreOptions): RedisStore {
  const { url, timeoutMs, retryMs, log, logFields = {} } = opts
  let client: RedisClient | null = null
  let connecting: Promise<RedisClient> | null = null
  let outageSince = 0
  let nextProbe = 0
  let failures = 0
  let failuresBefore = 0 // failures when the current outage began
  let closed = false

  /** The connected client, connecting a fresh one when the last one is gone. */
  const connected = (): Promise<RedisClient> => {
    if (client?.connected) return Promise.resolve(client)
    if (connecting) return connecting
    client?.close()
    const c = new RedisClient(url, {
      connectionTimeout: timeoutMs,
      enableOfflineQueue: false,
      autoReconnect: false,
    })
    const attempt = c.connect().then(() => c)
    const settled = (): void => {
      if (connecting === attempt) connecting = null
    }
    attempt.then(settled, settled)
    client = c
    connecting = attempt
    return attempt
  }

  /** Drops `c` when it is still the current client, so the next call reconnects. */
  const drop = (c: RedisClient | null): void => {
    if (c === null || c !== client) return
    client = null
    connecting = null
    c.close()
  }

  return {
    async run<T>(op: (client: RedisClient) => Promise<T>): Promise<StoreResult<T>> {
      const start = Date.now()
      if (closed || (outageSince !== 0 && start < nextProbe)) {
        failures++
        return FAILED
      }
      const probe = outageSince !== 0
      if (probe) nextProbe = start + retryMs // this call probes; the others keep failing fast
      const ready = connected()
      const target = client // set by connected(): the client this call waits on
      try {
        const value = await within(ready.then(op), timeoutMs)
        if (probe && outageSince !== 0) {
          const outage = { outage_ms: Date.now() - outageSince, failures: failures - failuresBefore }
          log('rate-limit store recovered', { ...logFields, ...outage })
          outageSince = 0
        }
        return { ok: true, value }
      } catch (err) {
        failures++
        drop(target)
        if (outageSince === 0 && !closed) {
          outageSince = start
          failuresBefore = failures - 1
          nextProbe = Date.now() + retryMs
          log('rate-limit store unavailable', { ...logFields, ...describeError(err), timeout_ms: timeoutMs })
        }
        return FAILED
      }
    },

    stats: () => ({ failures, outage: outageSince !== 0 }),

    close(): void {
      closed = true
      drop(client)
    },
  }
}
