/**
 * Generates the values table of helm/llm-gateway/README.md from the `# --`
 * comments of values.yaml (the helm-docs convention), below a marker line;
 * everything above the marker is hand-written and kept.
 *
 *   bun scripts/chart-readme.ts           rewrite the README
 *   bun scripts/chart-readme.ts --check   exit 1 when the README is stale or a value is undocumented
 *
 * A value counts as documented when it, or a map that contains it, has a
 * `# --` comment: `config: # -- …` documents the whole free-form config.
 */
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// js-yaml comes from the gateway package (its dependency); this script has no package of its own.
const yaml = createRequire(join(import.meta.dir, '../gateway/package.json'))('js-yaml') as { load(text: string): unknown }

export const CHART_DIR = join(import.meta.dir, '../helm/llm-gateway')
export const MARKER = '<!-- Everything below is generated from values.yaml by scripts/chart-readme.ts (make chart-docs): do not edit. -->'
const MAX_DEFAULT_CHARS = 100

/** Dotted value path -> its `# --` description, in file order. */
export function documentedValues(text: string): Map<string, string> {
  const docs = new Map<string, string>()
  const stack: { indent: number; key: string }[] = []
  let pending: string[] | undefined
  let listIndent = -1
  for (const line of text.split('\n')) {
    const indent = line.length - line.trimStart().length
    const body = line.trim()
    if (listIndent >= 0) {
      // Inside a list: its items are part of one value, not values of their own.
      if (body === '' || indent > listIndent || (indent === listIndent && body.startsWith('- '))) continue
      listIndent = -1
    }
    if (body === '') {
      pending = undefined
      continue
    }
    if (body.startsWith('# --')) {
      pending = [body.slice(4).trim()]
      continue
    }
    if (body.startsWith('#')) {
      if (pending) pending.push(body.slice(1).trim())
      continue
    }
    if (body.startsWith('- ') || body === '-') {
      listIndent = indent
      pending = undefined
      continue
    }
    const key = /^("[^"]+"|'[^']+'|[^\s:#][^:#]*?)\s*:(\s|$)/.exec(body)?.[1]?.replace(/^["']|["']$/g, '')
    if (key === undefined) continue
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop()
    stack.push({ indent, key })
    if (pending) docs.set(stack.map((s) => s.key).join('.'), pending.join(' '))
    pending = undefined
  }
  return docs
}

/** Every leaf path of the parsed values (maps are walked, lists and scalars are leaves). */
export function valuePaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) return prefix ? [prefix] : []
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => valuePaths(v, prefix ? `${prefix}.${k}` : k))
}

/** Leaf paths that have no `# --` comment on themselves or on a map that contains them. */
export function undocumentedPaths(text: string): string[] {
  const docs = documentedValues(text)
  return valuePaths(yaml.load(text)).filter((path) => {
    const parts = path.split('.')
    return !parts.some((_, i) => docs.has(parts.slice(0, i + 1).join('.')))
  })
}

function lookup(values: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), values)
}

function typeOf(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'object') return 'object'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  return typeof value
}

const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')

export function renderValuesTable(text: string): string {
  const values = yaml.load(text)
  const rows = [...documentedValues(text)].map(([path, description]) => {
    const value = lookup(values, path)
    const json = JSON.stringify(value) ?? 'null'
    const shown = json.length > MAX_DEFAULT_CHARS ? 'see values.yaml' : `\`${json}\``
    return `| \`${path}\` | ${typeOf(value)} | ${cell(shown)} | ${cell(description)} |`
  })
  return ['## Values', '', '| Key | Type | Default | Description |', '|-----|------|---------|-------------|', ...rows, ''].join('\n')
}

/** The README with its generated part replaced. */
export function renderReadme(readme: string, valuesText: string): string {
  const at = readme.indexOf(MARKER)
  const head = at >= 0 ? readme.slice(0, at) : `${readme.trimEnd()}\n\n`
  return `${head}${MARKER}\n\n${renderValuesTable(valuesText)}`
}

if (import.meta.main) {
  const valuesText = readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')
  const readmePath = join(CHART_DIR, 'README.md')
  const readme = readFileSync(readmePath, 'utf8')
  const missing = undocumentedPaths(valuesText)
  if (missing.length > 0) {
    process.stderr.write(`chart-readme: values without a "# --" comment: ${missing.join(', ')}\n`)
    process.exit(1)
  }
  const next = renderReadme(readme, valuesText)
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      process.stderr.write('chart-readme: helm/llm-gateway/README.md is stale: run `make chart-docs`\n')
      process.exit(1)
    }
  } else if (next !== readme) {
    writeFileSync(readmePath, next)
    process.stderr.write('chart-readme: helm/llm-gateway/README.md updated\n')
  }
}
