/**
 * A minimal span exporter: OTLP/HTTP with the JSON encoding, batched, off the
 * request path. `startSpan` and `end` only touch memory; a timer posts the
 * queue to `<endpoint>/v1/traces`. A full queue drops spans (and counts them);
 * a collector that is down or slow never delays or fails a request.
 * Attribute values that look like credentials are masked before they are queued.
 */

/** Identifies a span: 32 and 16 lowercase hex digits. */
export interface SpanContext {
  traceId: string
  spanId: string
}

export type AttributeValue = string | number | boolean

/** OTLP span kinds. */
export const SpanKind = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind]

export interface Span {
  readonly context: SpanContext
  setAttribute(key: string, value: AttributeValue | undefined): void
  /** Ends the span (only the first call counts): status error with `errorType` as message, else ok. */
  end(error?: { errorType: string }): void
}

export interface TracerStats {
  queued: number
  exported: number
  /** Spans dropped because the queue was full, the tracer closed, or their export failed. */
  dropped: number
}

export interface Tracer {
  startSpan(name: string, parent?: SpanContext, attributes?: Record<string, AttributeValue | undefined>, kind?: SpanKind): Span
  stats(): TracerStats
  /** Exports what is queued and stops; resolves within `timeoutMs` even if the collector hangs. */
  close(): Promise<void>
}

export interface TracerOptions {
  /** Base URL of the collector, as OTEL_EXPORTER_OTLP_ENDPOINT: spans go to `<endpoint>/v1/traces`. */
  endpoint: string
  /** `service.name` resource attribute. Default `llm-gateway`. */
  serviceName?: string
  headers?: Record<string, string>
  fetch?: typeof fetch
  /** Export interval, ms. Default 1000. */
  batchMs?: number
  /** Spans per POST. Default 512. */
  maxBatch?: number
  /** Spans held before dropping. Default 4096. */
  maxQueue?: number
  /** Per-export timeout and the longest `close()` waits, ms. Default 5000. */
  timeoutMs?: number
  /** Called on the first failure after a success (not on every retry of a collector that stays down). */
  onError?: (err: unknown) => void
  /** Epoch milliseconds (fractional). Default `performance.timeOrigin + performance.now()`. */
  now?: () => number
}

type OtlpValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean }
type OtlpAttribute = { key: string; value: OtlpValue }

const SECRET_VALUE = /\bsk-[A-Za-z0-9_-]{8,}|\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|\bBearer\s+\S+|\beyJ[A-Za-z0-9_-]{10,}\./
const SECRET_KEY = /authorization|api[_-]?key|secret|password|credential|cookie/i
const MAX_STRING = 256
/** What a masked attribute value becomes. */
export const REDACTED = '[REDACTED]'

/** Encodes one attribute; string values that look like keys (`sk-…`, `AKIA…`, bearer tokens, JWTs) are masked, long ones cut. */
export function otlpAttribute(key: string, v: AttributeValue): OtlpAttribute {
  if (typeof v === 'boolean') return { key, value: { boolValue: v } }
  if (typeof v === 'number') return { key, value: Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v } }
  const masked = SECRET_KEY.test(key) || SECRET_VALUE.test(v) ? REDACTED : v.length > MAX_STRING ? v.slice(0, MAX_STRING) : v
  return { key, value: { stringValue: masked } }
}

function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes))
  if (b.every((x) => x === 0)) b[0] = 1
  return Buffer.from(b).toString('hex')
}

function nanos(ms: number): string {
  const whole = Math.floor(ms)
  return (BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6))).toString()
}

