/**
 * Incremental decoder for server-sent events read from an UPSTREAM body
 * (OpenAI-compatible providers). Follows the WHATWG event-stream parsing
 * rules: lines end in \n, \r\n or \r; `data` lines of one event are joined
 * with \n; lines starting with ':' are comments; an event is dispatched at a
 * blank line, so an event cut off by the end of the body is not dispatched.
 *
 * Lines are split on bytes and decoded whole, so a chunk boundary may fall
 * anywhere, including inside a multi-byte UTF-8 character. Memory is bounded:
 * a line, or the data of one event, longer than `maxLineBytes` fails the
 * stream instead of growing the buffer.
 */
import { upstreamError } from '../errors/upstream.ts'
import type { ProviderName } from '../providers/types.ts'

export interface SseEvent {
  /** The `event:` field, when the upstream sent one. */
  event?: string
  data: string
}

export interface DecodeSseOptions {
  /** Longest accepted line, and longest data of one event, in bytes. Default 1 MiB. */
  maxLineBytes?: number
  /** Provider named in the error thrown when the cap is exceeded. Default 'openai'. */
  provider?: ProviderName
}

const LF = 0x0a
const CR = 0x0d
const DEFAULT_MAX_LINE_BYTES = 1024 * 1024

/**
 * Yields the events of `body` as they complete. Stopping early (break,
 * return, throw) cancels the body and releases its reader.
 */
export async function* decodeSse(
  body: ReadableStream<Uint8Array>,
  opts: DecodeSseOptions = {},
): AsyncGenerator<SseEvent> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  const provider = opts.provider ?? 'openai'
  const tooLong = () =>
    upstreamError({ provider, kind: 'stream_error', cause: new Error(`SSE line or event longer than ${max} bytes`) })
  const parser = new EventParser(max, tooLong)
  const reader = body.getReader()
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  let skipLeadingLf = false
  let drained = false
  try {
    for (;;) {
      const { done, value: chunk } = await reader.read()
      if (done) {
        drained = true
        return
      }
      let start = 0
      if (skipLeadingLf && chunk.length > 0) {
        if (chunk[0] === LF) start = 1
        skipLeadingLf = false
      }
      let nextLf = chunk.indexOf(LF, start)
      let nextCr = chunk.indexOf(CR, start)
      while (nextLf !== -1 || nextCr !== -1) {
        const end = nextCr === -1 || (nextLf !== -1 && nextLf < nextCr) ? nextLf : nextCr
        const piece = chunk.subarray(start, end)
        if (pendingBytes + piece.length > max) throw tooLong()
        const line = pending.length === 0 ? piece : concat(pending, pendingBytes, piece)
        pending = []
        pendingBytes = 0
        start = end + 1
        if (end === nextCr) {
          if (start < chunk.length) {
            if (chunk[start] === LF) start++
          } else {
            skipLeadingLf = true
          }
        }
        const event = parser.line(line)
        if (event) yield event
        if (nextLf !== -1 && nextLf < start) nextLf = chunk.indexOf(LF, start)
        if (nextCr !== -1 && nextCr < start) nextCr = chunk.indexOf(CR, start)
      }
      if (start < chunk.length) {
        const rest = chunk.slice(start)
        if (pendingBytes + rest.length > max) throw tooLong()
        pending.push(rest)
        pendingBytes += rest.length
      }
    }
  } finally {
    if (!drained) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}

/** Applies the field rules to whole lines; returns an event at each dispatching blank line. */
class EventParser {
  private readonly decoder = new TextDecoder()
  private data: string[] = []
  private dataBytes = 0
  private event: string | undefined
  private first = true

  constructor(
    private readonly max: number,
    private readonly tooLong: () => Error,
  ) {}

  line(bytes: Uint8Array): SseEvent | undefined {
    const first = this.first
    this.first = false
    if (bytes.length === 0) return this.dispatch()
    let text = this.decoder.decode(bytes)
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    if (text.startsWith(':')) return undefined
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') {
      this.dataBytes += bytes.length
      if (this.dataBytes > this.max) throw this.tooLong()
      this.data.push(value)
    } else if (field === 'event') {
      this.event = value
    }
    return undefined
  }

  private dispatch(): SseEvent | undefined {
    const event = this.event
    const data = this.data
    this.event = undefined
    this.data = []
    this.dataBytes = 0
    if (data.length === 0) return undefined
    const joined = data.length === 1 ? (data[0] as string) : data.join('\n')
    return event === undefined || event === '' ? { data: joined } : { event, data: joined }
  }
}

function concat(parts: Uint8Array[], partsBytes: number, last: Uint8Array): Uint8Array {
  const out = new Uint8Array(partsBytes + last.length)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  out.set(last, at)
  return out
}
