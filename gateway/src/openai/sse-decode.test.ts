import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../errors/gateway-error.ts'
import { decodeSse, type SseEvent } from './sse-decode.ts'

const enc = new TextEncoder()

/** A body that hands out the given chunks one per read and records whether it was cancelled. */
function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> & { cancelled: () => boolean } {
  let i = 0
  let cancelled = false
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[i++]
      if (next === undefined) controller.close()
      else controller.enqueue(next)
    },
    cancel() {
      cancelled = true
    },
  })
  return Object.assign(stream, { cancelled: () => cancelled })
}

async function collect(body: ReadableStream<Uint8Array>, maxLineBytes?: number): Promise<SseEvent[]> {
  const out: SseEvent[] = []
  for await (const e of decodeSse(body, maxLineBytes === undefined ? {} : { maxLineBytes })) out.push(e)
  return out
}

const SAMPLE = [
  ': keep-alive comment',
  'data: {"content":"héllo wörld ✓"}',
  '',
  'event: message',
  'id: 7',
  'retry: 1000',
  'data: line one',
  'data:line two 日本語',
  'data',
  '',
  '',
  'data: 🎉 emoji 🎉',
  '',
  'data: [DONE]',
  '',
  '',
].join('\n')

const EXPECTED: SseEvent[] = [
  { data: '{"content":"héllo wörld ✓"}' },
  { event: 'message', data: 'line one\nline two 日本語\n' },
  { data: '🎉 emoji 🎉' },
  { data: '[DONE]' },
]

const LINE_ENDS = [
  ['\\n', '\n'],
  ['\\r\\n', '\r\n'],
  ['\\r', '\r'],
] as const

describe('decodeSse', () => {
  test.each(LINE_ENDS)('decodes the sample with %s line ends in one chunk', async (_name, eol) => {
    expect(await collect(bodyOf([enc.encode(SAMPLE.replaceAll('\n', eol))]))).toEqual(EXPECTED)
  })

  test.each(LINE_ENDS)('gives the same events for every split point with %s line ends', async (_name, eol) => {
    const bytes = enc.encode(SAMPLE.replaceAll('\n', eol))
    for (let at = 0; at <= bytes.length; at++) {
      const events = await collect(bodyOf([bytes.subarray(0, at), bytes.subarray(at)]))
      expect({ at, events }).toEqual({ at, events: EXPECTED })
    }
  })

  test.each(LINE_ENDS)('gives the same events when fed one byte at a time with %s line ends', async (_name, eol) => {
    const bytes = enc.encode(SAMPLE.replaceAll('\n', eol))
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b))
    expect(await collect(bodyOf(chunks))).toEqual(EXPECTED)
  })

  test('treats a \\r at the end of a chunk and \\n at the start of the next as one line end', async () => {
    const events = await collect(bodyOf([enc.encode('data: a\r'), enc.encode('\ndata: b\r'), enc.encode('\n\r\n')]))
    expect(events).toEqual([{ data: 'a\nb' }])
  })

  test('strips a leading byte-order mark', async () => {
    expect(await collect(bodyOf([enc.encode('\uFEFFdata: x\n\n')]))).toEqual([{ data: 'x' }])
  })

  test('does not dispatch an event cut off by the end of the body', async () => {
    expect(await collect(bodyOf([enc.encode('data: whole\n\ndata: cut off\n')]))).toEqual([{ data: 'whole' }])
  })

  test('replaces invalid UTF-8 with U+FFFD instead of failing', async () => {
    const bytes = Uint8Array.of(...enc.encode('data: a'), 0xff, ...enc.encode('b\n\n'))
    expect(await collect(bodyOf([bytes]))).toEqual([{ data: 'a\uFFFDb' }])
  })
})

describe('decodeSse line cap', () => {
  const cases: Array<[string, Uint8Array[]]> = [
    ['a terminated line in one chunk', [enc.encode(`data: ${'x'.repeat(64)}\n\n`)]],
    ['an unterminated line arriving in small chunks', Array.from({ length: 100 }, () => enc.encode('xxxx'))],
    ['a line split across two chunks', [enc.encode(`data: ${'x'.repeat(40)}`), enc.encode(`${'x'.repeat(40)}\n\n`)]],
    ['an event whose data lines add up past the cap', [enc.encode('data: 0123456789\n'.repeat(10))]],
  ]

  test.each(cases)('fails %s with provider_stream_error and cancels the body', async (_name, chunks) => {
    const body = bodyOf(chunks)
    const err = await collect(body, 64).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(GatewayError)
    expect((err as GatewayError).code).toBe('provider_stream_error')
    expect(body.cancelled()).toBe(true)
    expect(body.locked).toBe(false)
  })

  test('accepts lines exactly at the cap', async () => {
    const data = 'y'.repeat(58)
    expect(await collect(bodyOf([enc.encode(`data: ${data}\n\n`)]), 64)).toEqual([{ data }])
  })
})

describe('decodeSse cleanup', () => {
  test('cancels the body and releases the reader when the consumer stops early', async () => {
    const body = bodyOf([enc.encode('data: 1\n\n'), enc.encode('data: 2\n\n'), enc.encode('data: 3\n\n')])
    for await (const e of decodeSse(body)) {
      expect(e).toEqual({ data: '1' })
      break
    }
    expect(body.cancelled()).toBe(true)
    expect(body.locked).toBe(false)
  })

  test('releases the reader without cancelling when the body is drained', async () => {
    const body = bodyOf([enc.encode('data: 1\n\n')])
    expect(await collect(body)).toEqual([{ data: '1' }])
    expect(body.cancelled()).toBe(false)
    expect(body.locked).toBe(false)
  })

  test('propagates a read error and releases the reader', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new Error('socket reset'))
      },
    })
    await expect(collect(body)).rejects.toThrow('socket reset')
    expect(body.locked).toBe(false)
  })
})
