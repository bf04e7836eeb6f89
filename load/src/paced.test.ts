import { expect, test } from 'bun:test'
import { pace, type Launch } from './paced.ts'

/** Runs `pace` with tasks that sleep `taskMs`, recording each launch, its start time and the most running at once. */
async function record(shape: Parameters<typeof pace>[0], taskMs: number) {
  const launches: (Launch & { startedAt: number })[] = []
  let open = 0
  let maxOpen = 0
  let ended = 0
  const result = await pace(shape, async (l) => {
    launches.push({ ...l, startedAt: performance.now() })
    maxOpen = Math.max(maxOpen, ++open)
    await Bun.sleep(taskMs)
    open--
    ended++
  })
  return { result, launches, maxOpen, ended }
}

test('at a rate, launches are evenly spaced: 200/s for 1 s starts 200, never early, never a burst', async () => {
  const { result, launches } = await record({ rate: 200, concurrency: 50, durationS: 1 }, 2)
  const t0 = launches[0]!.dueAt
  const perWindow = new Map<number, number>()
  for (const l of launches) {
    const w = Math.floor((l.startedAt - t0) / 10)
    perWindow.set(w, (perWindow.get(w) ?? 0) + 1)
  }
  expect({
    started: result.started,
    indices: launches.map((l) => l.index),
    dueEvery5ms: launches.every((l) => Math.abs(l.dueAt - t0 - l.index * 5) < 1e-6),
    earlyLaunches: launches.filter((l) => l.startedAt < l.dueAt).length,
    heldBack: launches.filter((l) => l.heldBack).length,
  }).toEqual({ started: 200, indices: [...Array(200).keys()], dueEvery5ms: true, earlyLaunches: 0, heldBack: 0 })
  // 2 per 10 ms window on schedule; a per-second burst would put all 200 in the first one.
  expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5)
  expect(perWindow.size).toBeGreaterThanOrEqual(95)
  expect(result.elapsedS).toBeGreaterThanOrEqual(0.995)
})

test('the concurrency cap holds launches back, flags them, and they start only when a task ends', async () => {
  // Due every 10 ms, but 2 slots of 50 ms serve only one launch per 25 ms.
  const { result, launches, maxOpen } = await record({ rate: 100, concurrency: 2, durationS: 0.3 }, 50)
  expect({ maxOpen, peakOpen: result.peakOpen, flags: launches.slice(0, 3).map((l) => l.heldBack) }).toEqual({
    maxOpen: 2,
    peakOpen: 2,
    flags: [false, false, true],
  })
  const held = launches.filter((l) => l.heldBack)
  expect(held.length).toBeGreaterThanOrEqual(5)
  expect(held.every((l) => l.startedAt - l.dueAt >= 10)).toBe(true)
  // Launches still held back when the time is up are not sent: 30 were due, far fewer fit.
  expect(result.started).toBeLessThan(20)
})

test('without a rate it keeps `concurrency` tasks running (closed loop), none flagged', async () => {
  const { result, launches, maxOpen } = await record({ concurrency: 3, durationS: 0.2 }, 10)
  expect({ maxOpen, peakOpen: result.peakOpen, heldBack: launches.some((l) => l.heldBack) }).toEqual({ maxOpen: 3, peakOpen: 3, heldBack: false })
  expect(result.started).toBeGreaterThanOrEqual(30)
})

test.each([
  ['closed loop', { concurrency: 5, durationS: 5, total: 12 }, 5],
  ['at a rate', { rate: 1000, concurrency: 5, durationS: 5, total: 12 }, 5],
  ['all at once', { concurrency: 12, durationS: 5, total: 12 }, 12],
])('%s, `total` stops after exactly that many launches', async (_name, shape, peak) => {
  const { result, launches } = await record(shape, 10)
  expect({ started: result.started, peakOpen: result.peakOpen, indices: launches.map((l) => l.index) }).toEqual({ started: 12, peakOpen: peak, indices: [...Array(12).keys()] })
  expect(result.elapsedS).toBeLessThan(1)
})

test('it resolves only after every task has ended, including ones still running when the time is up', async () => {
  const { result, ended } = await record({ rate: 50, concurrency: 10, durationS: 0.1 }, 150)
  expect({ started: result.started, ended }).toEqual({ started: 5, ended: 5 })
  expect(result.elapsedS).toBeGreaterThanOrEqual(0.2)
})

test('a task that throws stops further launches and is rethrown once the others have ended', async () => {
  let ended = 0
  const run = pace({ concurrency: 4, durationS: 5 }, async ({ index }) => {
    if (index === 0) throw new Error('boom')
    await Bun.sleep(20)
    ended++
  })
  await expect(run).rejects.toThrow('boom')
  expect(ended).toBe(3)
})
