/** Small typed readers shared by the request validators; each throws a 400 naming the param. */
import { errors, type GatewayError } from '../errors/gateway-error.ts'

export function bad(param: string, message: string): GatewayError {
  return errors.invalidRequest(message, param)
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  return `a ${typeof v}`
}

export function num(v: unknown, param: string, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(param, `Invalid type for '${param}': expected a number, but got ${typeName(v)}.`)
  if (v < min || v > max) throw bad(param, `Invalid '${param}': ${v} is outside the range ${min} to ${max}.`)
  return v
}

export function optNum(o: Record<string, unknown>, key: string, min?: number, max?: number): number | undefined {
  const v = o[key]
  return v === undefined || v === null ? undefined : num(v, key, min, max)
}

export function optInt(o: Record<string, unknown>, key: string, min?: number, max?: number): number | undefined {
  const v = optNum(o, key, min, max)
  if (v !== undefined && !Number.isInteger(v)) throw bad(key, `Invalid '${key}': expected an integer, but got ${v}.`)
  return v
}

export function optBool(o: Record<string, unknown>, key: string, param = key): boolean | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw bad(param, `Invalid type for '${param}': expected a boolean, but got ${typeName(v)}.`)
  return v
}

export function optString(o: Record<string, unknown>, key: string, maxLen: number, param = key): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw bad(param, `Invalid type for '${param}': expected a string, but got ${typeName(v)}.`)
  if (v.length > maxLen) throw bad(param, `Invalid '${param}': longer than ${maxLen} characters.`)
  return v
}

export function reqString(o: Record<string, unknown>, key: string, param: string, maxLen = 1 << 20): string {
  const v = optString(o, key, maxLen, param)
  if (v === undefined) throw bad(param, `Missing required parameter: '${param}'.`)
  return v
}
