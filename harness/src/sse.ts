/**
 * A strict SSE reader: decodes a `text/event-stream` body into events as the
 * bytes arrive (so time to first token is measurable) and records every
 * framing problem a lenient client would paper over: lines that are not SSE
 * fields, data after `[DONE]`, a last event without its blank line, a stream
 * without `[DONE]`.
 */

/** One dispatched event. */
export interface SseEvent {
  /** The `data:` lines joined with `\n`. */
  data: string
  /** The `event:` field, when sent. */
  event?: string
  /** Milliseconds from `start` to the moment the event was complete. */
  at: number
}

export interface SseRead {
  events: SseEvent[]
  /** Comment lines (`: keep-alive`). */
  comments: number
  /** Framing problems, in the order found; empty for a well-formed stream. */
  problems: string[]
  /** True when a `data: [DONE]` event was received. */
  done: boolean
  /** The whole body as text. */
  raw: string
}

export interface ReadSseOptions {
  /** `performance.now()` when the request was sent; event times are relative to it. */
  start: number
  /** Called as each event completes (before the rest of the body arrives). */
  onEvent?(event: SseEvent): void
}

const FIELDS = new Set(['data', 'event', 'id', 'retry'])

/** Reads an SSE body to its end and validates its framing. */
export async function readSse(body: ReadableStream<Uint8Array> | null, opts: ReadSseOptions): Promise<SseRead> {
  const out: SseRead = { events: [], comments: 0, problems: [], done: false, raw: '' }
  if (body === null) {
    out.problems.push('the response has no body')
    return out
  }
  const parser = new SseParser(out, opts)
  const decoder = new TextDecoder()
  for await (const bytes of body) parser.push(decoder.decode(bytes, { stream: true }))
  parser.push(decoder.decode())
  parser.end()
  return out
}

/** Parses SSE text pushed in arbitrary pieces; exported for unit tests. */
export class SseParser {
  private buffer = ''
  private data: string[] = []
  private event: string | undefined
  private problemSet = new Set<string>()

  constructor(
    private readonly out: SseRead,
    private readonly opts: ReadSseOptions,
  ) {}

  push(text: string): void {
    this.out.raw += text
    this.buffer += text
    let start = 0
    const match = /\r\n|\r|\n/g
    for (;;) {
      match.lastIndex = start
      const found = match.exec(this.buffer)
      if (!found) break
      // A lone \r at the very end may be the first half of \r\n: wait for more.
      if (found[0] === '\r' && found.index === this.buffer.length - 1) break
      this.line(this.buffer.slice(start, found.index))
      start = found.index + found[0].length
    }
    this.buffer = this.buffer.slice(start)
  }

  end(): void {
    if (this.buffer.endsWith('\r')) {
      this.line(this.buffer.slice(0, -1))
      this.buffer = ''
    }
    if (this.buffer !== '') this.problem(`the stream ended in the middle of a line: "${short(this.buffer)}"`)
    const pending = this.data.join('\n')
    if (this.data.length > 0) this.problem(`the last event ("${short(pending)}") is not terminated by a blank line`)
    if (!this.out.done && pending !== '[DONE]') this.problem('the stream ended without data: [DONE]')
  }

  private line(line: string): void {
    if (line === '') return this.dispatch()
    if (line.startsWith(':')) {
      this.out.comments++
      return
    }
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (!FIELDS.has(field)) return this.problem(`a line is not an SSE field: "${short(line)}"`)
    if (field === 'data') this.data.push(value)
    else if (field === 'event') this.event = value
  }

  private dispatch(): void {
    if (this.data.length === 0) {
      this.event = undefined
      return
    }
    const event: SseEvent = { data: this.data.join('\n'), at: Math.round(performance.now() - this.opts.start) }
    if (this.event !== undefined) event.event = this.event
    this.data = []
    this.event = undefined
    if (this.out.done) this.problem(`an event follows data: [DONE]: "${short(event.data)}"`)
    if (event.data === '[DONE]') {
      if (this.out.done) this.problem('data: [DONE] was sent twice')
      this.out.done = true
    }
    this.out.events.push(event)
    this.opts.onEvent?.(event)
  }

  private problem(text: string): void {
    if (this.problemSet.has(text)) return
    this.problemSet.add(text)
    this.out.problems.push(text)
  }
}

function short(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text
}
