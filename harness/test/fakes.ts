/**
 * Fake OpenAI-compatible gateways (Bun.serve on port 0) for the harness's own
 * tests. With no flaws the fake is well behaved; each flag breaks exactly one
 * thing the harness must notice. Its "model" answers the harness's prompts
 * the way a real model would (Paris, "duckies", "Bunny", repeating history).
 */
import { DEFAULT_POLICY } from '../src/guardrail-policy.ts'

export const FAKE_KEY = 'sk-fake-harness-key-0123456789'
export const FAKE_MODEL = 'fake-model'

export interface FakeOptions {
  /** Answers requests without any key (a wrong key still gets 401). */
  openWithoutKey?: boolean
  /** Separates SSE events with one newline instead of a blank line. */
  malformedSse?: boolean
  /** Ends streams after the finish chunk, without `data: [DONE]`. */
  noDone?: boolean
  /** Answers a body whose `messages` is not a list with 500 and a stack trace. */
  stackTraceOnBadBody?: boolean
  /** A `server` header on every answer. */
  serverHeader?: string
  /**
   * none: no guardrail; blocking: input 400 envelope, output `content_filter`
   * in both modes; leaky-stream: like blocking but streams output as it comes;
   * message: input and output answered 200 with a plain violation message.
   */
  guardrail?: 'none' | 'blocking' | 'leaky-stream' | 'message'
  /** Chat completions never answer (runner timeouts). */
  hang?: boolean
}

export const VIOLATION_MESSAGE = 'Sorry, this conversation violates the content policy.'

export interface Fake {
  url: string
  key: string
  stop(): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

type Msg = { role: string; content: string }
const WORDS = new RegExp(`\\b(?:${DEFAULT_POLICY.words.join('|')})\\b`, 'i')

export function startFake(opts: FakeOptions = {}): Fake {
  const headers: Record<string, string> = opts.serverHeader ? { server: opts.serverHeader } : {}
  const json = (body: unknown, status = 200) => Response.json(body, { status, headers })
  const error = (status: number, type: string, code: string, message: string) => json({ error: { message, type, param: null, code } }, status)
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(req) {
      const path = new URL(req.url).pathname
      if (path === '/health/liveliness') return json({ status: 'alive' })
      if (path === '/health/readiness') return json({ status: 'ready' })
      const auth = req.headers.get('authorization')
      if (auth === null ? !opts.openWithoutKey : auth !== `Bearer ${FAKE_KEY}`) return error(401, 'authentication_error', 'invalid_api_key', 'Invalid API key.')
      if (path === '/v1/models') return json({ object: 'list', data: [{ id: FAKE_MODEL, object: 'model', created: 0, owned_by: 'fake' }] })
      if (path !== '/v1/chat/completions' || req.method !== 'POST') return error(404, 'invalid_request_error', 'not_found', 'Not found.')
      const text = await req.text()
      if (text.length > 1024 * 1024) return error(413, 'invalid_request_error', 'request_too_large', 'Request too large.')
      let body: Record<string, unknown>
      try {
        body = JSON.parse(text)
      } catch {
        return error(400, 'invalid_request_error', 'invalid_json', 'Invalid JSON.')
      }
      if (!Array.isArray(body.messages)) {
        if (opts.stackTraceOnBadBody) {
          return new Response(`TypeError: body.messages.map is not a function\n    at handleChat (/srv/app/node_modules/fake-gw/dist/chat.js:41:17)\n    at async route (/srv/app/server.js:12:5)`, { status: 500, headers })
        }
        return error(400, 'invalid_request_error', 'invalid_request', 'messages must be a list.')
      }
      const messages = body.messages as Msg[]
      if (!messages.every((m) => ['system', 'user', 'assistant'].includes(m.role) && typeof m.content === 'string')) {
        return error(400, 'invalid_request_error', 'invalid_request', 'Invalid message.')
      }
      if (body.model !== FAKE_MODEL) return error(404, 'invalid_request_error', 'model_not_found', 'Unknown model.')
      if (opts.hang) return new Promise<Response>(() => {})
      const guard = opts.guardrail ?? 'none'
      const flaggedInput = guard !== 'none' && messages.some((m) => WORDS.test(m.content))
      if (flaggedInput && guard === 'message') return json(completion(VIOLATION_MESSAGE, 'stop'))
      if (flaggedInput) return error(400, 'guardrail_violation', 'content_policy_violation', 'The request was blocked by a guardrail.')
      let reply = modelReply(messages)
      let finish = 'stop'
      if (guard !== 'none' && WORDS.test(reply)) {
        if (guard === 'message') reply = VIOLATION_MESSAGE
        else if (guard === 'blocking' || !body.stream) [reply, finish] = ['', 'content_filter']
        else finish = 'content_filter'
      }
      if (!body.stream) return json(completion(reply, finish))
      const usage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true
      return new Response(sse(reply, finish, usage, opts), { headers: { ...headers, 'content-type': 'text/event-stream' } })
    },
  })
  const stop = async () => {
    await server.stop(true)
  }
  return { url: `http://127.0.0.1:${server.port}`, key: FAKE_KEY, stop, [Symbol.asyncDispose]: stop }
}

/** What the fake model says to the harness's prompts. */
function modelReply(messages: Msg[]): string {
  const last = messages.findLast((m) => m.role === 'user')?.content ?? ''
  if (/capital of France/i.test(last)) return 'The capital of France is Paris.'
  if (/d-u-c-k-i-e-s/i.test(last)) return 'duckies'
  if (/baby rabbit/i.test(last)) return 'Bunny.'
  if (/What did I ask you about before/i.test(last)) return `You asked: "${messages.find((m) => m.role === 'user')?.content}"`
  if (/2 \+ 2/.test(last)) return '2 + 2 is 4.'
  return `You said: ${last}`
}

const ID = 'chatcmpl-fake0001'

function completion(content: string, finish: string) {
  return {
    id: ID,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: FAKE_MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
    usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
  }
}

function sse(reply: string, finish: string, usage: boolean, opts: FakeOptions): string {
  const chunk = (delta: object, finishReason: string | null) => ({
    id: ID,
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: FAKE_MODEL,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })
  const frames: unknown[] = [chunk({ role: 'assistant', content: '' }, null)]
  for (let i = 0; i < reply.length; i += 3) frames.push(chunk({ content: reply.slice(i, i + 3) }, null))
  frames.push(chunk({}, finish))
  if (usage) frames.push({ ...chunk({}, null), choices: [], usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })
  const sep = opts.malformedSse ? '\n' : '\n\n'
  const body = frames.map((f) => `data: ${JSON.stringify(f)}${sep}`).join('')
  return opts.noDone ? body : `${body}data: [DONE]\n\n`
}
