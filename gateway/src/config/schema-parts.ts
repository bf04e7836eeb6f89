/**
 * Schema building blocks shared by the config's sections (schema.ts, model-schema.ts).
 */
import { Type } from '@sinclair/typebox'
import { FIXED_DURATION } from '../keys/duration.ts'

/** One of the given strings. */
export const literals = <T extends string>(values: readonly T[], options: Record<string, unknown> = {}) =>
  Type.Union(values.map((v) => Type.Literal(v)), options)

/** A duration in seconds, > 0. */
export const Seconds = (options: Record<string, unknown> = {}) => Type.Number({ exclusiveMinimum: 0, ...options })
/** A fixed-length duration > 0 written the LiteLLM way: `3600s`, `60m`, `24h`, `7d`. */
export const Duration = (options: Record<string, unknown> = {}) =>
  Type.String({ pattern: FIXED_DURATION.source, expected: 'a duration like "3600s", "60m", "24h" or "7d"', ...options })
/** A whole number >= 0 (retries, limits). */
export const Count = (options: Record<string, unknown> = {}) => Type.Integer({ minimum: 0, ...options })
/** A price in USD per token, >= 0. */
export const CostPerToken = () => Type.Number({ minimum: 0 })
/** `[{ <model_name>: [<fallback model_name>, ...] }, ...]` */
export const Fallbacks = () => Type.Array(Type.Record(Type.String(), Type.Array(Type.String())))
