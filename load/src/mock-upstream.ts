/**
 * A fast OpenAI-compatible upstream for load runs: `POST /v1/chat/completions`
 * answers JSON or SSE with a fixed reply after a configurable latency, pacing
 * stream chunks by a configurable interval. Bodies are built once at start so
 * the mock costs little next to the load generator on the same core.
 * `GET /__stats` reports requests served and the peak of concurrently open
 * streams (how many upstream streams the gateway really held open).
 *
 * Run alone: `bun load/src/mock-upstream.ts [--port N] [--latency-ms N]
 * [--tokens N] [--token-interval-ms N]`; it prints one JSON line with its URL.
 */
import { parseArgs } from 'node:util'

/** How the mock answers. */
export interface MockOptions {
  /** Delay before the JSON body, or before the first stream chunk. Default 0. */
  latencyMs?: number
  /** Content chunks per reply (one "token" each). Default 16. */
  tokens?: number
  /** Delay between stream chunks. Default 0 (all chunks in one write). */
  tokenIntervalMs?: number
  /** Listen port. Default 0 (any free port). */
  port?: number
}

/** Counters the mock exposes on `GET /__stats`. */
export interface MockStats {
  requests: number
  streams: number
  openStreams: number
  peakOpenStreams: number
}

/** A running mock. */
export interface MockUpstream {
  /** Base URL without a path, e.g. `http://127.0.0.1:41234`. */
  url: string
  stats(): MockStats
  stop(): Promise<void>
}

/** The token text: plain words that trip no keyword or PII guardrail. */
export const MOCK_TOKEN = ' lorem'
const MODEL = 'mock-model'
const enc = new TextEncoder()

/** The non-stream body, the stream frames and the usage frame, built once. */
export function buildReplies(tokens: number) {
  const created = Math.floor(Date.now() / 1000)
  const head = { id: 'chatcmpl-mock', created, model: MODEL }
  const usage = { prompt_tokens: 8, completion_tokens: tokens, total_tokens: 8 + tokens }
  const json = JSON.stringify({
    ...head,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: MOCK_TOKEN.repeat(tokens) }, finish_reason: 'stop' }],
    usage,
  })
  const frame = (o: object) => enc.encode(`data: ${JSON.stringify({ ...head, object: 'chat.completion.chunk', ...o })}\n\n`)
  const chunk = (delta: object, finish: string | null) => frame({ choices: [{ index: 0, delta, finish_reason: finish }] })
  const frames: Uint8Array[] = [chunk({ role: 'assistant', content: MOCK_TOKEN }, null)]
  for (let i = 1; i < tokens; i++) frames.push(chunk({ content: MOCK_TOKEN }, null))
  frames.push(chunk({}, 'stop'))
  return { json, frames, usage: frame({ choices: [], usage }), done: enc.encode('data: [DONE]\n\n') }
}

const concat = (parts: Uint8Array[]) => Buffer.concat(parts)

/** Starts the mock on 127.0.0.1. */
export function startMockUpstream(opts: MockOptions = {}): MockUpstream {
  const latency = opts.latencyMs ?? 0
  const interval = opts.tokenIntervalMs ?? 0
  const r = buildReplies(Math.max(1, opts.tokens ?? 16))
  const burstWithUsage = concat([...r.frames, r.usage, r.done])
  const burst = concat([...r.frames, r.done])
  const stats: MockStats = { requests: 0, streams: 0, openStreams: 0, peakOpenStreams: 0 }
  const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }

  const paced = (withUsage: boolean, signal: AbortSignal) =>
    new ReadableStream<Uint8Array>({
      async start(ctrl) {
        try {
          if (latency > 0) await Bun.sleep(latency)
          for (let i = 0; i < r.frames.length && !signal.aborted; i++) {
            if (i > 0) await Bun.sleep(interval)
            ctrl.enqueue(r.frames[i]!)
          }
          if (withUsage) ctrl.enqueue(r.usage)
          ctrl.enqueue(r.done)
          ctrl.close()
        } catch {
          // The client went away; nothing to clean beyond the counters.
        } finally {
          stats.openStreams--
        }
      },
    })

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: opts.port ?? 0,
    idleTimeout: 120,
    async fetch(req) {
      const path = new URL(req.url).pathname
      if (req.method === 'GET' && path === '/__stats') return Response.json(stats)
      if (req.method !== 'POST' || !path.endsWith('/chat/completions')) return new Response('not found', { status: 404 })
      stats.requests++
      const body = (await req.json().catch(() => ({}))) as { stream?: boolean; stream_options?: { include_usage?: boolean } }
      if (body.stream !== true) {
        if (latency > 0) await Bun.sleep(latency)
        return new Response(r.json, { headers: { 'content-type': 'application/json' } })
      }
      stats.streams++
      const withUsage = body.stream_options?.include_usage === true
      if (interval === 0 && latency === 0) return new Response(withUsage ? burstWithUsage : burst, { headers: sseHeaders })
      stats.openStreams++
      stats.peakOpenStreams = Math.max(stats.peakOpenStreams, stats.openStreams)
      return new Response(paced(withUsage, req.signal), { headers: sseHeaders })
    },
  })
  return { url: `http://127.0.0.1:${server.port}`, stats: () => ({ ...stats }), stop: () => server.stop(true) }
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'latency-ms': { type: 'string', default: '0' },
      tokens: { type: 'string', default: '16' },
      'token-interval-ms': { type: 'string', default: '0' },
    },
  })
  const mock = startMockUpstream({
    port: Number(values.port),
    latencyMs: Number(values['latency-ms']),
    tokens: Number(values.tokens),
    tokenIntervalMs: Number(values['token-interval-ms']),
  })
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: mock.url })}\n`)
  process.on('SIGTERM', () => void mock.stop().then(() => process.exit(0)))
}
