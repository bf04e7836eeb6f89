import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../errors/gateway-error.ts'
import { validateChatRequest } from './validate.ts'

const base = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }

function rejection(body: unknown): { status: number; param: string | null; code: string; message: string } {
  try {
    validateChatRequest(body)
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err
    return { status: err.status, param: err.param, code: err.code, message: err.message }
  }
  throw new Error('expected a rejection')
}

describe('validateChatRequest', () => {
  test('accepts a minimal request and defaults stream to false', () => {
    expect(validateChatRequest(base)).toEqual({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: false })
  })

  test('keeps every supported parameter, with max_completion_tokens as max_tokens and stop as an array', () => {
    const req = validateChatRequest({
      ...base,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
      top_p: 0.9,
      max_completion_tokens: 20,
      n: 1,
      stop: 'END',
      user: 'u1',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'auto',
      response_format: { type: 'json_object' },
      search_recency_filter: 'week',
    })
    expect(req).toEqual({
      model: 'm',
      messages: base.messages as never,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
      top_p: 0.9,
      max_tokens: 20,
      n: 1,
      stop: ['END'],
      user: 'u1',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
      tool_choice: 'auto',
      response_format: { type: 'json_object' },
      provider_params: { search_recency_filter: 'week' },
    })
  })

  test('accepts content parts, tool calls and tool results', () => {
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }], refusal: null },
      { role: 'tool', tool_call_id: 'c1', content: 'result' },
    ]
    expect(validateChatRequest({ model: 'm', messages }).messages).toEqual([
      { role: 'system', content: 'be brief' },
      messages[1] as never,
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'result' },
    ])
  })

  test.each([
    ['a non-object body', [1, 2], null, 'invalid_request'],
    ['a missing model', { messages: base.messages }, 'model', 'invalid_request'],
    ['a numeric model', { ...base, model: 3 }, 'model', 'invalid_request'],
    ['missing messages', { model: 'm' }, 'messages', 'invalid_request'],
    ['empty messages', { model: 'm', messages: [] }, 'messages', 'invalid_request'],
    ['an unknown role', { model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role', 'invalid_request'],
    ['numeric content', { model: 'm', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content', 'invalid_request'],
    ['missing user content', { model: 'm', messages: [{ role: 'user' }] }, 'messages[0].content', 'invalid_request'],
    ['a bad content part', { model: 'm', messages: [{ role: 'user', content: [{ type: 'video' }] }] }, 'messages[0].content[0].type', 'invalid_request'],
    ['an image in a system message', { model: 'm', messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }, 'messages[0].content[0].type', 'invalid_request'],
    ['a tool message without tool_call_id', { model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id', 'invalid_request'],
    ['an unknown message field', { model: 'm', messages: [{ role: 'user', content: 'x', foo: 1 }] }, 'messages[0].foo', 'invalid_request'],
    ['temperature above 2', { ...base, temperature: 3 }, 'temperature', 'invalid_request'],
    ['a string temperature', { ...base, temperature: 'hot' }, 'temperature', 'invalid_request'],
    ['top_p above 1', { ...base, top_p: 1.5 }, 'top_p', 'invalid_request'],
    ['a fractional max_tokens', { ...base, max_tokens: 1.5 }, 'max_tokens', 'invalid_request'],
    ['zero max_tokens', { ...base, max_tokens: 0 }, 'max_tokens', 'invalid_request'],
    ['n of 0', { ...base, n: 0 }, 'n', 'invalid_request'],
    ['five stop sequences', { ...base, stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', 'invalid_request'],
    ['a non-boolean stream', { ...base, stream: 'yes' }, 'stream', 'invalid_request'],
    ['a non-boolean include_usage', { ...base, stream_options: { include_usage: 1 } }, 'stream_options.include_usage', 'invalid_request'],
    ['a tool with a bad name', { ...base, tools: [{ type: 'function', function: { name: 'no spaces' } }] }, 'tools[0].function.name', 'invalid_request'],
    ['a bad tool_choice', { ...base, tool_choice: 'always' }, 'tool_choice', 'invalid_request'],
    ['a bad response_format', { ...base, response_format: { type: 'xml' } }, 'response_format.type', 'invalid_request'],
    ['an unknown parameter', { ...base, frobnicate: true }, 'frobnicate', 'unknown_parameter'],
  ])('rejects %s with 400 naming the param', (_name, body, param, code) => {
    const r = rejection(body)
    expect({ status: r.status, param: r.param, code: r.code }).toEqual({ status: 400, param, code })
  })

  test.each(['http://169.254.169.254/latest', 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0', '/etc/passwd', 'bedrock\\x'])(
    'rejects a URL, ARN or path as the model (%s) with 400 forbidden_parameter',
    (model) => {
      const r = rejection({ ...base, model })
      expect({ status: r.status, param: r.param, code: r.code }).toEqual({ status: 400, param: 'model', code: 'forbidden_parameter' })
    },
  )

  test.each(['api_base', 'base_url', 'api_key', 'api_version', 'extra_headers', 'aws_access_key_id', 'aws_region_name', 'custom_llm_provider', 'mock_response'])(
    'rejects the upstream-steering field %s and says where the upstream comes from',
    (field) => {
      const r = rejection({ ...base, [field]: 'http://169.254.169.254/' })
      expect({ status: r.status, param: r.param, code: r.code }).toEqual({ status: 400, param: field, code: 'forbidden_parameter' })
      expect(r.message).toContain("gateway's configuration")
    },
  )
})
