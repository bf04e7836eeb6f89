/**
 * Failing inputs, kept as regression cases: each is a JSON file under
 * harden/corpus/<area>/, named by a hash of its content, replayed on every
 * CI run (harden/test/corpus.test.ts).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const CORPUS_DIR = join(import.meta.dir, '../corpus')

export interface CorpusEntry<T> {
  area: string
  /** Why it was saved: the problem it showed, or "seed" for hand-written cases. */
  reason: string
  input: T
}

/** Saves `input` under corpus/<area>/; returns the file path. */
export function saveFailing<T>(area: string, reason: string, input: T): string {
  const dir = join(CORPUS_DIR, area)
  mkdirSync(dir, { recursive: true })
  const text = `${JSON.stringify({ area, reason, input } satisfies CorpusEntry<T>, null, 2)}\n`
  const file = join(dir, `${Bun.hash(JSON.stringify(input)).toString(16).padStart(16, '0')}.json`)
  writeFileSync(file, text)
  return file
}

/** Every saved entry of `area` (an empty list when there is none). */
export function loadCorpus<T>(area: string): Array<CorpusEntry<T> & { file: string }> {
  const dir = join(CORPUS_DIR, area)
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort()
  } catch {
    return []
  }
  return names.map((n) => ({ ...(JSON.parse(readFileSync(join(dir, n), 'utf8')) as CorpusEntry<T>), file: join(dir, n) }))
}
