import { describe, expect, test } from 'bun:test'
import { readCapped } from './http.ts'

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
  test('joins the chunks of a body within the cap', async () => {
    const { body } = bodyOf(['ab', 'cd', 'e'])
    expect(new TextDecoder().decode(await readCapped(body, 5))).toBe('abcde')
    expect(body.locked).toBe(false)
  })

  test('returns undefined and cancels a body over the cap', async () => {
    const b = bodyOf(['abc', 'def', 'never read'])
    expect(await readCapped(b.body, 5)).toBeUndefined()
    expect({ cancelled: b.cancelled(), locked: b.body.locked }).toEqual({ cancelled: true, locked: false })
  })

  test('reads a missing body as empty', async () => {
    expect(await readCapped(null, 5)).toEqual(new Uint8Array(0))
  })
})
