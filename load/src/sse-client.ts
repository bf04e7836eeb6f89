/**
 * Our own streaming client, since autocannon does not read SSE: it measures
 * time to first token (the first frame whose delta carries content) and the
 * whole stream, with a bounded number of streams open at once, started by
 * paced.ts.
 *
 * Bun's fetch caps concurrent requests at 256 unless the process started with
 * BUN_CONFIG_MAX_HTTP_REQUESTS set higher; run.ts sets it for itself.
 */
import { postInit, type RequestShape, type RoundResult } from './http-load.ts'
import { pace, type PaceShape } from './paced.ts'
import { Samples, summarize } from './stats.ts'

/**
 * How streams are opened (paced.ts): `concurrency` is the most streams open
 * at once, `rate` new streams per second (unset = keep `concurrency` open all
 * the time), `total` stops after that many (exactly 1,000 for open-streams).
 */
export interface StreamLoadShape extends PaceShape {
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
    const res = await fetch(req.url, postInit(req, timeoutMs))
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

/** Runs streams per `shape` (paced.ts) and summarises TTFT and whole-stream latency, both from each stream's own send time. */
export async function runStreams(req: RequestShape, shape: StreamLoadShape): Promise<StreamRoundResult> {
  const ttft = new Samples()
  const total = new Samples()
  const failures = new Set<string>()
  let errors = 0
  let non2xx = 0
  const run = await pace(shape, async () => {
    const o = await oneStream(req, shape.timeoutMs ?? 60_000)
    if (o.ok) {
      ttft.push(o.ttftMs)
      total.push(o.totalMs)
    } else {
      if (o.status >= 300) non2xx++
      else errors++
      if (failures.size < 5) failures.add(o.reason)
    }
  })
  return {
    rps: ttft.length / run.elapsedS,
    latency: summarize(total.values()),
    ttft: summarize(ttft.values()),
    requests: run.started,
    errors,
    non2xx,
    peakOpen: run.peakOpen,
    failures: [...failures],
  }
}
