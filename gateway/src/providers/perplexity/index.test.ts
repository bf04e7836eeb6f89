import { afterEach, describe, expect, test } from 'bun:test'
import type { CallContext, Deployment } from '../types.ts'
import { createPerplexityProvider, PERPLEXITY_OPENAI_PARAMS, PERPLEXITY_PARAMS } from './index.ts'

const saved = process.env.PERPLEXITY_API_BASE
afterEach(() => {
  if (saved === undefined) delete process.env.PERPLEXITY_API_BASE
  else process.env.PERPLEXITY_API_BASE = saved
})

describe('createPerplexityProvider', () => {
  test('declares its OpenAI parameters and its own search parameters, and no tools', () => {
    const declared = createPerplexityProvider().supportedParams
    expect([...declared].sort()).toEqual([...PERPLEXITY_OPENAI_PARAMS, ...PERPLEXITY_PARAMS].sort())
    expect(['tools', 'tool_choice', 'n', 'seed'].filter((p) => declared.has(p))).toEqual([])
  })

  test('defaults its base URL to PERPLEXITY_API_BASE, under which /chat/completions sits directly', async () => {
    const paths: string[] = []
    await using server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch(req) {
        paths.push(new URL(req.url).pathname)
        return Response.json({
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        })
      },
    })
    process.env.PERPLEXITY_API_BASE = `http://127.0.0.1:${server.port}/`
    const deployment: Deployment = { id: 'p#0', modelName: 'p', provider: 'perplexity', upstreamModel: 'sonar', params: {} }
    const ctx: CallContext = { signal: new AbortController().signal, requestId: 'r', dropParams: false }
    const result = await createPerplexityProvider().complete(
      { model: 'p', messages: [{ role: 'user', content: 'hi' }], stream: false },
      deployment,
      ctx,
    )
    expect({ content: result.content, paths }).toEqual({ content: 'ok', paths: ['/chat/completions'] })
  })
})
