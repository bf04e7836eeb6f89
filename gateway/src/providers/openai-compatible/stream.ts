/**
 * Upstream `chat.completion.chunk` frames -> StreamEvents. `ChunkMapper` is
 * pure and synchronous (one data frame in, events out) so recorded streams
 * test it directly; `mapSseStream` drives it from decoded SSE.
 *
 * Only choice 0 is followed. Usage is remembered, not emitted per chunk:
 * Perplexity repeats a cumulative usage on every chunk and OpenAI sends one
 * after the finish chunk, so the last one seen is emitted once, after
 * `finish`, when the stream ends. A stream may end with `[DONE]` or, as
 * Perplexity's does, at the end of the body; either way without a finish it
 * is truncated.
 */
import { upstreamError } from '../../errors/upstream.ts'
import type { FinishReason, ToolCallDelta, Usage } from '../../openai/types.ts'
import type { ProviderName, StreamEvent } from '../types.ts'
import { isObject, mapFinishReason, parseUsage, ShapeError } from './response.ts'

export class ChunkMapper {
  private finish: FinishReason | undefined
  private usage: Usage | undefined
  private readonly lastExtra = new Map<string, unknown>()

  constructor(
    private readonly provider: ProviderName,
    private readonly passthrough: readonly string[] = [],
  ) {}

  /** Maps one SSE data payload (not `[DONE]`). Throws `stream_error` on an error frame or a broken chunk. */
  push(data: string): StreamEvent[] {
    let chunk: unknown
    try {
      chunk = JSON.parse(data)
    } catch (cause) {
      throw upstreamError({ provider: this.provider, kind: 'stream_error', cause })
    }
    try {
      return this.map(chunk)
    } catch (err) {
      if (err instanceof ShapeError) throw upstreamError({ provider: this.provider, kind: 'stream_error', cause: err })
      throw err
    }
  }

  /** Call at `[DONE]` or the end of the body: the remembered usage, or `stream_truncated` without a finish. */
  end(): StreamEvent[] {
    if (!this.finish) throw upstreamError({ provider: this.provider, kind: 'stream_truncated' })
    return this.usage ? [{ type: 'usage', usage: this.usage }] : []
  }

  private map(chunk: unknown): StreamEvent[] {
    if (!isObject(chunk)) throw new ShapeError('chunk is not an object')
    if (chunk.error !== undefined && chunk.error !== null) {
      throw upstreamError({ provider: this.provider, kind: 'stream_error', cause: chunk.error })
    }
    const usage = parseUsage(chunk.usage)
    if (usage) this.usage = usage
    const extra = this.newExtra(chunk)
    const events: StreamEvent[] = []
    const choice = Array.isArray(chunk.choices)
      ? chunk.choices.find((c: unknown) => isObject(c) && (c.index ?? 0) === 0)
      : undefined
    if (isObject(choice)) {
      const delta = isObject(choice.delta) ? choice.delta : {}
      const text = typeof delta.content === 'string' && delta.content !== '' ? delta.content : undefined
      const toolCalls = toolCallDeltas(delta.tool_calls)
      if (text !== undefined || toolCalls) {
        const event: StreamEvent = { type: 'delta' }
        if (text !== undefined) event.text = text
        if (toolCalls) event.toolCalls = toolCalls
        events.push(event)
      }
      const reason = mapFinishReason(choice.finish_reason)
      if (reason && !this.finish) {
        this.finish = reason
        events.push({ type: 'finish', reason })
      }
    }
    if (extra) {
      const first = events[0]
      if (first && first.type !== 'usage') first.extra = extra
      else events.push({ type: 'delta', extra })
    }
    return events
  }

  /** Passthrough fields whose value differs from the one last emitted. */
  private newExtra(chunk: Record<string, unknown>): Record<string, unknown> | undefined {
    let extra: Record<string, unknown> | undefined
    for (const field of this.passthrough) {
      const value = chunk[field]
      if (value === undefined || value === null || sameJson(value, this.lastExtra.get(field))) continue
      this.lastExtra.set(field, value)
      ;(extra ??= {})[field] = value
    }
    return extra
  }
}

/** Drives a ChunkMapper from decoded SSE events until `[DONE]` or the end of the body. */
export async function* mapSseStream(
  events: AsyncIterable<{ data: string }>,
  mapper: ChunkMapper,
): AsyncGenerator<StreamEvent> {
  for await (const { data } of events) {
    if (data === '[DONE]') break
    yield* mapper.push(data)
  }
  yield* mapper.end()
}

function toolCallDeltas(value: unknown): ToolCallDelta[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined
  return value.map((raw: unknown): ToolCallDelta => {
    if (!isObject(raw) || typeof raw.index !== 'number') throw new ShapeError('tool call delta has no index')
    const out: ToolCallDelta = { index: raw.index }
    if (typeof raw.id === 'string') out.id = raw.id
    if (raw.type === 'function') out.type = 'function'
    const fn = raw.function
    if (isObject(fn)) {
      const f: { name?: string; arguments?: string } = {}
      if (typeof fn.name === 'string') f.name = fn.name
      if (typeof fn.arguments === 'string') f.arguments = fn.arguments
      out.function = f
    }
    return out
  })
}

/** Structural equality of two JSON values (parsed chunks hold nothing else). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  for (const k of ka) {
    if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  }
  return true
}
