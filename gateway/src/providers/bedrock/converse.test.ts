import { describe, expect, test } from 'bun:test'
import type { Tool, ToolConfiguration } from '@aws-sdk/client-bedrock-runtime'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatMessage, ChatRequest } from '../../openai/types.ts'
import type { Deployment } from '../types.ts'
import { toConverseInput } from './converse.ts'

const deployment: Deployment = {
  id: 'nova#0',
  modelName: 'nova',
  provider: 'bedrock',
  upstreamModel: 'amazon.nova-micro-v1:0',
  params: {},
}

function request(messages: ChatMessage[], extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'nova', stream: false, messages, ...extra }
}

const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64')
const call = (id: string, name: string, args: string) => ({ id, type: 'function' as const, function: { name, arguments: args } })

describe('toConverseInput messages', () => {
  test('moves system and developer messages to system blocks, wherever they appear', () => {
    const input = toConverseInput(
      request([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      ]),
      deployment,
    )
    expect(input).toEqual({
      modelId: 'amazon.nova-micro-v1:0',
      system: [{ text: 'Be brief.' }, { text: 'Answer in French.' }],
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
    })
  })

  test('merges consecutive same-role turns, including a tool result after a user turn', () => {
    const input = toConverseInput(
      request([
        { role: 'user', content: 'one' },
        { role: 'user', content: 'two' },
        { role: 'assistant', content: '', tool_calls: [call('t1', 'lookup', '{"q":"x"}')] },
        { role: 'tool', tool_call_id: 't1', content: 'found' },
        { role: 'user', content: 'thanks' },
        { role: 'assistant', content: 'ok' },
        { role: 'assistant', content: 'bye' },
      ]),
      deployment,
    )
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'one' }, { text: 'two' }] },
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'lookup', input: { q: 'x' } } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'found' }] } }, { text: 'thanks' }] },
      { role: 'assistant', content: [{ text: 'ok' }, { text: 'bye' }] },
    ])
  })

  test('keeps assistant text next to its tool calls and maps empty arguments to an empty object', () => {
    const input = toConverseInput(
      request([
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: 'Checking.', tool_calls: [call('a', 'now', ''), call('b', 'weather', '{"city":"Oslo"}')] },
      ]),
      deployment,
    )
    expect(input.messages?.[1]).toEqual({
      role: 'assistant',
      content: [
        { text: 'Checking.' },
        { toolUse: { toolUseId: 'a', name: 'now', input: {} } },
        { toolUse: { toolUseId: 'b', name: 'weather', input: { city: 'Oslo' } } },
      ],
    })
  })

  test('maps text and base64 data-URL image parts to text and image blocks', () => {
    const input = toConverseInput(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/jpg;base64,${PNG_BASE64}` } },
          ],
        },
      ]),
      deployment,
    )
    expect(input.messages?.[0]?.content).toEqual([
      { text: 'What is this?' },
      { image: { format: 'jpeg', source: { bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) } } },
    ])
  })
})

describe('toConverseInput parameters', () => {
  const user: ChatMessage[] = [{ role: 'user', content: 'Hi' }]
  const tools: ChatRequest['tools'] = [
    { type: 'function', function: { name: 'weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    { type: 'function', function: { name: 'now' } },
  ]
  const toolSpecs: Tool[] = [
    { toolSpec: { name: 'weather', description: 'Current weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } },
    { toolSpec: { name: 'now', inputSchema: { json: { type: 'object', properties: {} } } } },
  ]

  test('maps sampling parameters to inferenceConfig', () => {
    const input = toConverseInput(request(user, { max_tokens: 64, temperature: 0.2, top_p: 0.9, stop: ['END'] }), deployment)
    expect(input.inferenceConfig).toEqual({ maxTokens: 64, temperature: 0.2, topP: 0.9, stopSequences: ['END'] })
  })

  test('omits inferenceConfig when no sampling parameter is set', () => {
    expect(toConverseInput(request(user), deployment).inferenceConfig).toBeUndefined()
  })

  test.each<[string, ChatRequest['tool_choice'], ToolConfiguration | undefined]>([
    ['maps tools without tool_choice to tool specs and no toolChoice', undefined, { tools: toolSpecs }],
    ['maps tool_choice auto to toolChoice auto', 'auto', { tools: toolSpecs, toolChoice: { auto: {} } }],
    ['maps tool_choice required to toolChoice any', 'required', { tools: toolSpecs, toolChoice: { any: {} } }],
    ['maps a named tool_choice to toolChoice tool', { type: 'function', function: { name: 'weather' } }, { tools: toolSpecs, toolChoice: { tool: { name: 'weather' } } }],
    ['omits toolConfig entirely for tool_choice none', 'none', undefined],
  ])('%s', (_name, toolChoice, expected) => {
    const extra: Partial<ChatRequest> = toolChoice === undefined ? { tools } : { tools, tool_choice: toolChoice }
    expect(toConverseInput(request(user, extra), deployment).toolConfig).toEqual(expected)
  })
})

describe('toConverseInput rejections', () => {
  test.each<[string, ChatMessage[], string]>([
    ['an http image URL', [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }], 'messages[0].content[1].image_url.url'],
    ['an unsupported image format', [{ role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/tiff;base64,${PNG_BASE64}` } }] }], 'messages[0].content[0].image_url.url'],
    ['tool-call arguments that are not JSON', [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [call('a', 'f', '{}'), call('b', 'f', '{oops')] }], 'messages[1].tool_calls[1].function.arguments'],
    ['tool-call arguments that are not an object', [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [call('a', 'f', '[1]')] }], 'messages[1].tool_calls[0].function.arguments'],
    ['a conversation that starts with an assistant turn', [{ role: 'system', content: 's' }, { role: 'assistant', content: 'hello' }], 'messages'],
    ['a conversation with only system messages', [{ role: 'system', content: 's' }], 'messages'],
    ['an image in a system message', [{ role: 'system', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }] }, { role: 'user', content: 'x' }], 'messages[0].content'],
  ])('rejects %s with 400 naming the param', (_name, messages, param) => {
    let thrown: unknown
    try {
      toConverseInput(request(messages), deployment)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(GatewayError)
    expect({ status: (thrown as GatewayError).status, param: (thrown as GatewayError).param }).toEqual({ status: 400, param })
  })
})
