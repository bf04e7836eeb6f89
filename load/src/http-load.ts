/**
 * Saturating non-stream load with autocannon's programmatic API, and the
 * request and result shapes every client here shares. autocannon drives only
 * runs without a rate: its rate option sends per-second bursts, so fixed
 * rates go through paced-http.ts. autocannon's own latency histogram has
 * whole-millisecond resolution, so every response time (hrtime, fractional
 * ms) is kept and summarised by stats.ts instead.
 */
import autocannon from 'autocannon'
import { Samples, summarize, type LatencySummary } from './stats.ts'

/** One request shape sent over and over. */
export interface RequestShape {
  /** Full URL of the chat completions endpoint. */
  url: string
  headers: Record<string, string>
  body: string
}

/** The fetch options for one POST of `req`, aborted after `timeoutMs`. */
export function postInit(req: RequestShape, timeoutMs: number): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...req.headers },
    body: req.body,
    signal: AbortSignal.timeout(timeoutMs),
  }
}

/** How hard to push. */
export interface LoadShape {
  durationS: number
  /** autocannon's connections; for paced runs, the most requests in flight at once. */
  connections: number
  /** Requests per second, evenly spaced (paced-http.ts); unset = as fast as the target answers (saturating). */
  rate?: number
}

/** What one measured round gives, for one target. */
export interface RoundResult {
  /** 2xx responses per second of wall time. */
  rps: number
  /** Latency of 2xx responses (ms). */
  latency: LatencySummary
  /** Time to first token (ms), stream runs only. */
  ttft?: LatencySummary
  requests: number
  errors: number
  non2xx: number
}

/** Runs autocannon for one round and returns the figures. Meant for saturating runs (no `rate`). */
export async function runHttpLoad(req: RequestShape, load: LoadShape): Promise<RoundResult> {
  const samples = new Samples()
  let ok = 0
  let non2xx = 0
  let finish!: (r: autocannon.Result) => void
  let fail!: (e: unknown) => void
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finish = resolve), (fail = reject)))
  const options: autocannon.Options = {
    url: req.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...req.headers },
    body: req.body,
    duration: load.durationS,
    connections: load.connections,
    pipelining: 1,
    timeout: 10,
    ...(load.rate ? { overallRate: load.rate } : {}),
  }
  const instance = autocannon(options, (err, result) => (err ? fail(err) : finish(result)))
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) {
      ok++
      samples.push(ms)
    } else non2xx++
  })
  const result = await done
  return {
    rps: ok / Math.max(result.duration, 1e-3),
    latency: summarize(samples.values()),
    requests: ok + non2xx,
    errors: result.errors,
    non2xx,
  }
}