/** Builds a tracer exporting to `opts.endpoint`. Throws at once on an endpoint that is not an http(s) URL. */
export function createTracer(opts: TracerOptions): Tracer {
  const base = new URL(opts.endpoint)
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`OTLP endpoint must be http(s): ${base.protocol}`)
  const url = `${base.href.replace(/\/+$/, '')}/v1/traces`
  const doFetch = opts.fetch ?? fetch
  const now = opts.now ?? (() => performance.timeOrigin + performance.now())
  const { batchMs = 1000, maxBatch = 512, maxQueue = 4096, timeoutMs = 5000 } = opts
  const resource = { attributes: [otlpAttribute('service.name', opts.serviceName ?? 'llm-gateway')] }
  const headers = { ...opts.headers, 'content-type': 'application/json' }
  const stats = { exported: 0, dropped: 0 }
  let queue: object[] = []
  let inFlight: Promise<void> | undefined
  let sending = 0
  let failing = false
  let closed = false
  /** Set when close() gave up waiting: whatever is still in flight was counted as dropped. */
  let abandoned = false

  const reportError = (err: unknown) => {
    if (failing) return
    failing = true
    try { opts.onError?.(err) } catch { /* a reporter's failure is not ours to raise */ }
  }

  const post = async (spans: object[]): Promise<void> => {
    const body = JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'llm-gateway' }, spans }] }] })
    try {
      const res = await doFetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) })
      await res.arrayBuffer().catch(() => undefined)
      if (!res.ok) throw new Error(`OTLP export failed: HTTP ${res.status}`)
      if (abandoned) return
      stats.exported += spans.length
      failing = false
    } catch (err) {
      if (abandoned) return
      stats.dropped += spans.length
      reportError(err)
    }
  }

  /** Starts one export of up to `maxBatch` spans unless one is already running. */
  const flush = (): Promise<void> => {
    if (inFlight) return inFlight
    if (queue.length === 0) return Promise.resolve()
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch)
    queue = batch === queue ? [] : queue.slice(maxBatch)
    sending = batch.length
    inFlight = post(batch).finally(() => {
      inFlight = undefined
      sending = 0
    })
    return inFlight
  }

  const timer = setInterval(() => void flush(), batchMs)
  timer.unref?.()

  const enqueue = (span: object) => {
    if (closed || queue.length >= maxQueue) {
      stats.dropped++
      return
    }
    queue.push(span)
    if (queue.length >= maxBatch && !inFlight) queueMicrotask(() => void flush())
  }

  return {
    startSpan(name, parent, attributes, kind = SpanKind.INTERNAL) {
      const context = { traceId: parent?.traceId ?? randomHex(16), spanId: randomHex(8) }
      const start = now()
      const attrs = new Map<string, AttributeValue>()
      for (const [k, v] of Object.entries(attributes ?? {})) if (v !== undefined) attrs.set(k, v)
      let ended = false
      return {
        context,
        setAttribute(key, value) {
          if (!ended && value !== undefined) attrs.set(key, value)
        },
        end(error) {
          if (ended) return
          ended = true
          enqueue({
            traceId: context.traceId,
            spanId: context.spanId,
            ...(parent ? { parentSpanId: parent.spanId } : {}),
            name,
            kind,
            startTimeUnixNano: nanos(start),
            endTimeUnixNano: nanos(Math.max(start, now())),
            attributes: [...attrs].map(([k, v]) => otlpAttribute(k, v)),
            status: error ? { code: 2, message: error.errorType } : { code: 1 },
          })
        },
      }
    },
    stats: () => ({ queued: queue.length, ...stats }),
    async close() {
      if (closed) return
      closed = true
      clearInterval(timer)
      let timeout: ReturnType<typeof setTimeout> | undefined
      const deadline = new Promise<void>((resolve) => { timeout = setTimeout(resolve, timeoutMs) })
      const drain = async () => {
        while (inFlight || queue.length > 0) await flush()
      }
      const drained = await Promise.race([drain().then(() => true), deadline.then(() => false)])
      clearTimeout(timeout)
      if (drained) return
      abandoned = true
      stats.dropped += queue.length + sending
      queue = []
    },
  }
}

/**
 * A tracer from the standard OpenTelemetry variables, or undefined when
 * OTEL_EXPORTER_OTLP_ENDPOINT is unset (or OTEL_SDK_DISABLED=true, or
 * OTEL_TRACES_EXPORTER=none). Reads OTEL_SERVICE_NAME and
 * OTEL_EXPORTER_OTLP_HEADERS (`k=v,k2=v2`, values percent-decoded).
 */
export function tracerFromEnv(env: Record<string, string | undefined>, extra: Omit<TracerOptions, 'endpoint' | 'serviceName' | 'headers'> = {}): Tracer | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  if (!endpoint || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || env.OTEL_TRACES_EXPORTER?.trim() === 'none') return undefined
  const headers: Record<string, string> = {}
  for (const pair of (env.OTEL_EXPORTER_OTLP_HEADERS ?? '').split(',')) {
    const i = pair.indexOf('=')
    if (i <= 0) continue
    const key = pair.slice(0, i).trim()
    const raw = pair.slice(i + 1).trim()
    let value = raw
    try { value = decodeURIComponent(raw) } catch { /* not percent-encoded: keep as written */ }
    if (key) headers[key] = value
  }
  const serviceName = env.OTEL_SERVICE_NAME?.trim()
  return createTracer({ ...extra, endpoint, headers, ...(serviceName ? { serviceName } : {}) })
}
