/**
 * The shared rate limit against a real Redis (reliability goal C.13, at the
 * limiter level): three replicas admit exactly the limit, and when Redis is
 * slow, stalled or gone, admissions follow the failure mode within the
 * timeout and recover when Redis is back.
 *
 * Needs TEST_REDIS_URL (`scripts/services.sh start && source .tmp/services.env`);
 * without it only the tests that need no Redis run.
 */
import { RedisClient, type Socket } from 'bun'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createRedisLimiter, STORE_UNAVAILABLE, type RedisLimiter } from '../src/limits/redis.ts'
import type { FailureMode, LimitItem } from '../src/limits/types.ts'

const url = process.env.TEST_REDIS_URL ?? ''
if (!url) console.warn('limits-redis.test.ts: TEST_REDIS_URL unset, real-Redis tests skipped (scripts/services.sh start)')

const TIMEOUT = 100
/** Scheduling slack allowed over the timeout on a busy CI machine. */
const SLACK = 150
const prefix = () => `llmgw-test:${crypto.randomUUID()}:`
const rpm = (limit: number): LimitItem => ({ counter: 'rpm', limit, cost: 1, windowMs: 60_000 })

/** A limiter on `target` with test timings; `logs` collects its log lines. */
function limiterOn(target: string, failureMode: FailureMode, logs: string[] = []): RedisLimiter {
  return createRedisLimiter({ url: target, failureMode, timeoutMs: TIMEOUT, retryMs: 50, keyPrefix: prefix(), log: (msg) => void logs.push(msg) })
}

/** Times one admission. */
async function timed(l: RedisLimiter, items: LimitItem[]) {
  const start = performance.now()
  const admission = await l.admit(items)
  return { admission, ms: performance.now() - start }
}

/** A port where nothing listens. */
function deadPort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = s
  s.stop(true)
  return port
}

type ProxyMode = 'pass' | 'stall' | 'down'

/**
 * A TCP proxy in front of Redis: `pass` relays (after `delayMs`), `stall`
 * accepts and never answers, `down` cuts every connection and refuses new ones.
 */
function startProxy(upstreamPort = 0) {
  let mode: ProxyMode = 'pass'
  let delayMs = 0
  const peers = new Map<Socket<unknown>, Promise<Socket<unknown>>>()
  const send = (to: Socket<unknown>, chunk: Uint8Array) => {
    const copy = new Uint8Array(chunk)
    const write = () => void (to.write(copy) < copy.length && to.end()) // loopback, small frames: a short write is a test bug
    if (delayMs > 0) setTimeout(write, delayMs)
    else write()
  }
  const server = Bun.listen<undefined>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      open(client) {
        if (mode === 'down') return void client.end()
        if (mode === 'stall') return
        const upstream = Bun.connect({
          hostname: '127.0.0.1',
          port: upstreamPort,
          socket: { data: (_, chunk) => send(client, chunk), close: () => void client.end() },
        })
        peers.set(client, upstream)
        upstream.catch(() => client.end())
      },
      data(client, chunk) {
        void peers.get(client)?.then((up) => send(up, chunk), () => {})
      },
      close(client) {
        void peers.get(client)?.then((up) => up.end(), () => {})
        peers.delete(client)
      },
    },
  })
  return {
    url: `redis://127.0.0.1:${server.port}`,
    set(next: ProxyMode, delay = 0) {
      mode = next
      delayMs = delay
      if (next !== 'pass') for (const client of [...peers.keys()]) client.end()
    },
    stop: () => server.stop(true),
  }
}

describe('redis limiter without Redis', () => {
  test.each<{ mode: FailureMode; admitted: boolean; refusedBy?: string }>([
    { mode: 'fail_open', admitted: true },
    { mode: 'fail_closed', admitted: false, refusedBy: STORE_UNAVAILABLE },
  ])('$mode: nothing listening answers at once, admitted $admitted', async ({ mode, admitted, refusedBy }) => {
    const logs: string[] = []
    const l = limiterOn(`redis://127.0.0.1:${deadPort()}`, mode, logs)
    const results = await Promise.all(Array.from({ length: 20 }, () => timed(l, [rpm(10)])))
    for (const { admission, ms } of results) {
      expect(admission).toEqual({ admitted, ...(refusedBy ? { refusedBy } : {}), counters: [{ counter: 'rpm', limit: 10, remaining: 10, resetMs: expect.any(Number) }] })
      expect(ms).toBeLessThan(TIMEOUT + SLACK)
    }
    expect(l.stats()).toEqual({ failures: 20, outage: true })
    expect(logs).toEqual(['rate-limit store unavailable'])
    await l.close()
  })

  test.each<{ mode: FailureMode; admitted: boolean }>([
    { mode: 'fail_open', admitted: true },
    { mode: 'fail_closed', admitted: false },
  ])('$mode: a server that accepts and never answers is given up on within the timeout', async ({ mode, admitted }) => {
    const silent = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
    const l = limiterOn(`redis://127.0.0.1:${silent.port}`, mode)
    const first = await Promise.all(Array.from({ length: 50 }, () => timed(l, [rpm(10)])))
    const during = await timed(l, [rpm(10)])
    for (const { admission, ms } of [...first, during]) {
      expect(admission.admitted).toBe(admitted)
      expect(ms).toBeLessThan(TIMEOUT + SLACK)
    }
    expect(during.ms).toBeLessThan(TIMEOUT) // the outage is known: no new wait until the next probe
    await l.adjust('rpm', 60_000, 5, Date.now()) // must not hang either
    expect(l.stats().outage).toBe(true)
    await l.close()
    silent.stop(true)
  })
})

