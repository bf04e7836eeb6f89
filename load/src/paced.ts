/**
 * Starts tasks on a schedule. With a rate, arrivals are open loop and evenly
 * spaced: launch i is due at t0 + i * 1000 / rate ms, whatever the earlier
 * tasks are doing, except that no more than `concurrency` run at once. A
 * launch the cap held back past its due time is flagged, so the caller can
 * measure from the due time (coordinated-omission correction). Without a
 * rate, it keeps `concurrency` tasks running (closed loop).
 *
 * Timers: Bun.sleep below 1 ms returns at once, so waits are at least 1 ms
 * and launches run up to about a millisecond late at high rates; a launch is
 * never early, and timer lateness is not flagged as held back.
 */

/** How tasks are started. */
export interface PaceShape {
  /** Most tasks running at once. */
  concurrency: number
  /** No launch starts after this many seconds (with a rate: none due at or after it). */
  durationS: number
  /** Launches per second, evenly spaced; unset = keep `concurrency` tasks running (closed loop). */
  rate?: number
  /** Stop after this many launches. */
  total?: number
}

/** What a task is told about its own launch. */
export interface Launch {
  /** 0-based launch number. */
  index: number
  /** When the launch was due (performance.now() ms); the start time in a closed loop. */
  dueAt: number
  /** True when the concurrency cap kept this launch from starting at `dueAt`. */
  heldBack: boolean
}

/** What a paced run did. */
export interface PaceResult {
  started: number
  /** Most tasks running at once. */
  peakOpen: number
  /** From the first launch until the last task ended (s). */
  elapsedS: number
}

/**
 * Runs `task` per `shape` and resolves once every started task has ended.
 * A task should handle its own failures; if one throws anyway, no further
 * launch starts and the first error is rethrown after the others end.
 */
export async function pace(shape: PaceShape, task: (launch: Launch) => Promise<void>): Promise<PaceResult> {
  const interval = shape.rate ? 1000 / shape.rate : 0
  const limit = shape.total ?? Number.POSITIVE_INFINITY
  const t0 = performance.now()
  const endAt = t0 + shape.durationS * 1000
  const running = new Set<Promise<void>>()
  let started = 0
  let peakOpen = 0
  let failure: { error: unknown } | undefined
  let freed = Promise.withResolvers<void>()
  let timer: Timer | undefined
  const end = new Promise<void>((resolve) => (timer = setTimeout(resolve, shape.durationS * 1000)))

  const launch = (l: Launch) => {
    started++
    const p: Promise<void> = Promise.try(task, l)
      .catch((error: unknown) => void (failure ??= { error }))
      .finally(() => {
        running.delete(p)
        freed.resolve()
        freed = Promise.withResolvers<void>()
      })
    running.add(p)
    peakOpen = Math.max(peakOpen, running.size)
  }

  let heldBack = false
  while (started < limit && !failure) {
    const now = performance.now()
    const dueAt = interval ? t0 + started * interval : now
    if (dueAt >= endAt) break
    if (dueAt > now) {
      await Bun.sleep(Math.max(1, dueAt - now))
    } else if (running.size < shape.concurrency) {
      launch({ index: started, dueAt, heldBack })
      heldBack = false
    } else if (now >= endAt) {
      break // the cap still holds a due launch when the time is up: it is not sent
    } else {
      heldBack = interval > 0
      await Promise.race([freed.promise, end])
    }
  }
  clearTimeout(timer)
  await Promise.all(running)
  if (failure) throw failure.error
  return { started, peakOpen, elapsedS: (performance.now() - t0) / 1000 }
}
