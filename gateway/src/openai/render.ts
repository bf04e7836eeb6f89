/**
 * Turns provider results into OpenAI response objects. Choice index is always
 * 0 (the gateway serves one choice), the first chunk carries the role, and
 * every object of one response shares its id, created time and model.
 */
import type { ProviderResult, StreamEvent } from '../providers/types.ts'
import type { ChatCompletion, ChatCompletionChunk, FinishReason, Usage } from './types.ts'

export interface ResponseIdentity {
  id: string
  created: number
  /** The public model alias the client asked for. */
  model: string
}

export function renderCompletion(who: ResponseIdentity, r: ProviderResult): ChatCompletion {
  const message: ChatCompletion['choices'][number]['message'] = { role: 'assistant', content: r.content, refusal: null }
  if (r.toolCalls && r.toolCalls.length > 0) message.tool_calls = r.toolCalls
  return {
    id: who.id,
    object: 'chat.completion',
    created: who.created,
    model: who.model,
    choices: [{ index: 0, message, finish_reason: r.finishReason, logprobs: null }],
    usage: r.usage,
    ...r.extra,
  }
}

/** Builds the chunks of one streamed response; stateful only in "has the role been sent". */
export class ChunkWriter {
  private roleSent = false
  constructor(private readonly who: ResponseIdentity) {}

  private base(choices: ChatCompletionChunk['choices'], extra?: Record<string, unknown>): ChatCompletionChunk {
    return { id: this.who.id, object: 'chat.completion.chunk', created: this.who.created, model: this.who.model, choices, ...extra }
  }

  /** A content / tool-call delta; returns undefined when the event carries nothing to send. */
  delta(e: Extract<StreamEvent, { type: 'delta' }>): ChatCompletionChunk | undefined {
    const delta: ChatCompletionChunk['choices'][number]['delta'] = {}
    if (!this.roleSent) delta.role = 'assistant'
    if (e.text) delta.content = e.text
    if (e.toolCalls && e.toolCalls.length > 0) delta.tool_calls = e.toolCalls
    if (delta.content === undefined && delta.tool_calls === undefined && e.extra === undefined) return undefined
    this.roleSent = true
    return this.base([{ index: 0, delta, finish_reason: null }], e.extra)
  }

  finish(reason: FinishReason, extra?: Record<string, unknown>): ChatCompletionChunk {
    const delta: ChatCompletionChunk['choices'][number]['delta'] = {}
    if (!this.roleSent) delta.role = 'assistant'
    this.roleSent = true
    return this.base([{ index: 0, delta, finish_reason: reason }], extra)
  }

  usage(usage: Usage): ChatCompletionChunk {
    return { ...this.base([]), usage }
  }
}
