import { describe, expect, test } from 'bun:test'
import { describeLimiterContract } from './contract.testkit.ts'
import { createMemoryLimiter } from './memory.ts'

describeLimiterContract('memory', () => createMemoryLimiter())

describe('memory limiter', () => {
  test('reads its clock from the now option when admit gets no time', async () => {
    let now = 5 * 60_000 + 1_000
    await using l = disposable(createMemoryLimiter({ now: () => now }))
    const item = { counter: 'c', limit: 1, cost: 1, windowMs: 60_000 }
    expect(await l.admit([item])).toEqual({ admitted: true, counters: [{ counter: 'c', limit: 1, remaining: 0, resetMs: 59_000 }] })
    expect((await l.admit([item])).admitted).toBe(false)
    now += 59_000
    expect((await l.admit([item])).admitted).toBe(true)
  })

  test.each([
    { counters: 1_000, windows: 50, windowMs: 1_000 },
    { counters: 200, windows: 200, windowMs: 60_000 },
  ])('holds only current windows: $counters counters over $windows windows', async ({ counters, windows, windowMs }) => {
    await using l = disposable(createMemoryLimiter({ sweepMs: windowMs }))
    let peak = 0
    for (let w = 0; w < windows; w++) {
      const now = (1_000 + w) * windowMs
      // a different set of counters in each window, as keys come and go
      for (let c = 0; c < counters; c++) await l.admit([{ counter: `w${w}:c${c}`, limit: 10, cost: 1, windowMs }], now)
      peak = Math.max(peak, l.size())
    }
    expect(peak).toBeLessThanOrEqual(2 * counters)
    await l.admit([{ counter: 'last', limit: 1, cost: 1, windowMs }], (1_000 + windows + 1) * windowMs)
    expect(l.size()).toBe(1)
  })

  test('the periodic sweep drops ended windows without any admission', async () => {
    let now = 1_000 * 1_000
    await using l = disposable(createMemoryLimiter({ now: () => now, sweepMs: 5 }))
    await l.admit([{ counter: 'c', limit: 1, cost: 1, windowMs: 1_000 }])
    now += 1_000
    const deadline = Date.now() + 2_000
    while (l.size() > 0 && Date.now() < deadline) await Bun.sleep(5)
    expect(l.size()).toBe(0)
  })
})

/** Lets `await using` close a limiter at the end of a test. */
function disposable<L extends { close(): Promise<void> }>(l: L): L & AsyncDisposable {
  return Object.assign(l, { [Symbol.asyncDispose]: () => l.close() })
}
