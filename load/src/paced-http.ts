/**
 * Fixed-rate non-stream load with our own client: Bun's fetch (keep-alive)
 * started by paced.ts, so arrivals are evenly spaced and open loop, with at
 * most `connections` requests in flight. Latency runs from the send time to
 * the end of the body, or from the due time when the in-flight cap held the
 * request back, so a slow target cannot hide its queueing by slowing the
 * client down (coordinated omission).
 */
import { postInit, type LoadShape, type RequestShape, type RoundResult } from './http-load.ts'
import { pace } from './paced.ts'
import { Samples, summarize } from './stats.ts'

/** Per-request deadline, as autocannon's `timeout: 10`. */
export const REQUEST_TIMEOUT_MS = 10_000

/**
 * Sends `req` at `load.rate` per second for `load.durationS` and reads every
 * body fully. 2xx answers give the latency samples and the rate; other
 * statuses count as non2xx, thrown errors (refused, reset, timed out) as
 * errors; `requests` counts every request sent. The rate is over the round's
 * duration, or longer when the last answers came after it.
 */
export async function runPacedHttp(req: RequestShape, load: LoadShape): Promise<RoundResult> {
  const samples = new Samples()
  let non2xx = 0
  let errors = 0
  const run = await pace(
    { concurrency: load.connections, durationS: load.durationS, ...(load.rate ? { rate: load.rate } : {}) },
    async ({ dueAt, heldBack }) => {
      const sentAt = performance.now()
      try {
        const res = await fetch(req.url, postInit(req, REQUEST_TIMEOUT_MS))
        await res.arrayBuffer()
        if (res.ok) samples.push(performance.now() - (heldBack ? dueAt : sentAt))
        else non2xx++
      } catch {
        errors++
      }
    },
  )
  return {
    rps: samples.length / Math.max(run.elapsedS, load.durationS, 1e-3),
    latency: summarize(samples.values()),
    requests: run.started,
    errors,
    non2xx,
  }
}
