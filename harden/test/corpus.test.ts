/** Replays every saved input of harden/corpus/fuzz/ through the fuzz oracle, on every run. */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { loadCorpus } from '../src/corpus.ts'
import { runCase } from '../src/fuzz.ts'
import type { FuzzCase } from '../src/fuzz-inputs.ts'
import { startWorld, type World } from '../src/world.ts'

const entries = loadCorpus<FuzzCase>('fuzz')
let w: World
beforeAll(async () => {
  w = await startWorld()
})
afterAll(async () => {
  expect(await w.close()).toEqual([])
})

test('the corpus is not empty', () => {
  expect(entries.length).toBeGreaterThan(0)
})

test.each(entries.map((e) => [e.reason, e] as const))('corpus case still holds: %s', async (_reason, e) => {
  const targets: Array<[(r: Request) => Promise<Response>, string]> = [[(r) => w.app.handle(r), 'http://gateway.local'], [(r) => fetch(r), w.gw.url]]
  const problems = []
  for (const [send, base] of targets) problems.push((await runCase(e.input, send, base, w))?.problem ?? '')
  expect(problems).toEqual(['', ''])
})
