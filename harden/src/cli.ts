/**
 * `bun run harden [--long] [--area a,b] [--minutes N] [--out FILE]`: runs the
 * hardening suite and prints its figures as a Markdown table. The short
 * profile (default) is what CI runs through `bun test harden`; `--long` is
 * the nightly one (`make soak`), with the soak for `--minutes` (default 10).
 * Exit code 1 when an area has problems, 2 for bad arguments.
 */
import { cpus } from 'node:os'
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { AREAS, ledgerSummary, runArea } from './areas.ts'
import { CI, LONG } from './profile.ts'
import { renderTable, type AreaResult } from './report.ts'

const USAGE = `Usage: bun run harden [--long] [--area ${Object.keys(AREAS).join(',')}] [--minutes N] [--out FILE]
  --long        the long profile (100k+ inputs, 60 s overload, 120 s slow clients) and the soak
  --area LIST   only these areas (default: all; the soak runs with --long only)
  --minutes N   soak duration in minutes (default 10)
  --out FILE    also write the Markdown table to FILE`

function fail(msg: string): never {
  process.stderr.write(`${msg}\n\n${USAGE}\n`)
  process.exit(2)
}

let args
try {
  args = parseArgs({ options: { long: { type: 'boolean' }, area: { type: 'string' }, minutes: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } } }).values
} catch (err) {
  fail((err as Error).message)
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
const profile = args.long ? LONG : CI
const minutes = args.minutes === undefined ? 10 : Number(args.minutes)
if (!(minutes > 0 && minutes <= 24 * 60)) fail('--minutes must be a number of minutes between 0 and 1440')
const names = args.area ? args.area.split(',').map((s) => s.trim()) : Object.keys(AREAS).filter((a) => a !== 'soak' || args.long)
for (const n of names) if (!(n in AREAS)) fail(`unknown area: ${n}`)

const results: AreaResult[] = []
for (const name of names) {
  process.stderr.write(`harden: ${name} (${profile.name})…\n`)
  results.push(await runArea(name, profile, { minutes }))
}
results.push(...(await ledgerSummary()))
const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
const table = renderTable(results, { profile: profile.name === 'long' ? `long${names.includes('soak') ? `, soak ${minutes} min` : ''}` : 'CI (short)', date, bun: Bun.version, cores: cpus().length })
process.stdout.write(`${table}\n`)
if (args.out) writeFileSync(args.out, `${table}\n`)
process.exit(results.some((r) => r.problems.length > 0) ? 1 : 0)
