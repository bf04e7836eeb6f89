/**
 * Fixed-window arithmetic shared by the limiters. Windows are aligned to the
 * epoch: window `i` of length `w` covers `[i * w, (i + 1) * w)` ms.
 */
import type { CounterState, LimitItem } from './types.ts'

/** Index of the window holding `now`. */
export const windowIndex = (now: number, windowMs: number): number => Math.floor(now / windowMs)

/** ms from `now` to the end of its window (1..windowMs). */
export const msToWindowEnd = (now: number, windowMs: number): number =>
  (windowIndex(now, windowMs) + 1) * windowMs - now

/** The state of `item`'s counter when it holds `count` at `now`. */
export function counterState(item: LimitItem, count: number, now: number): CounterState {
  return {
    counter: item.counter,
    limit: item.limit,
    remaining: Math.max(0, item.limit - count),
    resetMs: msToWindowEnd(now, item.windowMs),
  }
}

/** States for when the store could not be asked: nothing is known, so each reports its full limit. */
export const unknownStates = (items: readonly LimitItem[], now: number): CounterState[] =>
  items.map((item) => counterState(item, 0, now))

const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0

/**
 * Throws a TypeError on an item no limiter can honour: `limit` and `cost` must
 * be integers >= 0 and `windowMs` an integer > 0 (a bug in the caller, not a
 * client error).
 */
export function assertItems(items: readonly LimitItem[]): void {
  for (const { counter, limit, cost, windowMs } of items) {
    if (!isCount(limit) || !isCount(cost) || !isCount(windowMs) || windowMs === 0) {
      throw new TypeError(`invalid limit item for ${counter}: limit ${limit}, cost ${cost}, windowMs ${windowMs}`)
    }
  }
}
