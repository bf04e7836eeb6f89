/**
 * Validation of the key admin API bodies (LiteLLM's field names), each
 * problem a 400 naming the field. Guardrail names and models are checked
 * against what is configured, so a key cannot promise what the gateway lacks.
 */
import { errors } from '../errors/gateway-error.ts'
import { bad, isObject, typeName } from '../openai/validate-util.ts'
import { addDuration, isDuration } from './duration.ts'
import type { NewKey } from './service.ts'

const FIELDS = new Set(['key_alias', 'models', 'rpm_limit', 'tpm_limit', 'max_budget', 'budget_duration', 'duration', 'expires', 'metadata', 'guardrails'])

export interface KnownNames {
  models: ReadonlySet<string>
  guardrails: ReadonlySet<string>
}

/** A body of /key/generate or the fields of /key/update (`key` excluded). */
export function parseKeyFields(body: unknown, known: KnownNames, now = Date.now()): NewKey {
  if (!isObject(body)) throw errors.invalidRequest(`The request body must be a JSON object, got ${typeName(body)}.`)
  const out: NewKey = {}
  for (const [k, v] of Object.entries(body)) {
    if (k === 'key') continue
    if (!FIELDS.has(k)) throw errors.invalidRequest(`Unrecognized key field: ${k}`, k, 'unknown_parameter')
    if (v === null && k !== 'models' && k !== 'guardrails' && k !== 'metadata') {
      assignNull(out, k)
      continue
    }
    switch (k) {
      case 'key_alias':
        if (typeof v !== 'string' || v.length === 0 || v.length > 256) throw bad(k, "'key_alias' must be a string of 1-256 characters.")
        out.keyAlias = v
        break
      case 'models':
        out.models = names(v, k, known.models, 'model')
        break
      case 'guardrails':
        out.guardrails = names(v, k, known.guardrails, 'guardrail')
        break
      case 'rpm_limit':
      case 'tpm_limit': {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(k, `'${k}' must be a whole number of at least 0.`)
        if (k === 'rpm_limit') out.rpmLimit = v
        else out.tpmLimit = v
        break
      }
      case 'max_budget':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad(k, "'max_budget' must be a number of USD, at least 0.")
        out.maxBudget = v
        break
      case 'budget_duration':
        if (typeof v !== 'string' || !isDuration(v)) throw bad(k, "'budget_duration' must be a duration like 30d, 12h or 1mo.")
        out.budgetDuration = v
        break
      case 'duration':
        if (typeof v !== 'string' || !isDuration(v)) throw bad(k, "'duration' must be a duration like 30d, 12h or 1mo.")
        out.expiresAt = addDuration(now, v)
        break
      case 'expires': {
        const at = typeof v === 'string' ? Date.parse(v) : Number.NaN
        if (!Number.isFinite(at)) throw bad(k, "'expires' must be an ISO 8601 date-time.")
        out.expiresAt = at
        break
      }
      case 'metadata':
        if (!isObject(v)) throw bad(k, "'metadata' must be an object.")
        if (JSON.stringify(v).length > 16_384) throw bad(k, "'metadata' is larger than 16 KiB.")
        out.metadata = v
        break
    }
  }
  return out
}

function assignNull(out: NewKey, field: string): void {
  const map: Record<string, keyof NewKey> = {
    key_alias: 'keyAlias', rpm_limit: 'rpmLimit', tpm_limit: 'tpmLimit', max_budget: 'maxBudget', budget_duration: 'budgetDuration', duration: 'expiresAt', expires: 'expiresAt',
  }
  const key = map[field]
  if (key) (out as Record<string, unknown>)[key] = null
}

function names(v: unknown, field: string, known: ReadonlySet<string>, what: string): string[] {
  if (v === null) return []
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(field, `'${field}' must be a list of ${what} names.`)
  for (const n of v as string[]) if (!known.has(n)) throw bad(field, `Unknown ${what} '${n.slice(0, 128)}' in '${field}'.`)
  return v as string[]
}
