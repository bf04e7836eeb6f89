/**
 * Relays a provider's normalised stream events to the client as OpenAI SSE.
 *
 * First-chunk commit: the relay waits for the first upstream event for up to
 * `keepaliveMs`. An upstream failure in that window rejects `startRelay`, so
 * the route answers with an ordinary HTTP error (right status, retry-after).
 * Once the first event arrives, or the window passes, headers are committed
 * (200, text/event-stream) and from then on:
 * - a quiet upstream gets `: keep-alive` comments every `keepaliveMs`, so Bun's
 *   and proxies' idle timeouts do not cut a slow first token;
 * - every event becomes one chunk; nothing is sent after the finish chunk but
 *   the usage chunk (when asked for) and `[DONE]`;
 * - a failure, or an upstream that ends without a finish, becomes an error
 *   frame followed by `[DONE]`; a stream never ends silently;
 * - the client going away (cancel) aborts the upstream call.
 * Pull-based, so a slow reader applies back-pressure instead of growing a queue.
 */
import { GatewayError } from '../errors/gateway-error.ts'
import { toGatewayError } from '../errors/envelope.ts'
import { upstreamError } from '../errors/upstream.ts'
import { DONE_FRAME, KEEPALIVE_FRAME, commentFrame, dataFrame, errorFrame } from '../openai/sse.ts'
import type { ChunkWriter } from '../openai/render.ts'
import type { FinishReason, Usage } from '../openai/types.ts'
import type { ProviderName, StreamEvent } from '../providers/types.ts'

export interface StreamOutcome {
  finishReason?: FinishReason
  usage?: Usage
  error?: GatewayError
  /** ms from relay start to the first content event; undefined when none came. */
  ttftMs?: number
  /** True when the client went away before the stream ended. */
  clientAborted: boolean
  /** Characters of content sent to the client. */
  completionChars: number
}

export interface RelayOptions {
  events: AsyncIterable<StreamEvent>
  writer: ChunkWriter
  provider: ProviderName
  includeUsage: boolean
  keepaliveMs: number
  /** Aborts the upstream call; the relay aborts it on client cancel and on completion. */
  upstream: AbortController
  /** Longest quiet gap between upstream events once streaming, ms; then the stream ends with a timeout error. Default: none. */
  idleTimeoutMs?: number
  /**
   * Lets the owner end the stream from outside (graceful shutdown): called once
   * with a `terminate(err)` function; returns the function that unregisters it.
   */
  register?: (terminate: (err: GatewayError) => void) => () => void
  /** Called once, when the first content chunk is sent. */
  onFirstToken?: () => void
  /** Called once at the end of a stream that reached its end; its text goes out as an SSE comment before `[DONE]`. */
  trailer?: (outcome: StreamOutcome) => string | undefined
  onEnd?: (outcome: StreamOutcome) => void
}

type Next = IteratorResult<StreamEvent>
const TICK = Symbol('keepalive')

function tick(ms: number): { promise: Promise<typeof TICK>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const promise = new Promise<typeof TICK>((resolve) => {
    timer = setTimeout(() => resolve(TICK), ms)
  })
  return { promise, cancel: () => clearTimeout(timer) }
}

/** The next event; marked handled at once, since a quiet client may await it much later. */
function nextOf(it: AsyncIterator<StreamEvent>): Promise<Next> {
  const p = it.next()
  p.catch(() => undefined)
  return p
}

