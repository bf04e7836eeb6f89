/**
 * Resolution of LiteLLM's `os.environ/NAME` references, anywhere in the tree.
 * A reference is replaced by the variable's value, coerced to what the schema
 * expects at that place ("600" -> 600 for a number, "true" -> true for a
 * boolean; strings and unconstrained values stay strings). A variable that is
 * unset or empty is reported in `missing` and its key removed: the loader
 * decides what that means for each place (see load.ts). A value that cannot be
 * coerced is a problem naming the path and the variable.
 */
import { Kind, type TSchema } from '@sinclair/typebox'
import { describe, displayPath, joinIndex, joinKey, repr } from './problems.ts'
import { isMapping, itemSchema, members, propertySchema } from './walk.ts'

export const ENV_REF_PREFIX = 'os.environ/'

export type Env = Record<string, string | undefined>

export interface MissingVariable {
  path: string
  name: string
}

export interface EnvResolution {
  value: unknown
  missing: MissingVariable[]
  /** One line per bad reference, keyed by field path. */
  problems: Map<string, string>
}

const REMOVED = Symbol('removed')

/** Resolves every `os.environ/NAME` string in `value` (found at `path`, governed by `schema`) from `env`. */
export function resolveEnvRefs(value: unknown, schema: TSchema | undefined, path: string, env: Env): EnvResolution {
  const result: EnvResolution = { value: undefined, missing: [], problems: new Map() }
  const walk = (v: unknown, s: TSchema | undefined, p: string): unknown => {
    if (typeof v === 'string' && v.startsWith(ENV_REF_PREFIX)) return resolveOne(v.slice(ENV_REF_PREFIX.length), s, p)
    if (Array.isArray(v)) {
      const items = itemSchema(s)
      return v.map((item, i) => walk(item, items, joinIndex(p, i))).filter((item) => item !== REMOVED)
    }
    if (!isMapping(v)) return v
    const out: Record<string, unknown> = {}
    for (const [key, child] of Object.entries(v)) {
      const resolved = walk(child, propertySchema(s, key), joinKey(p, key))
      if (resolved !== REMOVED) out[key] = resolved
    }
    return out
  }
  const resolveOne = (name: string, s: TSchema | undefined, p: string): unknown => {
    if (!/^\w+$/.test(name)) {
      result.problems.set(p, `${displayPath(p)}: expected "os.environ/<VARIABLE_NAME>", got ${repr(ENV_REF_PREFIX + name, p)}`)
      return REMOVED
    }
    const raw = env[name]
    if (raw === undefined || raw === '') {
      result.missing.push({ path: p, name })
      return REMOVED
    }
    const coerced = coerce(raw, s)
    if (coerced === REMOVED) {
      const from = `(from environment variable ${name})`
      result.problems.set(p, `${displayPath(p)}: expected ${describe(s!)} ${from}, got ${repr(raw, p)}`)
    }
    return coerced
  }
  const resolved = walk(value, schema, path)
  result.value = resolved === REMOVED ? undefined : resolved
  return result
}

/** `raw` as the schema's type, or REMOVED when it admits no reading of it. */
function coerce(raw: string, schema: TSchema | undefined): unknown {
  const kinds = members(schema).map((m) => m[Kind])
  if (kinds.length === 0 || kinds.some((k) => k === 'String' || k === 'Literal' || k === 'Unknown')) return raw
  const text = raw.trim()
  if (kinds.includes('Number') || kinds.includes('Integer')) {
    const n = Number(text)
    if (text !== '' && Number.isFinite(n)) return n
  }
  if (kinds.includes('Boolean') && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true'
  return REMOVED
}
