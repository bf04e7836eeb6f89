/**
 * Readers for a guardrail's own options (the extra keys of its
 * `litellm_params`), each reporting a problem with the field path instead of
 * throwing, so startup lists every bad field at once.
 */
export interface OptionReader {
  /** `guardrails[i].litellm_params` */
  path: string
  params: Record<string, unknown>
  problems: string[]
  used: Set<string>
}

export function reader(path: string, params: Record<string, unknown>, problems: string[]): OptionReader {
  return { path, params, problems, used: new Set() }
}

function got(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v)?.slice(0, 80) ?? String(v)
}

export function stringList(r: OptionReader, key: string, required: boolean): string[] | undefined {
  r.used.add(key)
  const v = r.params[key]
  if (v === undefined && !required) return undefined
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || x.trim() === '')) {
    r.problems.push(`${r.path}.${key}: expected a non-empty list of non-empty strings, got ${got(v)}`)
    return undefined
  }
  return v as string[]
}

export function positiveNumber(r: OptionReader, key: string, opts: { integer?: boolean; max?: number } = {}): number | undefined {
  r.used.add(key)
  const v = r.params[key]
  if (v === undefined) return undefined
  const ok = typeof v === 'number' && Number.isFinite(v) && v > 0 && (!opts.integer || Number.isInteger(v)) && (opts.max === undefined || v <= opts.max)
  if (!ok) {
    const what = `${opts.integer ? 'a positive integer' : 'a positive number'}${opts.max !== undefined ? ` up to ${opts.max}` : ''}`
    r.problems.push(`${r.path}.${key}: expected ${what}, got ${got(v)}`)
    return undefined
  }
  return v as number
}

export function bool(r: OptionReader, key: string): boolean | undefined {
  r.used.add(key)
  const v = r.params[key]
  if (v === undefined) return undefined
  if (typeof v !== 'boolean') {
    r.problems.push(`${r.path}.${key}: expected true or false, got ${got(v)}`)
    return undefined
  }
  return v
}

export function str(r: OptionReader, key: string): string | undefined {
  r.used.add(key)
  const v = r.params[key]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v.length === 0) {
    r.problems.push(`${r.path}.${key}: expected a non-empty string, got ${got(v)}`)
    return undefined
  }
  return v
}

/** Runs a detector constructor, turning its exception into a problem on `key`. */
export function build<T>(r: OptionReader, key: string, make: () => T): T | undefined {
  try {
    return make()
  } catch (err) {
    r.problems.push(`${r.path}.${key}: ${(err as Error).message}`)
    return undefined
  }
}
