/**
 * The built-in mock provider: offline and deterministic, for the default
 * config, tests, the harness and load runs.
 * - `mock/echo` replies with the last user message verbatim;
 * - `mock/<name>` with `mock_response: "…"` replies with that text.
 * Streams come in chunks of `mock_chunk_chars` (default 4) after
 * `mock_latency_ms` (default 0). Usage: one token per 4 characters.
 */
import type { ChatRequest, Usage } from '../../openai/types.ts'
import type { CallContext, Deployment, Provider, ProviderResult, StreamEvent } from '../types.ts'
import { errors } from '../../errors/gateway-error.ts'
import { textOf } from '../../openai/text.ts'

const SUPPORTED = new Set([
  'temperature', 'top_p', 'max_tokens', 'stop', 'presence_penalty', 'frequency_penalty', 'seed',
  'logit_bias', 'logprobs', 'top_logprobs', 'tools', 'tool_choice', 'parallel_tool_calls', 'response_format',
])

function replyFor(req: ChatRequest, d: Deployment): string {
  if (typeof d.params.mock_response === 'string') return d.params.mock_response
  if (d.upstreamModel !== 'echo') {
    throw errors.invalidRequest(`Mock deployment '${d.modelName}' has no mock_response configured.`, 'model')
  }
  for (let i = req.messages.length - 1; i >= 0; i--) {
    const m = req.messages[i]!
    if (m.role === 'user') return textOf(m.content)
  }
  return ''
}

function usageFor(req: ChatRequest, reply: string): Usage {
  let promptChars = 0
  for (const m of req.messages) promptChars += textOf(m.content).length
  const prompt = Math.ceil(promptChars / 4)
  const completion = Math.ceil(reply.length / 4)
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
}

function numberParam(d: Deployment, key: string, fallback: number): number {
  const v = d.params[key]
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback
}

async function delay(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(done, ms)
    function done() {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }
    function onAbort() {
      clearTimeout(t)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

export function createMockProvider(): Provider {
  return {
    name: 'mock',
    supportedParams: SUPPORTED,
    async complete(req, d, ctx): Promise<ProviderResult> {
      const reply = replyFor(req, d)
      await delay(numberParam(d, 'mock_latency_ms', 0), ctx.signal)
      return { content: reply, finishReason: 'stop', usage: usageFor(req, reply) }
    },
    stream(req, d, ctx: CallContext): AsyncIterable<StreamEvent> {
      return (async function* () {
        const reply = replyFor(req, d)
        const size = Math.max(1, Math.floor(numberParam(d, 'mock_chunk_chars', 4)))
        await delay(numberParam(d, 'mock_latency_ms', 0), ctx.signal)
        for (let i = 0; i < reply.length; i += size) {
          ctx.signal.throwIfAborted()
          yield { type: 'delta', text: reply.slice(i, i + size) } satisfies StreamEvent
        }
        yield { type: 'finish', reason: 'stop' } satisfies StreamEvent
        yield { type: 'usage', usage: usageFor(req, reply) } satisfies StreamEvent
      })()
    },
  }
}
