/**
 * Our own streaming client, since autocannon does not read SSE: it measures
 * time to first token (the first frame whose delta carries content) and the
 * whole stream, with a bounded number of streams open at once.
 *
 * Bun's fetch caps concurrent requests at 256 unless the process started with
 * BUN_CONFIG_MAX_HTTP_REQUESTS set higher; run.ts sets it for itself.
 */
import type { RequestShape, RoundResult } from './http-load.ts'
import { Samples, summarize } from './stats.ts'

/** How streams are opened. */
export interface StreamLoadShape {
  /** Most streams open at once. */
  concurrency: number
  /** Stop starting streams after this many seconds. */
  durationS: number
  /** Streams started per second; unset = keep `concurrency` streams open all the time. */
  rate?: number
  /** Stop after this many streams (e.g. exactly 1,000 for the open-streams run). */
  total?: number
  /** Per-stream deadline. Default 60 s. */
  timeoutMs?: number
}

/** The outcome of one stream. */
export type StreamOutcome = { ok: true; ttftMs: number; totalMs: number } | { ok: false; status: number; reason: string }

const CONTENT = /"delta":\s*\{[^}]*"content":\s*"[^"]/

/**
 * Reads one SSE body: the first-token time, and whether it ended with
 * `[DONE]` and no error frame. `t0` is the request's start (performance.now()).
 */
export async function readStream(res: Response, t0: number): Promise<StreamOutcome> {
  if (!res.ok || !res.body) {
    await res.body?.cancel()
    return { ok: false, status: res.status, reason: `HTTP ${res.status}` }
  }
  const decoder = new TextDecoder()
  let ttft = -1
  let tail = ''
  let failed = false
  for await (const bytes of res.body) {
    const text = tail + decoder.decode(bytes, { stream: true })
    if (ttft < 0 && CONTENT.test(text)) ttft = performance.now() - t0
    if (text.includes('data: {"error"')) failed = true
    tail = text.slice(-64)
  }
  const totalMs = performance.now() - t0
  if (failed) return { ok: false, status: res.status, reason: 'error frame' }
  if (!tail.includes('[DONE]')) return { ok: false, status: res.status, reason: 'ended without [DONE]' }
  if (ttft < 0) return { ok: false, status: res.status, reason: 'no content' }
  return { ok: true, ttftMs: ttft, totalMs }
}

/** Opens one stream and reads it to the end. */
export async function oneStream(req: RequestShape, timeoutMs: number): Promise<StreamOutcome> {
  const t0 = performance.now()
  try {
    const res = await fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...req.headers },
      body: req.body,
      signal: AbortSignal.timeout(timeoutMs),
    })
    return await readStream(res, t0)
  } catch (err) {
    return { ok: false, status: 0, reason: (err as Error).name }
  }
}

/** Result of a stream round: RoundResult plus the peak of streams open at once on the client side. */
export interface StreamRoundResult extends RoundResult {
  peakOpen: number
  /** Up to 5 distinct failure reasons, for the report. */
  failures: string[]
}

/** Runs streams per `shape` and summarises TTFT and whole-stream latency. */
export async function runStreams(req: RequestShape, shape: StreamLoadShape): Promise<StreamRoundResult> {
  const ttft = new Samples()
  const total = new Samples()
  const failures = new Set<string>()
  let started = 0
  let open = 0
  let peakOpen = 0
  let errors = 0
  let non2xx = 0
  const t0 = performance.now()
  const endAt = t0 + shape.durationS * 1000
  const limit = shape.total ?? Number.POSITIVE_INFINITY
  const inFlight = new Set<Promise<void>>()

  const launch = () => {
    started++
    open++
    peakOpen = Math.max(peakOpen, open)
    const p = oneStream(req, shape.timeoutMs ?? 60_000).then((o) => {
      open--
      if (o.ok) {
        ttft.push(o.ttftMs)
        total.push(o.totalMs)
      } else {
        if (o.status >= 300) non2xx++
        else errors++
        if (failures.size < 5) failures.add(o.reason)
      }
    })
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p))
  }

  while (started < limit && performance.now() < endAt) {
    const due = shape.rate ? Math.floor(((performance.now() - t0) * shape.rate) / 1000) + 1 : limit
    while (started < Math.min(due, limit) && open < shape.concurrency) launch()
    if (started >= limit) break
    if (open >= shape.concurrency) await Promise.race(inFlight)
    else await Bun.sleep(1)
  }
  await Promise.all(inFlight)
  const seconds = (performance.now() - t0) / 1000
  return {
    rps: ttft.length / seconds,
    latency: summarize(total.values()),
    ttft: summarize(ttft.values()),
    requests: started,
    errors,
    non2xx,
    peakOpen,
    failures: [...failures],
  }
}
