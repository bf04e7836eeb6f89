import { expect, test } from 'bun:test'
import { createLogger } from '../observability/log.ts'
import { SpendRetention } from './retention.ts'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 27, 12)

/** A store holding `rows` spend rows older than any cutoff; records each delete call. */
function fakeStore(rows: number) {
  const calls: Array<{ before: number; limit: number }> = []
  let left = rows
  return {
    calls,
    get left() {
      return left
    },
    fail: undefined as Error | undefined,
    async deleteSpendBefore(before: number, limit: number) {
      calls.push({ before, limit })
      if (this.fail) throw this.fail
      const n = Math.min(left, limit)
      left -= n
      return n
    },
  }
}

function setup(rows: number, o: { batch?: number; everyMs?: number } = {}) {
  const store = fakeStore(rows)
  const lines: string[] = []
  const log = createLogger({ level: 'debug', sink: (line) => void lines.push(line) })
  const r = new SpendRetention({ store, log, maxAgeMs: 7 * DAY, everyMs: o.everyMs ?? DAY, batch: o.batch ?? 100, now: () => NOW })
  return { store, lines, r }
}

test('deletes rows older than the period in bounded batches until none are left, and logs the count', async () => {
  const { store, lines, r } = setup(250)
  expect(await r.runOnce()).toBe(250)
  expect(store.left).toBe(0)
  expect(store.calls).toEqual([1, 2, 3].map(() => ({ before: NOW - 7 * DAY, limit: 100 })))
  const line = JSON.parse(lines.find((l) => l.includes('spend logs deleted'))!)
  expect(line).toMatchObject({ rows: 250, older_than: new Date(NOW - 7 * DAY).toISOString() })
})

test('a pass with nothing to delete makes one statement and logs nothing', async () => {
  const { store, lines, r } = setup(0)
  expect(await r.runOnce()).toBe(0)
  expect(store.calls).toHaveLength(1)
  expect(lines).toEqual([])
})

test('passes never overlap: a second call joins the pass under way', async () => {
  const { store, r } = setup(150)
  const [a, b] = await Promise.all([r.runOnce(), r.runOnce()])
  expect([a, b]).toEqual([150, 150])
  expect(store.calls).toHaveLength(2)
})

test('a failed pass is logged without crashing, and the next pass retries', async () => {
  const { store, lines, r } = setup(50)
  store.fail = new Error('database is locked')
  expect(await r.runOnce()).toBe(0)
  expect(lines.some((l) => l.includes('spend log retention failed') && l.includes('database is locked'))).toBe(true)
  expect({ deleted: r.deleted, failures: r.failures, lastSuccessAt: r.lastSuccessAt }).toEqual({ deleted: 0, failures: 1, lastSuccessAt: 0 })
  store.fail = undefined
  expect(await r.runOnce()).toBe(50)
  expect(store.left).toBe(0)
  expect({ deleted: r.deleted, failures: r.failures, lastSuccessAt: r.lastSuccessAt }).toEqual({ deleted: 50, failures: 1, lastSuccessAt: NOW })
})

test('start runs a pass at once and then on the interval; close stops it', async () => {
  const { store, r } = setup(0, { everyMs: 20 })
  r.start()
  expect(store.calls).toHaveLength(1)
  for (const deadline = Date.now() + 2000; store.calls.length < 3 && Date.now() < deadline; ) await Bun.sleep(5)
  await r.close()
  const passes = store.calls.length
  expect(passes).toBeGreaterThanOrEqual(3)
  await Bun.sleep(50)
  expect(store.calls.length).toBe(passes)
})

test('close lets the statement under way finish and starts no further batch', async () => {
  const { store, r } = setup(1000)
  const pass = r.runOnce()
  const closed = r.close()
  expect(await pass).toBe(100)
  await closed
  expect(store.calls).toHaveLength(1)
  expect(store.left).toBe(900)
})