/** Resolves to the body stream once the first event arrived or the commit window passed. */
export async function startRelay(opts: RelayOptions): Promise<ReadableStream<Uint8Array>> {
  const started = performance.now()
  const it = opts.events[Symbol.asyncIterator]()
  let pending: Promise<Next> | undefined = nextOf(it)
  const first = tick(opts.keepaliveMs)
  try {
    // An error before the commit rejects here and becomes an ordinary HTTP error.
    await Promise.race([pending, first.promise])
  } catch (err) {
    opts.upstream.abort()
    throw err
  } finally {
    first.cancel()
  }

  const outcome: StreamOutcome = { clientAborted: false, completionChars: 0 }
  let finished = false
  let closed = false
  let lastEventAt = performance.now()
  let unregister: (() => void) | undefined
  let readerWatch: ReturnType<typeof setTimeout> | undefined

  const finish = (controller: ReadableStreamDefaultController<Uint8Array>, err?: unknown) => {
    if (closed) return
    closed = true
    clearTimeout(readerWatch)
    unregister?.()
    if (err !== undefined) {
      outcome.error = toGatewayError(err)
      controller.enqueue(errorFrame(outcome.error))
    } else if (opts.includeUsage && outcome.usage) {
      controller.enqueue(dataFrame(opts.writer.usage(outcome.usage)))
    }
    const trailer = opts.trailer?.(outcome)
    if (trailer) controller.enqueue(commentFrame(trailer))
    controller.enqueue(DONE_FRAME)
    controller.close()
    opts.upstream.abort()
    opts.onEnd?.(outcome)
  }

  const handle = (controller: ReadableStreamDefaultController<Uint8Array>, e: StreamEvent) => {
    if (e.type === 'usage') {
      outcome.usage = e.usage
      return
    }
    if (finished) return // nothing but usage after the finish chunk
    if (e.type === 'finish') {
      finished = true
      outcome.finishReason = e.reason
      controller.enqueue(dataFrame(opts.writer.finish(e.reason, e.extra)))
      return
    }
    const chunk = opts.writer.delta(e)
    if (!chunk) return
    if (outcome.ttftMs === undefined) {
      outcome.ttftMs = performance.now() - started
      opts.onFirstToken?.()
    }
    outcome.completionChars += e.text?.length ?? 0
    controller.enqueue(dataFrame(chunk))
  }

  /**
   * A client that stops reading stops pulling; nothing else would notice, and
   * its stream would hold the upstream call and its slot until the deadline.
   * Between pulls a watchdog runs for the idle timeout; when it fires the
   * stream is ended and the upstream aborted, as for a client that left.
   */
  const watchReader = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (opts.idleTimeoutMs === undefined || closed) return
    readerWatch = setTimeout(() => {
      if (closed) return
      closed = true
      unregister?.()
      outcome.clientAborted = true
      opts.upstream.abort()
      controller.error(new Error('client stopped reading'))
      opts.onEnd?.(outcome)
    }, opts.idleTimeoutMs)
  }

  /** Until the next keep-alive, or the idle deadline when it comes sooner. */
  const wait = () => (opts.idleTimeoutMs === undefined ? opts.keepaliveMs : Math.max(1, Math.min(opts.keepaliveMs, lastEventAt + opts.idleTimeoutMs - performance.now())))

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        unregister = opts.register?.((err) => {
          opts.upstream.abort(err)
          finish(controller, err)
        })
      },
      async pull(controller) {
        clearTimeout(readerWatch)
        if (closed) return
        try {
          // Keep pulling until something is written, so every pull makes progress.
          while (!closed) {
            const t = tick(wait())
            const r = await Promise.race([pending!, t.promise]).finally(t.cancel)
            if (closed) return
            if (r === TICK) {
              if (opts.idleTimeoutMs !== undefined && performance.now() - lastEventAt >= opts.idleTimeoutMs) {
                finish(controller, upstreamError({ provider: opts.provider, kind: 'timeout', upstreamMessage: 'stream idle' }))
                return
              }
              controller.enqueue(KEEPALIVE_FRAME)
              return
            }
            lastEventAt = performance.now()
            if (r.done) {
              pending = undefined
              finish(controller, finished ? undefined : upstreamError({ provider: opts.provider, kind: 'stream_truncated' }))
              return
            }
            pending = nextOf(it)
            const before = controller.desiredSize
            handle(controller, r.value)
            if (controller.desiredSize !== before) return
          }
        } catch (err) {
          finish(controller, err)
        } finally {
          watchReader(controller)
        }
      },
      async cancel() {
        clearTimeout(readerWatch)
        outcome.clientAborted = true
        closed = true
        unregister?.()
        opts.upstream.abort()
        // Settle the in-flight read (it rejects once the upstream is aborted), then close the iterator.
        await pending?.catch(() => undefined)
        await it.return?.().catch(() => undefined)
        opts.onEnd?.(outcome)
      },
    },
    { highWaterMark: 1 },
  )
}
