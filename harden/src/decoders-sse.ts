/**
 * Area 4a, the upstream SSE decoder (`decodeSse`): generated event streams
 * (LF, CRLF and CR line ends, comments, BOM, named events, multi-line data,
 * multi-byte UTF-8) decoded at every two-way split point, in 1-byte chunks
 * and at random split points must give exactly the events of the model;
 * mutated bytes and tight line caps must end in at most one error, always a
 * GatewayError; a 10 MB line must fail after buffering at most the cap plus
 * one chunk.
 */
import fc from 'fast-check'
import { GatewayError } from '../../gateway/src/errors/gateway-error.ts'
import { decodeSse, type SseEvent } from '../../gateway/src/openai/sse-decode.ts'
import type { Profile } from './profile.ts'
import { fig, Problems, type Figure } from './report.ts'
import { MiB } from './sys.ts'

interface Model {
  bytes: Uint8Array
  events: SseEvent[]
}

const EOLS = ['\n', '\r\n', '\r'] as const
const text = fc.string({ unit: fc.oneof(fc.constantFrom('a', ' ', ':', 'é', '€', '😀', '{', '"'), fc.string({ minLength: 1, maxLength: 1 })), maxLength: 12 })
  .map((s) => s.replace(/[\r\n]/g, ''))
const modelArb: fc.Arbitrary<Model> = fc.record({
  bom: fc.boolean(),
  events: fc.array(fc.record({ event: fc.option(fc.constantFrom('message', 'ping', 'x y'), { nil: undefined }), data: fc.array(text, { maxLength: 3 }), comment: fc.boolean() }), { maxLength: 5 }),
  eols: fc.array(fc.constantFrom(...EOLS), { minLength: 1, maxLength: 4 }),
  tail: fc.boolean(),
}).map(({ bom, events, eols, tail }) => {
  let i = 0
  let last = ''
  // A CR then an LF would read as one CRLF line end: after a CR, an LF end is written as CRLF.
  const eol = () => (last = ((e) => (last === '\r' && e === '\n' ? '\r\n' : e))(eols[i++ % eols.length]!))
  let out = bom ? '\ufeff' : ''
  const expected: SseEvent[] = []
  for (const e of events) {
    if (e.comment) out += `: keep-alive${eol()}`
    if (e.event !== undefined) out += `event: ${e.event}${eol()}`
    for (const d of e.data) out += `data: ${d}${eol()}`
    out += eol()
    if (e.data.length > 0) expected.push(e.event ? { event: e.event, data: e.data.join('\n') } : { data: e.data.join('\n') })
  }
  if (tail) out += 'data: never dispatched' // cut off by the end of the body
  return { bytes: new TextEncoder().encode(out), events: expected }
})

/** A body made of `chunks`, counting the bytes the decoder pulled. */
function body(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let i = 0
  let pulled = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks[i++]
      if (next === undefined) return c.close()
      pulled += next.length
      c.enqueue(next)
    },
  })
  return { stream, pulled: () => pulled }
}

async function decode(chunks: Uint8Array[], maxLineBytes?: number): Promise<{ events: SseEvent[]; errors: unknown[]; pulled: number }> {
  const b = body(chunks)
  const events: SseEvent[] = []
  const errors: unknown[] = []
  try {
    for await (const e of decodeSse(b.stream, maxLineBytes === undefined ? {} : { maxLineBytes })) events.push(e)
  } catch (err) {
    errors.push(err)
  }
  return { events, errors, pulled: b.pulled() }
}

const splitAt = (b: Uint8Array, cuts: number[]) => {
  const points = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y)
  return [...points, b.length].map((p, k) => b.subarray(k === 0 ? 0 : points[k - 1], p))
}

export async function runSseDecoder(p: Profile, problems: Problems): Promise<Figure[]> {
  let inputs = 0
  let wrongEvents = 0
  let badErrors = 0
  let failing = 0
  const same = (a: SseEvent[], b: SseEvent[]) => JSON.stringify(a) === JSON.stringify(b)
  // Every two-way split point, and 1-byte chunks, of a fixed sample of streams.
  const models = fc.sample(modelArb, { seed: p.seed, numRuns: 60 })
  for (const m of models) {
    const splits = [Array.from(m.bytes, (_, k) => m.bytes.subarray(k, k + 1)), ...Array.from({ length: m.bytes.length + 1 }, (_, k) => [m.bytes.subarray(0, k), m.bytes.subarray(k)])]
    for (const chunks of splits) {
      inputs++
      const r = await decode(chunks)
      wrongEvents += problems.miss(r.errors.length === 0 && same(r.events, m.events), `SSE split changed the events: ${JSON.stringify(new TextDecoder().decode(m.bytes)).slice(0, 120)}`)
    }
  }
  // Random streams at random split points; mutated bytes; tight caps.
  const remaining = Math.max(0, p.sseInputs - inputs)
  const cases = fc.sample(fc.tuple(modelArb, fc.array(fc.nat(), { maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined })), { seed: p.seed + 1, numRuns: remaining })
  for (const [m, cuts, flips, cap] of cases) {
    inputs++
    const bytes = m.bytes.slice()
    for (const [at, v] of flips) if (bytes.length > 0) bytes[at % bytes.length] = v
    const r = await decode(splitAt(bytes, cuts), cap)
    if (r.errors.length > 0) failing++
    badErrors += problems.miss(r.errors.every((e) => e instanceof GatewayError), `SSE decoder threw a non-GatewayError: ${String(r.errors[0]).slice(0, 120)}`)
    wrongEvents += problems.miss(flips.length > 0 || cap !== undefined || same(r.events, m.events), 'SSE random split changed the events')
  }
  // A 10 MB line in 64 KiB chunks, and one event of many 100 KiB data lines.
  const piece = new Uint8Array(64 * 1024).fill(0x61)
  const huge = await decode([new TextEncoder().encode('data: '), ...Array.from({ length: 160 }, () => piece)])
  const manyLines = await decode(Array.from({ length: 20 }, () => new TextEncoder().encode(`data: ${'b'.repeat(100 * 1024)}\n`)))
  for (const [name, r] of [['10 MB line', huge], ['2 MB event of 100 KiB lines', manyLines]] as const) {
    problems.check(r.errors.length === 1 && r.errors[0] instanceof GatewayError, `${name}: ${r.errors.length} errors (want one GatewayError)`)
  }
  const capOk = huge.pulled <= MiB + piece.length + 6
  problems.check(capOk, `10 MB line: ${huge.pulled} bytes pulled before the error (cap 1 MiB)`)
  return [
    fig('SSE inputs decoded (every split point of 60 streams, 1-byte chunks, random splits, mutations)', inputs, '≥ 100k (long)'),
    fig('SSE splits that changed the events', wrongEvents, '0', wrongEvents === 0),
    fig('SSE failing streams / errors that are not a GatewayError', `${failing} / ${badErrors}`, '— / 0', badErrors === 0),
    fig('SSE 10 MB line: bytes read before the error', `${(huge.pulled / MiB).toFixed(2)} MiB`, '≤ 1 MiB cap + 1 chunk', capOk),
  ]
}
