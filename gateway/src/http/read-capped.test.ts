import { describe, expect, test } from 'bun:test'
import { readCapped } from './read-capped.ts'

const enc = new TextEncoder()

function bodyOf(chunks: string[]) {
  let i = 0
  let cancelled = false
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks[i++]
      if (next === undefined) c.close()
      else c.enqueue(enc.encode(next))
    },
    cancel() {
      cancelled = true
    },
  })
  return { body, cancelled: () => cancelled }
}

describe('readCapped', () => {
  test('joins the chunks of a body without a length within the cap', async () => {
    const { body } = bodyOf(['ab', 'cd', 'e'])
    expect(new TextDecoder().decode(await readCapped(new Response(body), 5))).toBe('abcde')
  })

  test('returns undefined and cancels a body without a length once it crosses the cap', async () => {
    const b = bodyOf(['abc', 'def', 'never read'])
    expect(await readCapped(new Response(b.body), 5)).toBeUndefined()
    expect(b.cancelled()).toBe(true)
  })

  test('reads a body with a declared length within the cap', async () => {
    expect(new TextDecoder().decode(await readCapped(new Response('abcde', { headers: { 'content-length': '5' } }), 5))).toBe('abcde')
  })

  test('refuses a declared length over the cap without reading', async () => {
    const b = bodyOf(['abcdef'])
    expect(await readCapped(new Response(b.body, { headers: { 'content-length': '6' } }), 5)).toBeUndefined()
    expect(b.cancelled()).toBe(true)
  })

  test('counts a compressed body as it is decoded instead of trusting its compressed length', async () => {
    const b = bodyOf(['0123456789'])
    expect(await readCapped(new Response(b.body, { headers: { 'content-length': '3', 'content-encoding': 'gzip' } }), 5)).toBeUndefined()
  })

  test('reads a missing body as empty', async () => {
    expect(await readCapped(new Response(null), 5)).toEqual(new Uint8Array(0))
  })
})
