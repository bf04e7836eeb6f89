/**
 * A Bedrock Runtime emulator speaking the real wire protocol, so the real AWS
 * SDK can be driven over a real socket:
 * - `POST /model/{modelId}/converse`: JSON in, Converse JSON out.
 * - `POST /model/{modelId}/converse-stream`: JSON in, an
 *   `application/vnd.amazon.eventstream` body of binary frames out.
 * - Errors: status, `x-amzn-errortype: <Name>:<namespace>` (the SDK reads the
 *   exception name from this header) and a JSON body `{"message": ...}`.
 * Requests without a SigV4 Authorization header get 403, as from AWS.
 * Replies follow the shared script vocabulary (script.ts).
 */
import { eventFrame, exceptionFrame } from './eventstream-frames.ts'
import { chunkText, pickRule, usageFor, waitUntil, type Emulator, type RecordedRequest, type ScriptedFinish, type ScriptedReply } from './script.ts'

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/
const STOP_REASONS: Record<ScriptedFinish, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', content_filter: 'content_filtered' }
const ERROR_NAMESPACE = 'http://internal.amazon.com/coral/com.amazon.bedrock/'

interface ConverseBody {
  system?: Array<{ text?: string }>
  messages?: Array<{ role?: string; content?: Array<{ text?: string }> }>
}

/** The reply a rule produces for one request, in Bedrock's terms. */
interface Plan {
  rule: ScriptedReply
  text: string
  toolCalls: Array<{ id: string; name: string; arguments: string }>
  stopReason: string
  usage: { inputTokens: number; outputTokens: number; totalTokens: number; cacheReadInputTokens?: number; cacheWriteInputTokens?: number }
}

/** Starts the emulator on 127.0.0.1 and an ephemeral port. */
export async function startBedrockEmulator(): Promise<Emulator> {
  let rules: ScriptedReply[] = []
  const requests: RecordedRequest[] = []

  async function handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname
    const route = ROUTE.exec(path)
    if (req.method !== 'POST' || !route) return awsError(404, 'UnknownOperationException', `No operation at ${req.method} ${path}`)
    const body: unknown = await req.json().catch(() => undefined)
    const record: RecordedRequest = {
      method: req.method,
      path: `/model/${decodeURIComponent(route[1] ?? '')}/${route[2]}`,
      headers: Object.fromEntries(req.headers),
      body,
      aborted: false,
      finished: false,
    }
    requests.push(record)
    req.signal.addEventListener('abort', () => {
      if (!record.finished) record.aborted = true
    })
    if (!record.headers.authorization?.startsWith('AWS4-HMAC-SHA256')) {
      record.finished = true
      return awsError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token')
    }
    if (typeof body !== 'object' || body === null) {
      record.finished = true
      return awsError(400, 'ValidationException', 'The request body is not valid JSON.')
    }
    const plan = planReply(rules, body as ConverseBody)
    if (plan.rule.error) {
      const { status, name, message, retryAfter } = plan.rule.error
      record.finished = true
      return awsError(status, name, message, retryAfter)
    }
    return route[2] === 'converse' ? converse(plan, record, req.signal) : converseStream(plan, record)
  }

  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handle })
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    script: (...next) => {
      rules = next
    },
    reset: () => {
      rules = []
      requests.length = 0
    },
    waitFor: waitUntil,
    stop: () => server.stop(true),
  }
}

async function converse(plan: Plan, record: RecordedRequest, signal: AbortSignal): Promise<Response> {
  if (plan.rule.firstTokenDelayMs) await sleep(plan.rule.firstTokenDelayMs, signal)
  const content: unknown[] = plan.text === '' && plan.toolCalls.length > 0 ? [] : [{ text: plan.text }]
  for (const t of plan.toolCalls) content.push({ toolUse: { toolUseId: t.id, name: t.name, input: JSON.parse(t.arguments) } })
  record.finished = !record.aborted
  return Response.json(
    { output: { message: { role: 'assistant', content } }, stopReason: plan.stopReason, usage: plan.usage, metrics: { latencyMs: 1 } },
    { headers: { 'x-amzn-requestid': crypto.randomUUID() } },
  )
}

