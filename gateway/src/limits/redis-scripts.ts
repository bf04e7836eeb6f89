/**
 * The Lua scripts of the Redis limiter. Each runs atomically in Redis, so the
 * check and the charge are one step, with no separate read and write.
 *
 * Keys: `KEYS[i]` is a counter's base key (`<prefix><counter>`); the script
 * appends `:<windowIndex>` itself, because the window comes from Redis's clock
 * (see ADMIT). Keys built inside a script are fine on a standalone Redis (or
 * one shard); a Redis Cluster would need every base key under one hash tag.
 */

/**
 * Admission. ARGV: `now` (ms, or '' to read Redis `TIME`), `slackMs`, then
 * `limit, cost, windowMs` per key. Reads every counter of the current window;
 * when one would pass its limit, charges nothing and returns its 1-based
 * position; otherwise INCRBYs all and sets each to expire at its window's end
 * plus `slackMs`. Returns `{now, refusedAt (0 = admitted), count_1..count_n}`,
 * counts being after the charge when admitted and as they stand when refused.
 *
 * The clock is Redis's `TIME` (one clock for every replica, so replicas agree
 * on window boundaries whatever their own clocks say); `now` is only passed
 * when a caller asks for an explicit time (tests, replays).
 */
export const ADMIT = `
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local slack = tonumber(ARGV[2])
local keys, counts, refused = {}, {}, 0
for i = 1, #KEYS do
  local limit, cost, win = tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
  keys[i] = KEYS[i] .. ':' .. string.format('%d', math.floor(now / win))
  counts[i] = tonumber(redis.call('GET', keys[i]) or '0')
  if refused == 0 and counts[i] + cost > limit then refused = i end
end
if refused == 0 then
  for i = 1, #KEYS do
    local cost, win = tonumber(ARGV[3 * i + 1]), tonumber(ARGV[3 * i + 2])
    counts[i] = redis.call('INCRBY', keys[i], cost)
    redis.call('PEXPIRE', keys[i], (math.floor(now / win) + 1) * win - now + slack)
  end
end
return {now, refused, unpack(counts)}
`

/**
 * Correction. KEYS[1]: the window key of the admission; ARGV[1]: delta.
 * Adds delta (floored at 0, keeping the expiry) when the key still exists;
 * a window that has expired is left alone. Returns the new count, or nil.
 */
export const ADJUST = `
if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if v < 0 then redis.call('SET', KEYS[1], '0', 'KEEPTTL'); v = 0 end
return v
`

/** A script with its SHA-1, as EVALSHA wants it. */
export interface Script {
  source: string
  sha: string
}

/** Pairs a script with its SHA-1. */
export const script = (source: string): Script => ({
  source,
  sha: new Bun.CryptoHasher('sha1').update(source).digest('hex'),
})
