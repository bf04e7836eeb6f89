/**
 * The key policy, applied to the parsed YAML before anything else:
 * - keys the schema declares are kept (and walked into);
 * - keys LiteLLM documents but llm-gateway does not implement are dropped with
 *   one warning each, naming the full path (lists in litellm-keys.ts);
 * - any other key is a problem, with a did-you-mean when one is close.
 * Objects whose schema allows additional properties (a guardrail's
 * litellm_params) keep every key. `key: null` on an optional key means "not set".
 */
import type { TSchema } from '@sinclair/typebox'
import { documentedNames, isDocumentedUnimplemented } from './litellm-keys.ts'
import { didYouMean, joinIndex, joinKey } from './problems.ts'
import type { AnnotatedSchema } from './schema.ts'
import { isMapping, itemSchema, mayBeAbsent, objectSchema } from './walk.ts'

export interface KeyReport {
  warnings: string[]
  problems: string[]
}

/** A copy of `value` holding only implemented keys; warnings and problems are appended to `report`. */
export function applyKeyPolicy(value: unknown, schema: TSchema | undefined, path: string, report: KeyReport): unknown {
  if (Array.isArray(value)) {
    const items = itemSchema(schema)
    return value.map((item, i) => applyKeyPolicy(item, items, joinIndex(path, i), report))
  }
  const object = objectSchema(schema)
  if (!isMapping(value) || object === undefined) return value
  const section = (object as AnnotatedSchema).section
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const childPath = joinKey(path, key)
    const declared = object.properties[key]
    if (declared !== undefined) {
      if (child === null && mayBeAbsent(declared)) continue
      out[key] = applyKeyPolicy(child, declared, childPath, report)
    } else if (object.additionalProperties === true) {
      out[key] = child
    } else if (section !== undefined && isDocumentedUnimplemented(section, key)) {
      report.warnings.push(`${childPath}: documented by LiteLLM but not implemented by llm-gateway; ignored`)
    } else {
      const hint = didYouMean(key, [...Object.keys(object.properties), ...(section ? documentedNames(section) : [])])
      report.problems.push(`${childPath}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`)
    }
  }
  return out
}