function converseStream(plan: Plan, record: RecordedRequest): Response {
  const frames = streamFrames(plan)
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await frames.next()
      if (next.done) {
        record.finished = true
        controller.close()
      } else controller.enqueue(next.value)
    },
    async cancel() {
      if (!record.finished) record.aborted = true
      await frames.return(undefined)
    },
  })
  return new Response(body, { headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': crypto.randomUUID() } })
}

/** The frames of one ConverseStream reply, with the script's delays, failure and truncation. */
async function* streamFrames(plan: Plan): AsyncGenerator<Uint8Array> {
  const { rule } = plan
  if (rule.firstTokenDelayMs) await Bun.sleep(rule.firstTokenDelayMs)
  yield eventFrame('messageStart', { role: 'assistant' })
  const chunks = chunkText(plan.text, rule.chunkChars ?? 5)
  for (let sent = 0; ; sent++) {
    if (rule.failAfterChunks && sent >= rule.failAfterChunks.chunks) {
      yield exceptionFrame(lowerCamel(rule.failAfterChunks.name), rule.failAfterChunks.message)
      return
    }
    if (rule.truncateAfterChunks !== undefined && sent >= rule.truncateAfterChunks) return
    const chunk = chunks[sent]
    if (chunk === undefined) break
    if (sent > 0 && rule.chunkDelayMs) await Bun.sleep(rule.chunkDelayMs)
    yield eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: chunk } })
  }
  if (chunks.length > 0) yield eventFrame('contentBlockStop', { contentBlockIndex: 0 })
  let blockIndex = chunks.length > 0 ? 1 : 0
  for (const t of plan.toolCalls) {
    const contentBlockIndex = blockIndex++
    yield eventFrame('contentBlockStart', { contentBlockIndex, start: { toolUse: { toolUseId: t.id, name: t.name } } })
    for (const piece of chunkText(t.arguments, rule.chunkChars ?? 5)) {
      if (rule.chunkDelayMs) await Bun.sleep(rule.chunkDelayMs)
      yield eventFrame('contentBlockDelta', { contentBlockIndex, delta: { toolUse: { input: piece } } })
    }
    yield eventFrame('contentBlockStop', { contentBlockIndex })
  }
  yield eventFrame('messageStop', { stopReason: plan.stopReason })
  yield eventFrame('metadata', { usage: plan.usage, metrics: { latencyMs: 1 } })
}

function planReply(rules: ScriptedReply[], body: ConverseBody): Plan {
  const texts = (blocks: Array<{ text?: string }> | undefined) => (blocks ?? []).flatMap((b) => (typeof b.text === 'string' ? [b.text] : []))
  const lastUser = body.messages?.findLast((m) => m.role === 'user')
  const lastUserText = texts(lastUser?.content).join('\n')
  const rule = pickRule(rules, lastUserText)
  const text = rule.text ?? lastUserText
  const toolCalls = rule.toolCalls ?? []
  const prompt = [...texts(body.system), ...(body.messages ?? []).flatMap((m) => texts(m.content))].join('\n')
  const u = usageFor(prompt, text + toolCalls.map((t) => t.arguments).join(''), rule)
  const cacheRead = 'cacheRead' in u ? u.cacheRead : undefined
  const cacheWrite = 'cacheWrite' in u ? u.cacheWrite : undefined
  const usage: Plan['usage'] = { inputTokens: u.input, outputTokens: u.output, totalTokens: u.input + u.output + (cacheRead ?? 0) + (cacheWrite ?? 0) }
  if (cacheRead !== undefined) usage.cacheReadInputTokens = cacheRead
  if (cacheWrite !== undefined) usage.cacheWriteInputTokens = cacheWrite
  const finish = rule.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop')
  return { rule, text, toolCalls, stopReason: STOP_REASONS[finish], usage }
}

function awsError(status: number, name: string, message: string, retryAfter?: string): Response {
  const headers: Record<string, string> = { 'x-amzn-errortype': `${name}:${ERROR_NAMESPACE}`, 'x-amzn-requestid': crypto.randomUUID() }
  if (retryAfter !== undefined) headers['retry-after'] = retryAfter
  return Response.json({ message }, { status, headers })
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    }, { once: true })
  })
}

/** The SDK looks mid-stream exceptions up by their lowerCamel union member name. */
function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}
