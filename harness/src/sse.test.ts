import { describe, expect, test } from 'bun:test'
import { readSse, SseParser, type SseRead } from './sse.ts'

function parse(pieces: string[]): SseRead {
  const out: SseRead = { events: [], comments: 0, problems: [], done: false, raw: '' }
  const parser = new SseParser(out, { start: performance.now() })
  for (const piece of pieces) parser.push(piece)
  parser.end()
  return out
}

const data = (read: SseRead) => read.events.map((e) => e.data)

describe('SSE framing', () => {
  test('a well-formed stream has no problems, whatever the line endings and piece boundaries', () => {
    for (const nl of ['\n', '\r\n', '\r']) {
      const text = `: keep-alive${nl}${nl}data: {"a":1}${nl}${nl}data: {"b":2}${nl}${nl}data: [DONE]${nl}${nl}`
      const whole = parse([text])
      const bytewise = parse([...text])
      expect(whole).toMatchObject({ problems: [], done: true, comments: 1 })
      expect(data(whole)).toEqual(['{"a":1}', '{"b":2}', '[DONE]'])
      expect({ problems: bytewise.problems, data: data(bytewise) }).toEqual({ problems: [], data: data(whole) })
    }
  })

  test('multi-line data joins with a newline; event names are kept; a missing space after the colon is fine', () => {
    const read = parse(['event: message\ndata:line1\ndata: line2\n\ndata: [DONE]\n\n'])
    expect(read.events.map(({ data, event }) => ({ data, event }))).toEqual([
      { data: 'line1\nline2', event: 'message' },
      { data: '[DONE]', event: undefined },
    ])
  })

  test.each([
    ['raw JSON lines without data:', '{"id":1}\n\ndata: [DONE]\n\n', ['a line is not an SSE field: "{"id"']],
    ['no [DONE]', 'data: {"a":1}\n\n', ['the stream ended without data: [DONE]']],
    ['[DONE] sent twice', 'data: [DONE]\n\ndata: [DONE]\n\n', ['an event follows data: [DONE]: "[DONE]"', 'data: [DONE] was sent twice']],
    ['data after [DONE]', 'data: [DONE]\n\ndata: {"late":true}\n\n', ['an event follows data: [DONE]: "{"late":true}"']],
    ['[DONE] without its blank line', 'data: {"a":1}\n\ndata: [DONE]\n', ['the last event ("[DONE]") is not terminated by a blank line']],
    ['a cut final line', 'data: {"a":1}\n\ndata: {"b', ['the stream ended in the middle of a line: "data: {"b"', 'the stream ended without data: [DONE]']],
  ])('flags %s', (_name, text, problems) => {
    expect(parse([text]).problems).toEqual(problems.map((p) => expect.stringContaining(p)))
  })

  test('readSse reads a response body and times each event', async () => {
    const body = new Response('data: {"a":1}\n\ndata: [DONE]\n\n').body
    const read = await readSse(body, { start: performance.now() })
    expect({ problems: read.problems, done: read.done, times: read.events.map((e) => typeof e.at) }).toEqual({ problems: [], done: true, times: ['number', 'number'] })
    expect((await readSse(null, { start: 0 })).problems).toEqual(['the response has no body'])
  })
})
