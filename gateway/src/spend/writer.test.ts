import { describe, expect, test } from 'bun:test'
import { KeyStore } from '../keys/store.ts'
import type { SpendRow } from '../keys/types.ts'
import { SpendWriter } from './writer.ts'

const row = (requestId: string, cost: number): SpendRow => ({
  requestId, keyHashPrefix: 'abc', keyAlias: null, model: 'm', deployment: 'm#0', provider: 'mock', promptTokens: 1, completionTokens: 1,
  cachedTokens: 0, cost, latencyMs: 1, status: 200, stream: false, guardrails: '', createdAt: Date.now(),
})

async function storeWithKey() {
  const store = new KeyStore(':memory:')
  await store.migrate()
  const now = Date.now()
  await store.insertKey({ keyHash: 'h', keyAlias: null, models: [], rpmLimit: null, tpmLimit: null, maxBudget: null, budgetDuration: null, budgetResetAt: null, expiresAt: null, metadata: {}, guardrails: [], spend: 0, createdAt: now, updatedAt: now })
  return store
}

describe('SpendWriter', () => {
  test('writes queued rows and the key totals on close', async () => {
    const store = await storeWithKey()
    const flushed: number[] = []
    const w = new SpendWriter({ store, intervalMs: 60_000, onFlushed: (m) => flushed.push(m.get('h') ?? 0) })
    w.enqueue(row('r1', 0.25), 'h')
    w.enqueue(row('r2', 0.5), 'h')
    w.enqueue(row('r3', 1))
    await w.close()
    expect((await store.spendLogs({})).map((r) => r.requestId).sort()).toEqual(['r1', 'r2', 'r3'])
    expect((await store.getKey('h'))?.spend).toBe(0.75)
    expect(flushed).toEqual([0.75])
  })

  test('keeps the rows of a failed flush and writes them on the next one', async () => {
    const store = await storeWithKey()
    const real = store.recordSpend.bind(store)
    let fail = true
    store.recordSpend = async (rows, perKey) => (fail ? Promise.reject(new Error('db down')) : real(rows, perKey))
    const errors: number[] = []
    const w = new SpendWriter({ store, intervalMs: 60_000, onError: (_e, pending) => errors.push(pending) })
    w.enqueue(row('r1', 1), 'h')
    await w.flush()
    expect({ errors, pending: w.pending }).toEqual({ errors: [1], pending: 1 })
    fail = false
    await w.close()
    expect((await store.getKey('h'))?.spend).toBe(1)
  })

  test('writes a backlog in transactions of batchSize rows and lets other work run between them', async () => {
    const store = await storeWithKey()
    const real = store.recordSpend.bind(store)
    const events: string[] = []
    store.recordSpend = async (rows, perKey) => {
      events.push(`write ${rows.length}`)
      setImmediate(() => events.push('other work'))
      return real(rows, perKey)
    }
    const w = new SpendWriter({ store, intervalMs: 60_000, batchSize: 100, flushAt: 1000 })
    for (let i = 0; i < 250; i++) w.enqueue(row(`r${i}`, 0.01), 'h')
    await w.close()
    expect(events).toEqual(['write 100', 'other work', 'write 100', 'other work', 'write 50', 'other work'])
    expect((await store.spendLogs({ limit: 1000 })).length).toBe(250)
    expect((await store.getKey('h'))?.spend).toBeCloseTo(2.5, 10)
  })

  test('starts a small write as soon as flushAt rows wait; rows that arrive meanwhile go in the next writes, batchSize at most', async () => {
    const store = await storeWithKey()
    const real = store.recordSpend.bind(store)
    const sizes: number[] = []
    store.recordSpend = async (rows, perKey) => {
      sizes.push(rows.length)
      await Bun.sleep(5)
      return real(rows, perKey)
    }
    const w = new SpendWriter({ store, intervalMs: 60_000, flushAt: 3, batchSize: 5 })
    for (let i = 0; i < 3; i++) w.enqueue(row(`a${i}`, 0.01), 'h')
    expect(sizes).toEqual([3]) // written at once, not at the timer
    for (let i = 0; i < 7; i++) w.enqueue(row(`b${i}`, 0.01), 'h')
    for (const deadline = Date.now() + 2000; w.pending > 0 && Date.now() < deadline; ) await Bun.sleep(5)
    expect(sizes).toEqual([3, 5, 2])
    await w.close()
    expect((await store.spendLogs({ limit: 100 })).length).toBe(10)
  })

  test('after a failed write it waits for the next flush instead of retrying at once', async () => {
    const store = await storeWithKey()
    let writes = 0
    store.recordSpend = async () => {
      writes++
      throw new Error('db down')
    }
    const w = new SpendWriter({ store, intervalMs: 60_000, flushAt: 2, onError: () => undefined })
    for (let i = 0; i < 5; i++) w.enqueue(row(`r${i}`, 1)) // the second row starts a flush
    await new Promise((r) => setTimeout(r, 20))
    expect({ writes, pending: w.pending }).toEqual({ writes: 1, pending: 5 })
  })

  test('bounds its queue and counts what it had to drop', async () => {
    const store = await storeWithKey()
    store.recordSpend = async () => Promise.reject(new Error('db down'))
    const w = new SpendWriter({ store, intervalMs: 60_000, maxQueue: 3, batchSize: 1000, onError: () => undefined })
    for (let i = 0; i < 5; i++) w.enqueue(row(`r${i}`, 1))
    expect({ pending: w.pending, dropped: w.dropped }).toEqual({ pending: 3, dropped: 2 })
  })
})

test('close gives up on a hung database after its timeout and reports the rows it could not write', async () => {
  const store = new KeyStore(':memory:')
  await store.migrate()
  store.recordSpend = () => new Promise<never>(() => {})
  const w = new SpendWriter({ store, intervalMs: 60_000 })
  w.enqueue(row('r1', 1))
  w.enqueue(row('r2', 1))
  expect(await w.close(20)).toBe(2)
})
