/**
 * OpenAI Chat Completions wire types, as the gateway accepts and emits them.
 * `openai/validate.ts` turns an untrusted JSON body into a `ChatRequest`;
 * providers consume `ChatRequest` and produce `ProviderResult` / `StreamEvent`
 * (see providers/types.ts), which `openai/render.ts` turns back into these.
 */

export type Role = 'system' | 'developer' | 'user' | 'assistant' | 'tool'

export interface TextPart {
  type: 'text'
  text: string
}
export interface ImagePart {
  type: 'image_url'
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' }
}
export type ContentPart = TextPart | ImagePart

export interface ToolCall {
  id: string
  type: 'function'
  function: { name: string; arguments: string }
}

export interface ChatMessage {
  role: Role
  /** null only on an assistant turn that carries tool_calls. */
  content: string | ContentPart[] | null
  name?: string
  /** assistant turns */
  tool_calls?: ToolCall[]
  /** tool turns */
  tool_call_id?: string
}

export interface FunctionTool {
  type: 'function'
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean }
}

export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } }

export interface ResponseFormat {
  type: 'text' | 'json_object' | 'json_schema'
  json_schema?: { name: string; schema?: Record<string, unknown>; strict?: boolean; description?: string }
}

/** A validated chat request. Optional fields are absent when the client did not send them. */
export interface ChatRequest {
  model: string
  messages: ChatMessage[]
  stream: boolean
  stream_options?: { include_usage?: boolean }
  temperature?: number
  top_p?: number
  max_tokens?: number
  n?: number
  stop?: string[]
  presence_penalty?: number
  frequency_penalty?: number
  seed?: number
  logit_bias?: Record<string, number>
  logprobs?: boolean
  top_logprobs?: number
  user?: string
  tools?: FunctionTool[]
  tool_choice?: ToolChoice
  parallel_tool_calls?: boolean
  response_format?: ResponseFormat
  /** Provider-specific parameters that passed validation (e.g. Perplexity's search options). */
  provider_params?: Record<string, unknown>
  /** Guardrails the client asked to turn on (by name). */
  guardrails?: string[]
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter'

export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  prompt_tokens_details?: { cached_tokens: number }
  /** Input tokens written to a provider-side prompt cache (Bedrock cacheWriteInputTokens). */
  cache_creation_input_tokens?: number
}

export interface ChatCompletion {
  id: string
  object: 'chat.completion'
  created: number
  model: string
  choices: Array<{
    index: number
    message: { role: 'assistant'; content: string | null; tool_calls?: ToolCall[]; refusal?: null }
    finish_reason: FinishReason
    logprobs: null
  }>
  usage: Usage
  [extra: string]: unknown
}

export interface ToolCallDelta {
  index: number
  id?: string
  type?: 'function'
  function?: { name?: string; arguments?: string }
}

export interface ChatCompletionChunk {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
  choices: Array<{
    index: number
    delta: { role?: 'assistant'; content?: string; tool_calls?: ToolCallDelta[] }
    finish_reason: FinishReason | null
    logprobs?: null
  }>
  usage?: Usage
  [extra: string]: unknown
}
