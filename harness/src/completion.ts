/**
 * Shape checks for Chat Completions answers, streamed or not: ids, `object`,
 * `choices`, `finish_reason` and `usage`, with the assistant's text pulled
 * out for the checks that judge content.
 */
import { excerpt } from './check.ts'
import { envelopeOf, isRecord, type ErrorEnvelope } from './http.ts'
import type { SseRead } from './sse.ts'

/** The finish reasons the OpenAI API defines. */
export const FINISH_REASONS = new Set(['stop', 'length', 'content_filter', 'tool_calls', 'function_call'])

export interface Usage {
  promptTokens: number
  completionTokens: number
  totalTokens: number
}

/** What a non-stream completion said, and what is wrong with its shape. */
export interface CompletionView {
  problems: string[]
  /** The assistant's content (plus any `refusal`), '' when none. */
  text: string
  finishReasons: string[]
  usage?: Usage
}

/** What a stream said: the completion view plus stream-only facts. */
export interface StreamView extends CompletionView {
  /** Number of JSON chunks (usage chunk included, `[DONE]` excluded). */
  chunks: number
  /** An in-stream error frame (`data: {"error":…}` or `event: error`). */
  errorFrame?: ErrorEnvelope
  /** Milliseconds to the first non-empty content delta. */
  ttftMs?: number
}

/** Validates a non-stream `chat.completion` body. */
export function inspectCompletion(json: unknown): CompletionView {
  const view: CompletionView = { problems: [], text: '', finishReasons: [] }
  const p = view.problems
  if (!isRecord(json)) {
    p.push('the body is not a JSON object')
    return view
  }
  if (typeof json.id !== 'string' || json.id === '') p.push('id is missing or empty')
  if (json.object !== 'chat.completion') p.push(`object is ${JSON.stringify(json.object)}, expected "chat.completion"`)
  if (typeof json.created !== 'number') p.push('created is not a number')
  if (typeof json.model !== 'string') p.push('model is not a string')
  const choice = Array.isArray(json.choices) ? json.choices[0] : undefined
  if (!isRecord(choice)) p.push('choices is not a non-empty array of objects')
  else {
    const message = choice.message
    if (!isRecord(message)) p.push('choices[0].message is not an object')
    else {
      if (message.role !== 'assistant') p.push(`choices[0].message.role is ${JSON.stringify(message.role)}, expected "assistant"`)
      if (typeof message.content === 'string') view.text += message.content
      else if (message.content !== null && message.content !== undefined) p.push('choices[0].message.content is neither a string nor null')
      if (typeof message.refusal === 'string') view.text += message.refusal
    }
    checkFinishReason(choice.finish_reason, 'choices[0].finish_reason', view)
  }
  if (json.usage === undefined) p.push('usage is missing')
  else readUsage(json.usage, view)
  return view
}

/** Validates the chunks of a streamed completion (framing problems are `read.problems`, not repeated here). */
export function inspectStream(read: SseRead): StreamView {
  const view: StreamView = { problems: [], text: '', finishReasons: [], chunks: 0 }
  const p = new Set<string>()
  const ids = new Set<string>()
  for (const event of read.events) {
    if (event.data === '[DONE]') continue
    let json: unknown
    try {
      json = JSON.parse(event.data)
    } catch {
      p.add(`data is not JSON: "${excerpt(event.data, 80)}"`)
      continue
    }
    if (event.event === 'error' || (isRecord(json) && json.error !== undefined)) {
      view.errorFrame ??= envelopeOf(json) ?? { message: excerpt(event.data, 200), type: 'unknown' }
      continue
    }
    if (!isRecord(json)) {
      p.add('a chunk is not a JSON object')
      continue
    }
    view.chunks++
    if (json.object !== 'chat.completion.chunk') p.add(`a chunk's object is ${JSON.stringify(json.object)}, expected "chat.completion.chunk"`)
    if (typeof json.id !== 'string' || json.id === '') p.add("a chunk's id is missing or empty")
    else ids.add(json.id)
    if (!Array.isArray(json.choices)) p.add("a chunk's choices is not an array")
    else {
      for (const choice of json.choices) {
        if (!isRecord(choice) || !isRecord(choice.delta)) {
          p.add('a choice has no delta object')
          continue
        }
        const content = choice.delta.content
        if (typeof content === 'string' && content !== '') {
          if (view.finishReasons.length > 0) p.add('content arrived after the finish_reason chunk')
          view.ttftMs ??= event.at
          view.text += content
        }
        if (choice.finish_reason !== null && choice.finish_reason !== undefined) checkFinishReason(choice.finish_reason, 'finish_reason', view)
      }
    }
    if (json.usage !== undefined && json.usage !== null) readUsage(json.usage, view)
  }
  if (ids.size > 1) p.add(`chunk ids differ (${ids.size} distinct ids)`)
  if (view.chunks === 0 && view.errorFrame === undefined) p.add('no completion chunks were sent')
  if (view.finishReasons.length === 0 && view.errorFrame === undefined && view.chunks > 0) p.add('no chunk carried a finish_reason')
  if (view.finishReasons.length > 1) p.add(`finish_reason was sent ${view.finishReasons.length} times`)
  view.problems.unshift(...p)
  return view
}

function checkFinishReason(value: unknown, where: string, view: CompletionView): void {
  if (typeof value !== 'string') {
    view.problems.push(`${where} is ${JSON.stringify(value)}, expected one of ${[...FINISH_REASONS].join(', ')}`)
    return
  }
  view.finishReasons.push(value)
  if (!FINISH_REASONS.has(value)) view.problems.push(`${where} "${value}" is not an OpenAI finish reason`)
}

function readUsage(value: unknown, view: CompletionView): void {
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0
  if (!isRecord(value) || !count(value.prompt_tokens) || !count(value.completion_tokens) || !count(value.total_tokens)) {
    view.problems.push('usage lacks non-negative integer prompt_tokens, completion_tokens and total_tokens')
    return
  }
  view.usage = { promptTokens: value.prompt_tokens as number, completionTokens: value.completion_tokens as number, totalTokens: value.total_tokens as number }
}
