/**
 * Pure response mapping: a Bedrock Converse output to a `ProviderResult`,
 * plus the usage and stop-reason mappings that stream.ts shares.
 */
import type { ConverseCommandOutput, TokenUsage } from '@aws-sdk/client-bedrock-runtime'
import { upstreamError } from '../../errors/upstream.ts'
import type { FinishReason, ToolCall, Usage } from '../../openai/types.ts'
import type { ProviderResult } from '../types.ts'

const FINISH_REASONS: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
}

/**
 * Maps a Bedrock stopReason to an OpenAI finish_reason. Unknown or missing
 * reasons (e.g. malformed_model_output) become `stop`.
 */
export function mapStopReason(stopReason: string | undefined): FinishReason {
  return (stopReason !== undefined && FINISH_REASONS[stopReason]) || 'stop'
}

/**
 * Maps Bedrock token usage to OpenAI usage.
 *
 * Bedrock's `inputTokens` excludes prompt-cache reads and writes, which it
 * reports apart. OpenAI's `prompt_tokens` counts every input token (cached ones
 * included, detailed in `prompt_tokens_details.cached_tokens`), so
 * prompt_tokens = inputTokens + cacheReadInputTokens + cacheWriteInputTokens,
 * and total_tokens = prompt_tokens + completion_tokens, computed here rather
 * than taken from Bedrock so that the three numbers always agree.
 */
export function mapUsage(usage: TokenUsage | undefined): Usage {
  const cacheRead = usage?.cacheReadInputTokens ?? 0
  const cacheWrite = usage?.cacheWriteInputTokens ?? 0
  const prompt = (usage?.inputTokens ?? 0) + cacheRead + cacheWrite
  const completion = usage?.outputTokens ?? 0
  const out: Usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
  if (usage?.cacheReadInputTokens !== undefined) out.prompt_tokens_details = { cached_tokens: cacheRead }
  if (usage?.cacheWriteInputTokens !== undefined) out.cache_creation_input_tokens = cacheWrite
  return out
}

/**
 * Maps a Converse response: text blocks concatenated, toolUse blocks as
 * tool_calls (arguments re-serialised as JSON), other blocks (reasoning,
 * citations) ignored. Content is null only when the model made tool calls and
 * wrote no text. Throws `bad_response` when the output carries no message.
 */
export function fromConverseOutput(output: ConverseCommandOutput): ProviderResult {
  const message = output.output?.message
  if (!message) throw upstreamError({ provider: 'bedrock', kind: 'bad_response', cause: new Error('Converse output has no message') })
  let text = ''
  const toolCalls: ToolCall[] = []
  for (const block of message.content ?? []) {
    if (block.text !== undefined) text += block.text
    else if (block.toolUse) {
      toolCalls.push({
        id: block.toolUse.toolUseId ?? '',
        type: 'function',
        function: { name: block.toolUse.name ?? '', arguments: JSON.stringify(block.toolUse.input ?? {}) },
      })
    }
  }
  const result: ProviderResult = {
    content: text === '' && toolCalls.length > 0 ? null : text,
    finishReason: mapStopReason(output.stopReason),
    usage: mapUsage(output.usage),
  }
  if (toolCalls.length > 0) result.toolCalls = toolCalls
  return result
}
