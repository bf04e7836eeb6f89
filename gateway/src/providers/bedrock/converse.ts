/**
 * Pure request mapping: an OpenAI `ChatRequest` to a Bedrock Converse input.
 * The same input serves ConverseCommand and ConverseStreamCommand.
 *
 * Bedrock wants system prompts apart from the turns, strictly alternating
 * user/assistant turns that start with a user turn, tool results as user-role
 * `toolResult` blocks, and images as bytes (it cannot fetch URLs).
 */
import type {
  ContentBlock,
  ConverseCommandInput,
  ImageFormat,
  InferenceConfiguration,
  Message,
  SystemContentBlock,
  ToolConfiguration,
  ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime'
import { errors } from '../../errors/gateway-error.ts'
import type { ChatMessage, ChatRequest, ContentPart } from '../../openai/types.ts'
import type { Deployment } from '../types.ts'

/** Smithy's JSON document type (not re-exported by the client package). */
type Document = NonNullable<ToolUseBlock['input']>
type JsonObject = { [key: string]: Document }
type TextOrImage = { text: string } | { image: { format: ImageFormat; source: { bytes: Uint8Array } } }

const DATA_URL = /^data:image\/([a-z0-9.+-]+);base64,/i
const HTTP_URL = /^https?:/i
const IMAGE_FORMATS: Record<string, ImageFormat> = { png: 'png', jpeg: 'jpeg', jpg: 'jpeg', gif: 'gif', webp: 'webp' }
const EMPTY_OBJECT_SCHEMA = { type: 'object', properties: {} }

/**
 * Maps a validated chat request to the Converse input for `deployment`'s model.
 * Throws `errors.invalidRequest` (naming the offending param) for what Bedrock
 * cannot express: image URLs, unparsable tool-call arguments, a conversation
 * that does not start with a user turn.
 */
export function toConverseInput(req: ChatRequest, deployment: Deployment): ConverseCommandInput {
  const system: SystemContentBlock[] = []
  const messages: Message[] = []
  req.messages.forEach((m, i) => {
    if (m.role === 'system' || m.role === 'developer') {
      for (const block of contentBlocks(m, i)) {
        if (!('text' in block)) throw errors.invalidRequest(`messages[${i}]: ${m.role} messages may only contain text.`, `messages[${i}].content`)
        system.push(block)
      }
      return
    }
    const role = m.role === 'assistant' ? 'assistant' : 'user'
    const blocks = turnBlocks(m, i)
    if (messages.length === 0 && role !== 'user') {
      throw errors.invalidRequest('Bedrock requires the conversation to start with a user message after any system messages.', 'messages')
    }
    const last = messages[messages.length - 1]
    if (last?.role === role) last.content?.push(...blocks)
    else messages.push({ role, content: blocks })
  })
  if (messages.length === 0) throw errors.invalidRequest('messages must contain at least one user message.', 'messages')

  const input: ConverseCommandInput = { modelId: deployment.upstreamModel, messages }
  if (system.length > 0) input.system = system
  const inferenceConfig = toInferenceConfig(req)
  if (inferenceConfig) input.inferenceConfig = inferenceConfig
  const toolConfig = toToolConfig(req)
  if (toolConfig) input.toolConfig = toolConfig
  return input
}

function turnBlocks(m: ChatMessage, i: number): ContentBlock[] {
  if (m.role === 'tool') {
    if (!m.tool_call_id) throw errors.invalidRequest(`messages[${i}].tool_call_id is required on tool messages.`, `messages[${i}].tool_call_id`)
    return [{ toolResult: { toolUseId: m.tool_call_id, content: contentBlocks(m, i) } }]
  }
  if (m.role !== 'assistant') return contentBlocks(m, i)
  // Assistant turns that carry tool_calls often send content "": Bedrock rejects blank text blocks.
  const blocks: ContentBlock[] = contentBlocks(m, i).filter((b) => !('text' in b) || b.text !== '')
  m.tool_calls?.forEach((call, j) => {
    blocks.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: parseArguments(call.function.arguments, i, j) } })
  })
  return blocks
}

function contentBlocks(m: ChatMessage, i: number): TextOrImage[] {
  if (m.content === null) return []
  if (typeof m.content === 'string') return [{ text: m.content }]
  return m.content.map((part, j) => partBlock(part, i, j))
}

function partBlock(part: ContentPart, i: number, j: number): TextOrImage {
  if (part.type === 'text') return { text: part.text }
  const param = `messages[${i}].content[${j}].image_url.url`
  const url = part.image_url.url
  const match = DATA_URL.exec(url)
  if (!match) {
    const why = HTTP_URL.test(url) ? 'Bedrock cannot fetch image URLs; send the image inline as a base64 data: URL' : 'expected a base64 data: URL'
    throw errors.invalidRequest(`${param}: ${why}.`, param)
  }
  const format = IMAGE_FORMATS[(match[1] ?? '').toLowerCase()]
  if (!format) throw errors.invalidRequest(`${param}: Bedrock accepts png, jpeg, gif and webp images.`, param)
  return { image: { format, source: { bytes: Buffer.from(url.slice(match[0].length), 'base64') } } }
}

/** Parses tool-call arguments; an empty string means no arguments. */
function parseArguments(args: string, i: number, j: number): JsonObject {
  const param = `messages[${i}].tool_calls[${j}].function.arguments`
  if (args.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(args)
  } catch {
    throw errors.invalidRequest(`${param} is not valid JSON.`, param)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw errors.invalidRequest(`${param} must be a JSON object.`, param)
  }
  return parsed as JsonObject
}

function toInferenceConfig(req: ChatRequest): InferenceConfiguration | undefined {
  const config: InferenceConfiguration = {}
  if (req.max_tokens !== undefined) config.maxTokens = req.max_tokens
  if (req.temperature !== undefined) config.temperature = req.temperature
  if (req.top_p !== undefined) config.topP = req.top_p
  if (req.stop !== undefined && req.stop.length > 0) config.stopSequences = req.stop
  return Object.keys(config).length > 0 ? config : undefined
}

/** tool_choice "none" omits the tool config entirely: Bedrock has no "none" choice. */
function toToolConfig(req: ChatRequest): ToolConfiguration | undefined {
  if (!req.tools || req.tools.length === 0 || req.tool_choice === 'none') return undefined
  const config: ToolConfiguration = {
    tools: req.tools.map((t) => ({
      toolSpec: {
        name: t.function.name,
        description: t.function.description,
        // Parsed from the request's JSON, so it is a JSON document by construction.
        inputSchema: { json: (t.function.parameters ?? EMPTY_OBJECT_SCHEMA) as JsonObject },
      },
    })),
  }
  const choice = req.tool_choice
  if (choice === 'auto') config.toolChoice = { auto: {} }
  else if (choice === 'required') config.toolChoice = { any: {} }
  else if (choice !== undefined) config.toolChoice = { tool: { name: choice.function.name } }
  return config
}