describe.skipIf(!url)('redis limiter on a shared Redis', () => {
  let redis: RedisClient
  let upstreamPort = 0
  beforeAll(() => {
    redis = new RedisClient(url)
    upstreamPort = Number(new URL(url).port)
  })
  afterAll(() => redis.close())

  test.each([
    { case: 'requests only', items: [rpm(50)], admitted: 50, stored: { rpm: 50 } },
    { case: 'tokens binding', items: [rpm(50), { counter: 'tpm', limit: 1_000, cost: 30, windowMs: 60_000 }], admitted: 33, stored: { rpm: 33, tpm: 990 } },
    { case: 'requests binding', items: [rpm(20), { counter: 'tpm', limit: 100_000, cost: 30, windowMs: 60_000 }], admitted: 20, stored: { rpm: 20, tpm: 600 } },
  ])('3 replicas, 300 concurrent admissions ($case): exactly $admitted admitted', async ({ items, admitted, stored }) => {
    const keyPrefix = prefix()
    const windowMs = 3_600_000 // an hour: the burst does not straddle a window
    const its = items.map((i) => ({ ...i, windowMs }))
    const replicas = [0, 1, 2].map(() => createRedisLimiter({ url, failureMode: 'fail_closed', keyPrefix }))
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => replicas[i % 3]!.admit(its)))
    const ok = results.filter((r) => r.admitted)
    expect(ok.length).toBe(admitted)
    expect(results.filter((r) => !r.admitted && r.refusedBy === STORE_UNAVAILABLE)).toEqual([])
    // each admission saw a distinct count: remaining on the first item runs from limit-1 down
    const left = ok.map((r) => r.counters[0]!.remaining).sort((a, b) => a - b)
    expect(left).toEqual(Array.from({ length: admitted }, (_, i) => its[0]!.limit - admitted + i))
    const keys = (await redis.send('KEYS', [`${keyPrefix}*`])) as string[]
    const counts = await Promise.all(keys.map(async (k) => [k.slice(keyPrefix.length).split(':')[0], Number(await redis.get(k))]))
    expect(Object.fromEntries(counts)).toEqual(stored)
    await Promise.all(replicas.map((r) => r.close()))
    await redis.send('DEL', keys)
  })

  test('a Redis 20 ms away still admits exactly the limit, with no failure', async () => {
    const proxy = startProxy(upstreamPort)
    proxy.set('pass', 20)
    const l = limiterOn(proxy.url, 'fail_closed')
    const results = await Promise.all(Array.from({ length: 30 }, () => l.admit([rpm(10)])))
    expect(results.filter((r) => r.admitted).length).toBe(10)
    expect(l.stats()).toEqual({ failures: 0, outage: false })
    await l.close()
    proxy.stop()
  })

  test.each<{ mode: FailureMode; admitted: boolean }>([
    { mode: 'fail_open', admitted: true },
    { mode: 'fail_closed', admitted: false },
  ])('$mode: a connected Redis turning slower than the timeout counts as an outage', async ({ mode, admitted }) => {
    const proxy = startProxy(upstreamPort)
    const l = limiterOn(proxy.url, mode)
    expect((await l.admit([rpm(1)])).admitted).toBe(true)
    proxy.set('pass', TIMEOUT * 3)
    const { admission, ms } = await timed(l, [rpm(10)])
    expect(admission.admitted).toBe(admitted)
    expect(ms).toBeLessThan(TIMEOUT + SLACK)
    expect(l.stats()).toEqual({ failures: 1, outage: true })
    await l.close()
    proxy.stop()
  })

  test.each<{ mode: FailureMode; during: boolean }>([
    { mode: 'fail_open', during: true },
    { mode: 'fail_closed', during: false },
  ])('$mode: Redis goes away and comes back; counting resumes where it was', async ({ mode, during }) => {
    const proxy = startProxy(upstreamPort)
    const logs: string[] = []
    const l = limiterOn(proxy.url, mode, logs)
    expect(await Promise.all([1, 2, 3].map(() => l.admit([rpm(5)]).then((r) => r.admitted)))).toEqual([true, true, true])

    proxy.set('down')
    for (let i = 0; i < 10; i++) {
      const { admission, ms } = await timed(l, [rpm(5)])
      expect(admission.admitted).toBe(during)
      expect(ms).toBeLessThan(TIMEOUT + SLACK)
    }
    expect(l.stats()).toEqual({ failures: 10, outage: true })

    proxy.set('pass')
    const deadline = Date.now() + 5_000
    let back = await l.admit([rpm(5)])
    while (l.stats().outage && Date.now() < deadline) {
      await Bun.sleep(10)
      back = await l.admit([rpm(5)])
    }
    expect(l.stats().outage).toBe(false)
    expect(back.counters[0]!.remaining).toBe(1) // 3 before the outage + this one
    expect(logs).toEqual(['rate-limit store unavailable', 'rate-limit store recovered'])
    await l.close()
    proxy.stop()
  })
})
