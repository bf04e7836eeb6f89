import { describe, expect, test } from 'bun:test'
import type { Guardrail } from '../guardrail.ts'
import { AsyncWindowGuard } from './async-window.ts'

function guard(window: number, flagged: (t: string) => boolean): Guardrail {
  return { window, hooks: { checkOutput: async ({ text }: { text: string }) => (flagged(text) ? { flagged: true } : undefined) } } as unknown as Guardrail
}

async function run(g: Guardrail, chunks: string[]) {
  const w = new AsyncWindowGuard(g)
  let out = ''
  for (const c of chunks) {
    const s = await w.push(c)
    if (s.verdict) return { out, flagged: true }
    out += s.release
  }
  const s = await w.end()
  return s.verdict ? { out, flagged: true } : { out: out + s.release, flagged: false }
}

describe('AsyncWindowGuard', () => {
  test('releases everything but the window, cut at a space, and the rest at the end', async () => {
    const w = new AsyncWindowGuard(guard(8, () => false))
    expect(await w.push('hello brave new world')).toEqual({ release: 'hello brave' })
    expect(await w.end()).toEqual({ release: ' new world' })
  })

  test.each([1, 2, 3, 5, 8])('catches a word split across chunks of %p and never releases it', async (size) => {
    const text = 'a long harmless start, then duckies appear'
    const chunks = text.match(new RegExp(`.{1,${size}}`, 'gs'))!
    const r = await run(guard(16, (t) => t.includes('duckies')), chunks)
    expect(r.flagged).toBe(true)
    expect(r.out).not.toContain('duck')
  })

  test('passes clean text through unchanged whatever the chunking', async () => {
    const text = 'nothing to see here, move along please'
    for (const size of [1, 4, 9, 40]) {
      expect(await run(guard(10, () => false), text.match(new RegExp(`.{1,${size}}`, 'gs'))!)).toEqual({ out: text, flagged: false })
    }
  })
})
