import { describe, expect, test } from 'bun:test'
import { readJsonBody } from './body.ts'

const LIMIT = 64

function streamOf(...parts: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const p of parts) c.enqueue(new TextEncoder().encode(p))
      c.close()
    },
  })
}

describe('readJsonBody', () => {
  test('parses a JSON body within the limit', async () => {
    expect(await readJsonBody(new Request('http://localhost/', { method: 'POST', body: '{"a":1}' }), LIMIT)).toEqual({ a: 1 })
  })

  test.each([
    ['exactly at the limit', LIMIT, 'ok'],
    ['one byte over', LIMIT + 1, 413],
    ['ten times over', LIMIT * 10, 413],
  ])('a body %s', async (_n, size, expected) => {
    const body = `{"a":"${'x'.repeat(size - 8)}"}`
    expect(body.length).toBe(size)
    const p = readJsonBody(new Request('http://localhost/', { method: 'POST', body }), LIMIT)
    if (expected === 'ok') expect(await p).toEqual({ a: 'x'.repeat(size - 8) })
    else await expect(p).rejects.toMatchObject({ status: 413, code: 'request_too_large' })
  })

  describe('with a declared length within the limit (parsed natively)', () => {
    const declared = (body: string) => new Request('http://localhost/', { method: 'POST', body, headers: { 'content-length': String(Buffer.byteLength(body)) } })
    test('parses the body', async () => {
      expect(await readJsonBody(declared('{"a":[1,"é"]}'), LIMIT)).toEqual({ a: [1, 'é'] })
    })
    test('answers a body that is not JSON with the fixed 400, not the parser message', async () => {
      await expect(readJsonBody(declared('{"a":'), LIMIT)).rejects.toMatchObject({ status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' })
    })
    test('still calls an empty body empty', async () => {
      await expect(readJsonBody(declared(''), LIMIT)).rejects.toMatchObject({ status: 400, message: expect.stringContaining('empty') })
    })
  })

  test('refuses a chunked body without a length once it crosses the limit', async () => {
    const req = new Request('http://localhost/', { method: 'POST', body: streamOf('{"a":"', 'x'.repeat(40), 'x'.repeat(40), '"}') })
    await expect(readJsonBody(req, LIMIT)).rejects.toMatchObject({ status: 413 })
  })

  test('refuses a declared length over the limit before reading', async () => {
    const req = new Request('http://localhost/', { method: 'POST', body: '{}', headers: { 'content-length': String(LIMIT + 1) } })
    await expect(readJsonBody(req, LIMIT)).rejects.toMatchObject({ status: 413 })
  })

  test('refuses compressed bodies instead of inflating them', async () => {
    const req = new Request('http://localhost/', { method: 'POST', body: Bun.gzipSync('{}'), headers: { 'content-encoding': 'gzip' } })
    await expect(readJsonBody(req, LIMIT)).rejects.toMatchObject({ status: 400, code: 'unsupported_content_encoding' })
  })

  test.each([['{bad json'], ['']])('answers %p with 400 invalid_json and does not quote the input', async (body) => {
    const err = await readJsonBody(new Request('http://localhost/', { method: 'POST', body }), LIMIT).catch((e: Error) => e)
    expect(err).toMatchObject({ status: 400, code: 'invalid_json' })
    if (body) expect((err as Error).message).not.toContain('bad')
  })
})
