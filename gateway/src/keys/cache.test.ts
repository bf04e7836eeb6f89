import { describe, expect, test } from 'bun:test'
import { KeyCache } from './cache.ts'
import type { KeyRecord } from './types.ts'

const rec = (hash: string, spend = 0) => ({ keyHash: hash, spend }) as KeyRecord

function setup(db: Map<string, KeyRecord>, opts: { fail?: boolean } = {}) {
  let now = 0
  let loads = 0
  const cache = new KeyCache({
    ttlMs: 100, negativeTtlMs: 50, maxEntries: 3, now: () => now,
    load: async (h) => {
      loads++
      if (opts.fail) throw new Error('db down')
      return db.get(h)
    },
    onError: () => undefined,
  })
  return { cache, tick: (ms: number) => (now += ms), loads: () => loads }
}

describe('KeyCache', () => {
  test('serves a fresh entry without the database', async () => {
    const s = setup(new Map([['a', rec('a')]]))
    await s.cache.get('a')
    await s.cache.get('a')
    expect(s.loads()).toBe(1)
  })

  test('serves a stale entry at once and refreshes it in the background', async () => {
    const db = new Map([['a', rec('a', 1)]])
    const s = setup(db)
    await s.cache.get('a')
    db.set('a', rec('a', 2))
    s.tick(150)
    expect((await s.cache.get('a'))?.spend).toBe(1)
    await Bun.sleep(0)
    expect((await s.cache.get('a'))?.spend).toBe(2)
  })

  test('keeps serving a cached key while the database is down', async () => {
    const db = new Map([['a', rec('a')]])
    const s = setup(db)
    await s.cache.get('a')
    const down = new KeyCache({ load: async () => Promise.reject(new Error('down')), ttlMs: 0, onError: () => undefined })
    down.set('a', rec('a'))
    expect(await down.get('a')).toEqual(rec('a'))
  })

  test('remembers an unknown key briefly, then asks again', async () => {
    const s = setup(new Map())
    expect(await s.cache.get('x')).toBeNull()
    expect(await s.cache.get('x')).toBeNull()
    expect(s.loads()).toBe(1)
    s.tick(60)
    await s.cache.get('x')
    expect(s.loads()).toBe(2)
  })

  test('applies local changes at once and stays within its size bound', async () => {
    const s = setup(new Map(['a', 'b', 'c', 'd'].map((h) => [h, rec(h)])))
    for (const h of ['a', 'b', 'c', 'd']) await s.cache.get(h)
    s.cache.set('b', null)
    expect(await s.cache.get('b')).toBeNull()
    await s.cache.get('a')
    expect(s.loads()).toBe(5)
  })
})
