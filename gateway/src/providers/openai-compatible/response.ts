/**
 * Upstream `chat.completion` JSON -> ProviderResult. Pure. The shape is
 * checked field by field; anything the protocol promises but the body lacks is
 * a `bad_response`, never a guess.
 */
import { upstreamError } from '../../errors/upstream.ts'
import type { FinishReason, ToolCall, Usage } from '../../openai/types.ts'
import type { ProviderName, ProviderResult } from '../types.ts'

type Json = Record<string, unknown>

/** Thrown inside this module and the stream mapper; the caller turns it into `bad_response` / `stream_error`. */
export class ShapeError extends Error {
  override name = 'ShapeError'
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

const FINISH: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
}

/** Maps an upstream finish_reason; values outside OpenAI's set (e.g. `end_turn`) become `stop`. */
export function mapFinishReason(value: unknown): FinishReason | undefined {
  if (typeof value !== 'string' || value === '') return undefined
  return FINISH[value] ?? 'stop'
}

/** Reads an OpenAI usage object; undefined when absent, ShapeError when malformed. */
export function parseUsage(value: unknown): Usage | undefined {
  if (value === undefined || value === null) return undefined
  if (!isObject(value)) throw new ShapeError('usage is not an object')
  const prompt = value.prompt_tokens
  const completion = value.completion_tokens
  if (!isCount(prompt) || !isCount(completion)) throw new ShapeError('usage lacks token counts')
  const total = isCount(value.total_tokens) ? value.total_tokens : prompt + completion
  const usage: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total }
  const details = value.prompt_tokens_details
  if (isObject(details) && isCount(details.cached_tokens) && details.cached_tokens > 0) {
    usage.prompt_tokens_details = { cached_tokens: details.cached_tokens }
  }
  return usage
}

/** Copies the present passthrough fields (Perplexity citations, search_results, ...). */
export function pickExtra(source: Json, fields: readonly string[]): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined
  for (const field of fields) {
    const value = source[field]
    if (value !== undefined && value !== null) (extra ??= {})[field] = value
  }
  return extra
}

/** Validates a whole `chat.completion` body and keeps choice 0. */
export function parseCompletion(body: unknown, provider: ProviderName, passthrough: readonly string[]): ProviderResult {
  try {
    if (!isObject(body) || !Array.isArray(body.choices)) throw new ShapeError('body has no choices array')
    const choice = body.choices.find((c: unknown) => isObject(c) && (c.index ?? 0) === 0)
    if (!isObject(choice) || !isObject(choice.message)) throw new ShapeError('choice 0 has no message')
    const content = choice.message.content ?? null
    if (content !== null && typeof content !== 'string') throw new ShapeError('message.content is not a string')
    const finishReason = mapFinishReason(choice.finish_reason)
    if (!finishReason) throw new ShapeError('choice 0 has no finish_reason')
    const usage = parseUsage(body.usage)
    if (!usage) throw new ShapeError('body has no usage')
    const result: ProviderResult = { content, finishReason, usage }
    const toolCalls = parseToolCalls(choice.message.tool_calls)
    if (toolCalls) result.toolCalls = toolCalls
    const extra = pickExtra(body, passthrough)
    if (extra) result.extra = extra
    return result
  } catch (err) {
    if (err instanceof ShapeError) throw upstreamError({ provider, kind: 'bad_response', cause: err })
    throw err
  }
}

function parseToolCalls(value: unknown): ToolCall[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) throw new ShapeError('message.tool_calls is not an array')
  if (value.length === 0) return undefined
  return value.map((call: unknown): ToolCall => {
    if (!isObject(call) || typeof call.id !== 'string' || !isObject(call.function)) {
      throw new ShapeError('tool call lacks id or function')
    }
    const { name, arguments: args } = call.function
    if (typeof name !== 'string' || typeof args !== 'string') throw new ShapeError('tool call function is malformed')
    return { id: call.id, type: 'function', function: { name, arguments: args } }
  })
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0
}
