/**
 * One Chat Completions round trip, streamed or not, read and inspected:
 * the status, the error envelope or the completion's shape, the SSE framing,
 * latency and time to first token. Every suite that talks to a model uses it.
 */
import { inspectCompletion, inspectStream, type CompletionView, type StreamView } from './completion.ts'
import { describeAnswer, call, envelopeOf, parseJson, type Endpoint, type ErrorEnvelope } from './http.ts'
import { readSse, type SseRead } from './sse.ts'
import type { CheckMetrics } from './types.ts'

/** A chat message as the harness sends it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface ChatRequest {
  model: string
  messages: ChatMessage[]
  stream?: boolean
  /** Extra body fields (`max_tokens`, `stream_options`, …). */
  extra?: Record<string, unknown>
}

/** What came back. */
export interface Exchange {
  status: number
  headers: Headers
  /** True when the answer was `text/event-stream`. */
  streamed: boolean
  /** The raw body text (the whole stream for SSE). */
  raw: string
  /** The HTTP-level error envelope, when the body is one. */
  envelope?: ErrorEnvelope
  /** Shape view of a 2xx non-stream answer. */
  completion?: CompletionView
  /** Shape view of an SSE answer, with its framing in `sse`. */
  stream?: StreamView
  sse?: SseRead
  latencyMs: number
}

/** Sends a chat completion request and reads the answer to its end. */
export async function exchange(ep: Endpoint, req: ChatRequest, signal: AbortSignal): Promise<Exchange> {
  const body = { model: req.model, messages: req.messages, ...(req.stream ? { stream: true } : {}), ...req.extra }
  const started = performance.now()
  const res = await call(ep, '/v1/chat/completions', { json: body, signal })
  const base = { status: res.status, headers: res.headers }
  if ((res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/event-stream')) {
    const sse = await readSse(res.body, { start: started })
    return { ...base, streamed: true, raw: sse.raw, sse, stream: inspectStream(sse), latencyMs: Math.round(performance.now() - started) }
  }
  const raw = await res.text()
  const latencyMs = Math.round(performance.now() - started)
  const json = parseJson(raw)
  const envelope = envelopeOf(json)
  const out: Exchange = { ...base, streamed: false, raw, latencyMs, ...(envelope ? { envelope } : {}) }
  if (res.ok) out.completion = inspectCompletion(json)
  return out
}

/** Latency, time to first token and usage of an exchange, for the report. */
export function metricsOf(x: Exchange): CheckMetrics {
  const view = x.stream ?? x.completion
  const m: CheckMetrics = { latencyMs: x.latencyMs }
  if (x.stream?.ttftMs !== undefined) m.ttftMs = x.stream.ttftMs
  if (view?.usage) {
    m.promptTokens = view.usage.promptTokens
    m.completionTokens = view.usage.completionTokens
    m.totalTokens = view.usage.totalTokens
  }
  return m
}

/** "HTTP 404 invalid_request_error/model_not_found: …" or "HTTP 500: <body excerpt>". */
export function describeStatus(x: Exchange): string {
  return describeAnswer({ status: x.status, json: x.envelope ? { error: x.envelope } : undefined, text: x.raw })
}
