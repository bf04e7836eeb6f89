/**
 * An OpenAI-compatible chat completions server for tests, on a real socket.
 * The 'openai' flavour answers like OpenAI (a usage chunk when
 * stream_options.include_usage, then `[DONE]`); the 'perplexity' flavour
 * answers like Perplexity: citations and search_results on the response and
 * on every chunk, a cumulative usage on every chunk, and no `[DONE]`.
 */
import {
  chunkText,
  pickRule,
  usageFor,
  waitUntil,
  type Emulator,
  type RecordedRequest,
  type ScriptedReply,
} from './script.ts'

export interface OpenAICompatibleEmulatorOptions {
  /** Wire dialect. Default 'openai'. */
  flavor?: 'openai' | 'perplexity'
  /** When set, requests must carry `Authorization: Bearer <apiKey>` or get a 401. */
  apiKey?: string
}

type Json = Record<string, unknown>

const PATHS = new Set(['/chat/completions', '/v1/chat/completions'])
const DEFAULT_SOURCES = [{ title: 'Emulated source', url: 'https://example.com/emulated-source', date: '2025-01-01' }]

/** Starts the emulator on 127.0.0.1, port 0. */
export async function startOpenAICompatibleEmulator(opts: OpenAICompatibleEmulatorOptions = {}): Promise<Emulator> {
  const flavor = opts.flavor ?? 'openai'
  let rules: ScriptedReply[] = []
  const requests: RecordedRequest[] = []
  let served = 0

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname
      const raw = await req.text()
      const rec: RecordedRequest = {
        method: req.method,
        path,
        headers: Object.fromEntries(req.headers),
        body: parseJson(raw),
        aborted: false,
        finished: false,
      }
      requests.push(rec)
      req.signal.addEventListener('abort', () => {
        if (!rec.finished) rec.aborted = true
      })
      const done = (res: Response) => {
        if (!rec.aborted) rec.finished = true
        return res
      }
      if (req.method !== 'POST' || !PATHS.has(path)) return done(errorResponse(404, 'Not found', 'invalid_request_error'))
      if (opts.apiKey !== undefined && req.headers.get('authorization') !== `Bearer ${opts.apiKey}`) {
        return done(errorResponse(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'))
      }
      const body = rec.body
      if (!isObject(body) || !Array.isArray(body.messages)) {
        return done(errorResponse(400, 'messages is required', 'invalid_request_error'))
      }
      const messages = body.messages as Json[]
      const rule = pickRule(rules, lastUserText(messages))
      const reply = planReply(rule, messages, flavor, `chatcmpl-emu-${++served}`, String(body.model ?? ''))
      if (rule.firstTokenDelayMs) await Bun.sleep(rule.firstTokenDelayMs)
      if (rule.error) {
        const headers: Record<string, string> = rule.error.retryAfter ? { 'retry-after': rule.error.retryAfter } : {}
        return done(errorResponse(rule.error.status, rule.error.message, rule.error.name, null, headers))
      }
      if (body.stream !== true) return done(Response.json(completionBody(reply)))
      const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true
      return sseResponse(rec, streamFrames(reply, includeUsage))
    },
  })

  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    script(...next) {
      rules = next
    },
    reset() {
      rules = []
      requests.length = 0
    },
    waitFor: (pred, timeoutMs) => waitUntil(pred, timeoutMs),
    stop: () => server.stop(true),
  }
}

/** Everything one reply needs, resolved from the rule and the request. */
interface Reply {
  rule: ScriptedReply
  flavor: 'openai' | 'perplexity'
  head: Json
  text: string | null
  usage: { input: number; output: number; cacheRead?: number }
  sources: Json
}

function planReply(rule: ScriptedReply, messages: Json[], flavor: Reply['flavor'], id: string, model: string): Reply {
  const userText = lastUserText(messages)
  const text = rule.text ?? (rule.toolCalls ? null : userText)
  const usage = usageFor(messages.map(messageText).join('\n'), text ?? '', rule)
  const searchResults = rule.searchResults ?? DEFAULT_SOURCES
  const sources: Json =
    flavor === 'perplexity'
      ? { citations: rule.citations ?? searchResults.map((r) => r.url), search_results: searchResults }
      : {}
  return { rule, flavor, head: { id, created: Math.floor(Date.now() / 1000), model }, text, usage, sources }
}

