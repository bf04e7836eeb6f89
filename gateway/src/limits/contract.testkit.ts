/**
 * The behaviour every `Limiter` owes its callers, as a table-driven suite run
 * by memory.test.ts and redis.test.ts. Times are explicit (`admit(items, now)`)
 * so both limiters see the same clock.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import type { LimitItem, Limiter } from './types.ts'

const W = 60_000
/** 10.25 s into window 1000 of a 60 s window; 250 ms into a 1 s window. */
const T0 = 1000 * W + 10_250

const item = (counter: string, limit: number, cost = 1, windowMs = W): LimitItem => ({ counter, limit, cost, windowMs })

/** Admits `items` `times` times in a row at `now`; returns how many were admitted. */
async function admitMany(l: Limiter, items: LimitItem[], times: number, now = T0): Promise<number> {
  let admitted = 0
  for (let i = 0; i < times; i++) if ((await l.admit(items, now)).admitted) admitted++
  return admitted
}

/** What is left on `counter` at `now`, read with a cost-0 admission. */
async function remaining(l: Limiter, counter: string, limit: number, now = T0, windowMs = W): Promise<number> {
  return (await l.admit([item(counter, limit, 0, windowMs)], now)).counters[0]!.remaining
}

/** Registers the contract suite for limiters made by `make` (one fresh limiter per test). */
export function describeLimiterContract(name: string, make: () => Limiter): void {
  describe(`${name} limiter contract`, () => {
    let open: Limiter[] = []
    const limiter = (): Limiter => {
      const l = make()
      open.push(l)
      return l
    }
    afterEach(async () => {
      await Promise.all(open.map((l) => l.close()))
      open = []
    })

    test.each([
      { limit: 5, cost: 1, attempts: 8, admitted: 5 },
      { limit: 6, cost: 3, attempts: 3, admitted: 2 },
      { limit: 10, cost: 3, attempts: 5, admitted: 3 },
      { limit: 0, cost: 1, attempts: 2, admitted: 0 },
      { limit: 3, cost: 0, attempts: 4, admitted: 4 },
    ])('limit $limit, cost $cost: admits exactly $admitted of $attempts', async ({ limit, cost, attempts, admitted }) => {
      const l = limiter()
      expect(await admitMany(l, [item('c', limit, cost)], attempts)).toBe(admitted)
      expect(await remaining(l, 'c', limit)).toBe(limit - admitted * cost)
    })

    test.each([
      { case: 'the full item first', order: ['full', 'roomy'], refusedBy: 'full' },
      { case: 'the full item last', order: ['roomy', 'full'], refusedBy: 'full' },
      { case: 'two full items', order: ['roomy', 'full', 'full2'], refusedBy: 'full' },
    ])('with $case, refuses all and charges none', async ({ order, refusedBy }) => {
      const l = limiter()
      const limits: Record<string, number> = { roomy: 10, full: 1, full2: 1 }
      const items = order.map((c) => item(c, limits[c]!))
      expect((await l.admit(items, T0)).admitted).toBe(true)
      const refused = await l.admit(items, T0)
      expect(refused).toEqual({
        admitted: false,
        refusedBy,
        counters: order.map((c) => ({ counter: c, limit: limits[c]!, remaining: limits[c]! - 1, resetMs: 49_750 })),
      })
      expect(await remaining(l, 'roomy', 10)).toBe(9)
    })

    test('reports remaining and reset per item, on its own window', async () => {
      const l = limiter()
      const a = await l.admit([item('rpm', 10), item('tpm', 1000, 300), item('rps', 3, 1, 1000)], T0)
      expect(a).toEqual({
        admitted: true,
        counters: [
          { counter: 'rpm', limit: 10, remaining: 9, resetMs: 49_750 },
          { counter: 'tpm', limit: 1000, remaining: 700, resetMs: 49_750 },
          { counter: 'rps', limit: 3, remaining: 2, resetMs: 750 },
        ],
      })
    })

    test.each([
      { at: 'the last ms of the window', now: 1001 * W - 1, admitted: false, resetMs: 1 },
      { at: 'the first ms of the next window', now: 1001 * W, admitted: true, resetMs: W },
      { at: 'a later window', now: 1005 * W + 5, admitted: true, resetMs: W - 5 },
    ])('a full counter at $at: admitted $admitted', async ({ now, admitted, resetMs }) => {
      const l = limiter()
      expect(await admitMany(l, [item('c', 2)], 2)).toBe(2)
      const a = await l.admit([item('c', 2)], now)
      expect(a.admitted).toBe(admitted)
      expect(a.counters).toEqual([{ counter: 'c', limit: 2, remaining: admitted ? 1 : 0, resetMs }])
    })

    test.each([
      { case: 'a positive delta charges more', delta: 30, admittedAt: T0, left: 60 },
      { case: 'a negative delta gives back', delta: -5, admittedAt: T0, left: 95 },
      { case: 'a refund larger than the count stops at 0', delta: -50, admittedAt: T0, left: 100 },
      { case: 'a delta for an earlier window is ignored', delta: 30, admittedAt: T0 - W, left: 90 },
      { case: 'a zero delta changes nothing', delta: 0, admittedAt: T0, left: 90 },
    ])('adjust: $case', async ({ delta, admittedAt, left }) => {
      const l = limiter()
      expect((await l.admit([item('tpm', 100, 10)], T0)).admitted).toBe(true)
      await l.adjust('tpm', W, delta, admittedAt)
      expect(await remaining(l, 'tpm', 100)).toBe(left)
    })

    test('adjust on a counter with no window yet creates nothing', async () => {
      const l = limiter()
      await l.adjust('none', W, 5, T0)
      expect(await remaining(l, 'none', 10)).toBe(10)
    })

    test('admits an empty list', async () => {
      expect(await limiter().admit([], T0)).toEqual({ admitted: true, counters: [] })
    })

    test.each([
      { case: 'a fractional cost', bad: item('c', 10, 1.5) },
      { case: 'a negative limit', bad: item('c', -1) },
      { case: 'a zero window', bad: item('c', 10, 1, 0) },
    ])('rejects $case with a TypeError', async ({ bad }) => {
      await expect(limiter().admit([bad], T0)).rejects.toThrow(TypeError)
    })
  })
}
