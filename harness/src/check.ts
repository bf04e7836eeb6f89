/**
 * Helpers for writing checks: throw `CheckFailed` (via `ensure` or `failWith`)
 * to fail with a reason, return `skip(note)` or `pass(note)` otherwise.
 */
import type { CheckMetrics, CheckOutcome } from './types.ts'

/** A check's failure with a human reason; the runner turns it into a `fail` verdict. */
export class CheckFailed extends Error {
  override name = 'CheckFailed'
  constructor(
    readonly reason: string,
    readonly metrics?: CheckMetrics,
  ) {
    super(reason)
  }
}

/** Fails the check with `reason` unless `condition` holds. */
export function ensure(condition: unknown, reason: string | (() => string)): asserts condition {
  if (!condition) throw new CheckFailed(typeof reason === 'function' ? reason() : reason)
}

/** Fails the check with `reason`. */
export function failWith(reason: string, metrics?: CheckMetrics): never {
  throw new CheckFailed(reason, metrics)
}

export function pass(note?: string, metrics?: CheckMetrics): CheckOutcome {
  return { status: 'pass', ...(note !== undefined ? { note } : {}), ...(metrics !== undefined ? { metrics } : {}) }
}

export function skip(note: string): CheckOutcome {
  return { status: 'skip', note }
}

/** A short, single-line excerpt of a response body for reasons. */
export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