function finishOf(rule: ScriptedReply): string {
  return rule.finishReason ?? (rule.toolCalls ? 'tool_calls' : 'stop')
}

function usageJson(u: Reply['usage'], completionTokens = u.output): Json {
  const usage: Json = { prompt_tokens: u.input, completion_tokens: completionTokens, total_tokens: u.input + completionTokens }
  if (u.cacheRead !== undefined) usage.prompt_tokens_details = { cached_tokens: u.cacheRead }
  return usage
}

function completionBody(r: Reply): Json {
  const message: Json = { role: 'assistant', content: r.text, refusal: null }
  if (r.rule.toolCalls) {
    message.tool_calls = r.rule.toolCalls.map((t) => ({
      id: t.id,
      type: 'function',
      function: { name: t.name, arguments: t.arguments },
    }))
  }
  return {
    ...r.head,
    object: 'chat.completion',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishOf(r.rule) }],
    usage: usageJson(r.usage),
    ...r.sources,
  }
}

/** The SSE frames of a streamed reply, paced by the rule's delays. */
async function* streamFrames(r: Reply, includeUsage: boolean): AsyncGenerator<string> {
  const { rule } = r
  const size = rule.chunkChars ?? 5
  const pieces = r.text ? chunkText(r.text, size) : []
  let sent = 0
  const frame = (delta: Json, finish: string | null = null): string => {
    const chunk: Json = { ...r.head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] }
    if (r.flavor === 'perplexity') {
      const soFar = finish ? r.usage.output : Math.min(r.usage.output, Math.ceil(sent / 4))
      Object.assign(chunk, r.sources, { usage: usageJson(r.usage, soFar) })
    } else if (includeUsage) {
      chunk.usage = null
    }
    return data(chunk)
  }
  const pace = async () => {
    if (rule.chunkDelayMs) await Bun.sleep(rule.chunkDelayMs)
  }

  // OpenAI opens with a role-only chunk; Perplexity puts the role on its first content chunk.
  let role: Json = { role: 'assistant' }
  if (r.flavor === 'openai') {
    yield frame({ ...role, content: '' })
    role = {}
  }
  for (let i = 0; i <= pieces.length; i++) {
    if (rule.failAfterChunks?.chunks === i) {
      const { name, message } = rule.failAfterChunks
      yield data({ error: { message, type: name, param: null, code: null } })
      return
    }
    if (rule.truncateAfterChunks === i) return
    const piece = pieces[i]
    if (piece === undefined) break
    await pace()
    sent += piece.length
    yield frame({ ...role, content: piece })
    role = {}
  }
  for (const [index, call] of (rule.toolCalls ?? []).entries()) {
    await pace()
    yield frame({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] })
    for (const args of chunkText(call.arguments, size)) {
      await pace()
      yield frame({ tool_calls: [{ index, function: { arguments: args } }] })
    }
  }
  await pace()
  yield frame(role, finishOf(rule))
  if (r.flavor === 'perplexity') return
  if (includeUsage) yield data({ ...r.head, object: 'chat.completion.chunk', choices: [], usage: usageJson(r.usage) })
  yield 'data: [DONE]\n\n'
}

/** Streams the frames; a client that goes away before the end marks the request aborted. */
function sseResponse(rec: RecordedRequest, frames: AsyncGenerator<string>): Response {
  const enc = new TextEncoder()
  let closed = false
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await frames.next()
      if (closed) return
      if (next.done) {
        closed = true
        if (!rec.aborted) rec.finished = true
        controller.close()
      } else {
        controller.enqueue(enc.encode(next.value))
      }
    },
    async cancel() {
      closed = true
      if (!rec.finished) rec.aborted = true
      await frames.return(undefined)
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } })
}

function data(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`
}

function errorResponse(
  status: number,
  message: string,
  type: string,
  code: string | null = null,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error: { message, type, param: null, code } }, { status, headers })
}

/** The text of the last user message: its string content or its text parts joined. */
function lastUserText(messages: Json[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m?.role === 'user') return messageText(m)
  }
  return ''
}

function messageText(m: Json): string {
  if (typeof m.content === 'string') return m.content
  if (!Array.isArray(m.content)) return ''
  return m.content
    .filter((p): p is { type: 'text'; text: string } => isObject(p) && p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text)
    .join('')
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
