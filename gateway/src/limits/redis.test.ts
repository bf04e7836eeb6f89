import { RedisClient } from 'bun'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { describeLimiterContract } from './contract.testkit.ts'
import { createRedisLimiter } from './redis.ts'

const url = process.env.TEST_REDIS_URL ?? ''
if (!url) console.warn('redis.test.ts: TEST_REDIS_URL unset, Redis limiter tests skipped (scripts/services.sh start)')

const prefix = () => `llmgw-test:${crypto.randomUUID()}:`

if (url) describeLimiterContract('redis', () => createRedisLimiter({ url, failureMode: 'fail_closed', keyPrefix: prefix() }))

describe.skipIf(!url)('redis limiter', () => {
  let redis: RedisClient
  beforeAll(() => {
    redis = new RedisClient(url)
  })
  afterAll(() => redis.close())
  const item = { counter: 'c', limit: 5, cost: 2, windowMs: 60_000 }

  test('keys are <prefix><counter>:<window index> and expire at the window end plus slack', async () => {
    const keyPrefix = prefix()
    const l = createRedisLimiter({ url, failureMode: 'fail_closed', keyPrefix, slackMs: 1_000 })
    await l.admit([item], 1_000 * 60_000 + 20_000)
    expect(await redis.get(`${keyPrefix}c:1000`)).toBe('2')
    const ttl = await redis.pttl(`${keyPrefix}c:1000`)
    expect(ttl).toBeGreaterThan(40_000)
    expect(ttl).toBeLessThanOrEqual(41_000)
    await l.close()
  })

  test('uses Redis TIME for the window when admit gets no time', async () => {
    const keyPrefix = prefix()
    const l = createRedisLimiter({ url, failureMode: 'fail_closed', keyPrefix })
    const [seconds, micros] = (await redis.send('TIME', [])) as [string, string]
    const index = Math.floor((Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)) / 60_000)
    const a = await l.admit([item])
    expect(a.admitted).toBe(true)
    expect(a.counters[0]!.resetMs).toBeLessThanOrEqual(60_000)
    const keys = await redis.send('KEYS', [`${keyPrefix}*`])
    expect([[`${keyPrefix}c:${index}`], [`${keyPrefix}c:${index + 1}`]]).toContainEqual(keys)
    await l.adjust('c', 60_000, 1, Date.now())
    expect((await l.admit([{ ...item, cost: 0 }])).counters[0]!.remaining).toBe(2)
    await l.close()
  })

  test('reloads its script after SCRIPT FLUSH (NOSCRIPT)', async () => {
    const l = createRedisLimiter({ url, failureMode: 'fail_closed', keyPrefix: prefix() })
    expect((await l.admit([item], 1_000_000)).admitted).toBe(true)
    await redis.send('SCRIPT', ['FLUSH'])
    expect((await l.admit([item], 1_000_000)).admitted).toBe(true)
    expect((await l.admit([item], 1_000_000)).admitted).toBe(false)
    expect(l.stats()).toEqual({ failures: 0, outage: false })
    await l.close()
  })
})
