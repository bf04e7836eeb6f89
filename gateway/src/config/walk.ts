/**
 * Navigation inside the config schemas, for the passes that walk a value and
 * its schema side by side (keys.ts, env.ts). Unions are searched for the first
 * member of the wanted shape; `undefined` means "not constrained here".
 */
import { Kind, OptionalKind, type TObject, type TSchema } from '@sinclair/typebox'

export const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The alternatives `schema` admits, unions flattened; none when unconstrained. */
export function members(schema: TSchema | undefined): TSchema[] {
  if (schema === undefined) return []
  return schema[Kind] === 'Union' ? (schema.anyOf as TSchema[]).flatMap(members) : [schema]
}

/** The object schema (with declared properties) that governs a mapping, if any. */
export function objectSchema(schema: TSchema | undefined): TObject | undefined {
  return members(schema).find((m): m is TObject => m[Kind] === 'Object')
}

/** The schema of `value[key]` for a mapping governed by `schema`. */
export function propertySchema(schema: TSchema | undefined, key: string): TSchema | undefined {
  for (const m of members(schema)) {
    if (m[Kind] === 'Object' && (m as TObject).properties[key]) return (m as TObject).properties[key]
    if (m[Kind] === 'Record') return Object.values(m.patternProperties as Record<string, TSchema>)[0]
  }
  return undefined
}

/** The schema of each item of a list governed by `schema`. */
export function itemSchema(schema: TSchema | undefined): TSchema | undefined {
  return members(schema).find((m) => m[Kind] === 'Array')?.items as TSchema | undefined
}

/** Whether an absent value is acceptable for this property (optional, or defaulted). */
export const mayBeAbsent = (schema: TSchema): boolean => OptionalKind in schema || 'default' in schema

/**
 * Fills absent properties that declare a `default`, recursively. Unlike
 * TypeBox's Value.Default it never replaces a value of the wrong type, so the
 * type check still sees (and reports) what the file said. Mutates `value`.
 */
export function applyDefaults(value: unknown, schema: TSchema | undefined): unknown {
  if (Array.isArray(value)) {
    const items = itemSchema(schema)
    for (const item of value) applyDefaults(item, items)
    return value
  }
  if (!isMapping(value)) return value
  const object = objectSchema(schema)
  for (const [key, property] of Object.entries(object?.properties ?? {})) {
    if (value[key] === undefined && 'default' in property) value[key] = structuredClone(property.default)
  }
  for (const [key, child] of Object.entries(value)) applyDefaults(child, propertySchema(schema, key))
  return value
}
