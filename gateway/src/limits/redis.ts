/**
 * The shared limiter: every replica admits against the same Redis counters,
 * through one atomic Lua script per admission (see redis-scripts.ts), so N
 * replicas together admit exactly the limit per window.
 *
 * Clock: window boundaries come from Redis's `TIME`, so replicas agree on them
 * even when their clocks drift. `admit(items, now)` with an explicit `now`
 * uses that time instead (tests, replays). `adjust` takes `admittedAt` on the
 * gateway's clock and maps it to Redis's with the offset measured on the last
 * admission (accurate to half a round trip).
 *
 * When Redis is unreachable or slower than `timeoutMs`, admissions follow
 * `failureMode` at once (no request waits longer than the timeout), the outage
 * is logged once, and the connection is rebuilt when Redis answers again.
 */
import type { RedisClient } from 'bun'
import { createLogger } from '../observability/log.ts'
import { createRedisStore, type RedisStoreStats } from './redis-store.ts'
import { ADJUST, ADMIT, script, type Script } from './redis-scripts.ts'
import type { Admission, FailureMode, LimitItem, Limiter } from './types.ts'
import { assertItems, counterState, unknownStates, windowIndex } from './window.ts'

/** `refusedBy` of a fail-closed refusal: the store could not be asked. */
export const STORE_UNAVAILABLE = 'store_unavailable'

export interface RedisLimiterOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). Never logged. */
  url: string
  /** What admissions do while Redis cannot answer: admit all, or refuse all. */
  failureMode: FailureMode
  /** Called once when an outage begins and once when it ends. Default: a `warn` log line. */
  log?: (msg: string, fields: Record<string, unknown>) => void
  /** Longest wait for Redis per call, connection included, ms. Default 200. */
  timeoutMs?: number
  /** Prefix of every key. Default `llmgw:`. */
  keyPrefix?: string
  /** During an outage, how often one request is let through to probe Redis, ms. Default 500. */
  retryMs?: number
  /** How long a window's key outlives its window, ms (room for late `adjust` calls). Default 1000. */
  slackMs?: number
}

/** The Redis limiter, plus its outage counters (for metrics and readiness). */
export type RedisLimiter = Limiter & { readonly kind: 'redis'; stats(): RedisStoreStats }

/** Runs `s` by SHA, loading it with EVAL when Redis does not know it (first use, restart, SCRIPT FLUSH). */
async function evalScript(client: RedisClient, s: Script, keys: string[], args: string[]): Promise<unknown> {
  const rest = [String(keys.length), ...keys, ...args]
  try {
    return await client.send('EVALSHA', [s.sha, ...rest])
  } catch (err) {
    if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err
    return client.send('EVAL', [s.source, ...rest])
  }
}

/** Creates a limiter on a Redis shared by every replica. It connects on first use. */
export function createRedisLimiter(opts: RedisLimiterOptions): RedisLimiter {
  const prefix = opts.keyPrefix ?? 'llmgw:'
  const slackMs = opts.slackMs ?? 1000
  const failureMode = opts.failureMode
  const admitScript = script(ADMIT)
  const adjustScript = script(ADJUST)
  const store = createRedisStore({
    url: opts.url,
    timeoutMs: opts.timeoutMs ?? 200,
    retryMs: opts.retryMs ?? 500,
    log: opts.log ?? createLogger().warn,
    logFields: { component: 'rate-limit', store: 'redis', failure_mode: failureMode },
  })
  let clockOffset = 0 // Redis TIME minus the local clock, ms

  /** The answer while Redis cannot be asked. */
  const unavailable = (items: readonly LimitItem[], now: number): Admission =>
    failureMode === 'fail_open'
      ? { admitted: true, counters: unknownStates(items, now) }
      : { admitted: false, counters: unknownStates(items, now), refusedBy: STORE_UNAVAILABLE }

  return {
    kind: 'redis',

    async admit(items, now?): Promise<Admission> {
      assertItems(items)
      if (items.length === 0) return { admitted: true, counters: [] }
      const keys = items.map((item) => prefix + item.counter)
      const args = [now === undefined ? '' : String(Math.floor(now)), String(slackMs)]
      for (const item of items) args.push(String(item.limit), String(item.cost), String(item.windowMs))
      const sentAt = Date.now()
      const result = await store.run((c) => evalScript(c, admitScript, keys, args))
      if (!result.ok) return unavailable(items, now ?? Date.now())
      const [storeNow, refusedAt, ...counts] = result.value as number[]
      if (now === undefined) clockOffset = storeNow! - (sentAt + Date.now()) / 2
      const counters = items.map((item, i) => counterState(item, counts[i]!, storeNow!))
      if (refusedAt === 0) return { admitted: true, counters }
      return { admitted: false, counters, refusedBy: items[refusedAt! - 1]!.counter }
    },

    async adjust(counter, windowMs, delta, admittedAt): Promise<void> {
      const amount = Math.round(delta)
      if (amount === 0) return
      const key = `${prefix}${counter}:${windowIndex(admittedAt + clockOffset, windowMs)}`
      await store.run((c) => evalScript(c, adjustScript, [key], [String(amount)]))
    },

    async close(): Promise<void> {
      store.close()
    },

    stats: () => store.stats(),
  }
}
