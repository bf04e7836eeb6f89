/**
 * In-process limiter: one replica's view only (use the Redis limiter when
 * several replicas share a limit). Each counter keeps its current window
 * alone; windows that have ended are dropped by a sweep that runs on access
 * and on an unref'd timer, so memory is bounded by the counters live in the
 * current window.
 */
import type { Admission, LimitItem, Limiter } from './types.ts'
import { assertItems, counterState, windowIndex } from './window.ts'

export interface MemoryLimiterOptions {
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number
  /** How often ended windows are swept, ms. Default 10 000. */
  sweepMs?: number
}

/** The memory limiter, plus the number of counters it holds (for tests and metrics). */
export type MemoryLimiter = Limiter & { readonly kind: 'memory'; size(): number }

interface Slot {
  windowMs: number
  index: number
  count: number
}

/** Creates an in-process fixed-window limiter. */
export function createMemoryLimiter(opts: MemoryLimiterOptions = {}): MemoryLimiter {
  const clock = opts.now ?? Date.now
  const sweepMs = opts.sweepMs ?? 10_000
  const slots = new Map<string, Slot>()
  let lastSweep = Number.NEGATIVE_INFINITY

  /** Drops every slot whose window ended before `now`. */
  const sweep = (now: number): void => {
    lastSweep = now
    for (const [counter, slot] of slots) {
      if (slot.index < windowIndex(now, slot.windowMs)) slots.delete(counter)
    }
  }
  const timer = setInterval(() => sweep(clock()), sweepMs)
  timer.unref()

  /** The count of `item`'s counter in the window holding `now` (0 when that window has no slot). */
  const countOf = (item: LimitItem, now: number): number => {
    const slot = slots.get(item.counter)
    const current = slot && slot.windowMs === item.windowMs && slot.index === windowIndex(now, item.windowMs)
    return current ? slot.count : 0
  }

  return {
    kind: 'memory',

    async admit(items, now = clock()): Promise<Admission> {
      assertItems(items)
      if (Math.abs(now - lastSweep) >= sweepMs) sweep(now) // abs: an explicit `now` may be on another time base
      const counts = items.map((item) => countOf(item, now))
      const full = items.findIndex((item, i) => counts[i]! + item.cost > item.limit)
      if (full >= 0) {
        return {
          admitted: false,
          counters: items.map((item, i) => counterState(item, counts[i]!, now)),
          refusedBy: items[full]!.counter,
        }
      }
      const counters = items.map((item, i) => {
        const count = counts[i]! + item.cost
        slots.set(item.counter, { windowMs: item.windowMs, index: windowIndex(now, item.windowMs), count })
        return counterState(item, count, now)
      })
      return { admitted: true, counters }
    },

    async adjust(counter, windowMs, delta, admittedAt): Promise<void> {
      const slot = slots.get(counter)
      if (slot && slot.windowMs === windowMs && slot.index === windowIndex(admittedAt, windowMs)) {
        slot.count = Math.max(0, slot.count + delta)
      }
    },

    async close(): Promise<void> {
      clearInterval(timer)
      slots.clear()
    },

    size: () => slots.size,
  }
}
