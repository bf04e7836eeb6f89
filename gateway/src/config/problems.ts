/**
 * How configuration problems are worded: one line each,
 * `<field path>: expected <what>, got <short repr>`. Field paths read like the
 * YAML (`model_list[2].litellm_params.model`); values under secret-looking keys
 * are described by type only, so a problem never prints a credential.
 */
import { Kind, type TSchema } from '@sinclair/typebox'
import { ValueErrorType, type ValueError } from '@sinclair/typebox/value'
import type { AnnotatedSchema } from './schema.ts'

/** Thrown by loadConfig when the configuration has one or more problems; none is fatal alone, all are reported. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** The text main.ts prints to stderr: a header naming the file, then one line per problem (no stack). */
export function formatConfigError(e: ConfigError, source: string): string {
  const n = e.problems.length
  return [`llm-gateway: invalid configuration in ${source} (${n} problem${n === 1 ? '' : 's'}):`]
    .concat(e.problems.map((p) => `  - ${p}`))
    .join('\n')
}

export const ROOT = '(top level)'
export const joinKey = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`)
export const joinIndex = (path: string, index: number): string => `${path}[${index}]`
export const displayPath = (path: string): string => (path === '' ? ROOT : path)

/** `/model_list/2/litellm_params/model` -> `model_list[2].litellm_params.model` */
export function pointerToPath(pointer: string): string {
  let path = ''
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    path = /^\d+$/.test(segment) ? joinIndex(path, Number(segment)) : joinKey(path, segment)
  }
  return path
}

const SECRET_KEY = /(^|_)(key|secret|password|token)$|^database_url$/

/** A short, credential-safe rendering of `value` found at `path`. */
export function repr(value: unknown, path = ''): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`
  if (typeof value === 'object') return 'a mapping'
  const key = path.slice(path.lastIndexOf('.') + 1)
  if (SECRET_KEY.test(key)) return typeof value === 'string' ? `a string of ${value.length} characters` : `a ${typeof value}`
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  return String(value)
}

function bounds(s: TSchema): string {
  const parts: string[] = []
  if (typeof s.exclusiveMinimum === 'number') parts.push(`> ${s.exclusiveMinimum}`)
  if (typeof s.minimum === 'number') parts.push(`>= ${s.minimum}`)
  if (typeof s.maximum === 'number') parts.push(`<= ${s.maximum}`)
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`
}

/** What a value matching `schema` looks like, in words. */
export function describe(schema: TSchema): string {
  const annotated = schema as AnnotatedSchema
  if (annotated.expected) return annotated.expected
  switch (schema[Kind]) {
    case 'String': return schema.minLength ? 'a non-empty string' : 'a string'
    case 'Number': return `a number${bounds(schema)}`
    case 'Integer': return `an integer${bounds(schema)}`
    case 'Boolean': return 'true or false'
    case 'Literal': return String(schema.const)
    case 'Union': {
      const members = schema.anyOf as TSchema[]
      if (members.every((m) => m[Kind] === 'Literal')) return `one of ${members.map((m) => m.const).join(', ')}`
      return members.map(describe).join(' or ')
    }
    case 'Array': return `a list (each ${describe(schema.items as TSchema)})`
    case 'Object':
    case 'Record': return 'a mapping'
    default: return 'a valid value'
  }
}

/** One problem line for a TypeBox validation error. */
export function fromValueError(e: ValueError): string {
  const path = pointerToPath(e.path)
  const required = e.type === ValueErrorType.ObjectRequiredProperty ? ' (required)' : ''
  return `${displayPath(path)}: expected ${describe(e.schema)}${required}, got ${repr(e.value, path)}`
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/** The closest candidate to a mistyped `key`, when it is close enough to be a likely typo. */
export function didYouMean(key: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(key.length / 4)))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const c of candidates) {
    const distance = editDistance(key.toLowerCase(), c.toLowerCase())
    if (distance < bestDistance) [best, bestDistance] = [c, distance]
  }
  return best
}
