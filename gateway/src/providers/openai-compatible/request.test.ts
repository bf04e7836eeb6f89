import { describe, expect, test } from 'bun:test'
import type { ChatRequest } from '../../openai/types.ts'
import type { Deployment } from '../types.ts'
import { buildRequestBody, OPENAI_PARAMS } from './request.ts'

const deployment: Deployment = {
  id: 'd#0',
  modelName: 'public-alias',
  provider: 'openai',
  upstreamModel: 'gpt-4o-mini',
  params: { api_key: 'not-forwarded' },
}
const messages: ChatRequest['messages'] = [{ role: 'user', content: 'hi' }]
const openai = { params: OPENAI_PARAMS, extraParams: [] }

describe('buildRequestBody', () => {
  test('sends the upstream model, the messages and stream:false for a plain request', () => {
    const body = buildRequestBody({ model: 'public-alias', messages, stream: false }, deployment, openai)
    expect(body).toEqual({ model: 'gpt-4o-mini', messages, stream: false })
    expect(body.messages).toBe(messages)
  })

  test('always asks a stream for usage, whatever the client sent', () => {
    const req: ChatRequest = { model: 'a', messages, stream: true, stream_options: { include_usage: false } }
    expect(buildRequestBody(req, deployment, openai)).toEqual({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    })
  })

  test('forwards the declared OpenAI parameters that are present', () => {
    const params: Partial<ChatRequest> = {
      temperature: 0,
      max_tokens: 10,
      stop: ['\n'],
      seed: 7,
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: 'auto',
      response_format: { type: 'json_object' },
    }
    const body = buildRequestBody({ model: 'a', messages, stream: false, ...params }, deployment, openai)
    expect(body).toEqual({ model: 'gpt-4o-mini', messages, stream: false, ...params })
  })

  test('never forwards undeclared keys: user, guardrails, provider_params, unknown fields', () => {
    const req = {
      model: 'a',
      messages,
      stream: false,
      user: 'u-1',
      guardrails: ['pii'],
      provider_params: { search_mode: 'web' },
      surprise: true,
    } as ChatRequest
    expect(buildRequestBody(req, deployment, openai)).toEqual({ model: 'gpt-4o-mini', messages, stream: false })
  })

  test('drops OpenAI parameters the provider does not declare', () => {
    const req: ChatRequest = { model: 'a', messages, stream: false, temperature: 1, seed: 3, n: 2 }
    const body = buildRequestBody(req, deployment, { params: ['temperature'], extraParams: [] })
    expect(body).toEqual({ model: 'gpt-4o-mini', messages, stream: false, temperature: 1 })
  })

  test('merges declared provider_params at the top level and ignores the rest', () => {
    const req: ChatRequest = {
      model: 'a',
      messages,
      stream: false,
      provider_params: { search_mode: 'academic', search_domain_filter: ['example.com'], other: 1 },
    }
    const body = buildRequestBody(req, deployment, {
      params: [],
      extraParams: ['search_mode', 'search_domain_filter', 'return_images'],
    })
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      messages,
      stream: false,
      search_mode: 'academic',
      search_domain_filter: ['example.com'],
    })
  })

  test('provider_params cannot replace the model or the messages', () => {
    const req: ChatRequest = { model: 'a', messages, stream: false, provider_params: { model: 'x', messages: [] } }
    const body = buildRequestBody(req, deployment, { params: [], extraParams: ['model', 'messages'] })
    expect(body).toEqual({ model: 'gpt-4o-mini', messages, stream: false })
  })
})
