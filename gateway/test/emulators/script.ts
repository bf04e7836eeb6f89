/**
 * The scripting vocabulary shared by the provider emulators (Bedrock, and the
 * OpenAI-compatible one that also plays Perplexity). A test scripts replies by
 * prompt pattern; each emulator translates a reply into its provider's real
 * wire protocol. Emulators record every request they receive.
 */
export type ScriptedFinish = 'stop' | 'length' | 'tool_calls' | 'content_filter'

export interface ScriptedReply {
  /** Matched against the text of the last user message; first matching rule wins. No rule matches: echo. */
  match?: RegExp | string
  /** The rule applies to this many matching requests only, then is skipped (e.g. fail once, then succeed). */
  times?: number
  /** Reply text; default: the last user message verbatim. */
  text?: string
  /** Characters per streamed text chunk (default 5). */
  chunkChars?: number
  /** Delay before the first byte of the response body (stream) or the response (non-stream). */
  firstTokenDelayMs?: number
  /** Delay between streamed chunks. */
  chunkDelayMs?: number
  /** Tool calls the model makes (arguments streamed in pieces of chunkChars). */
  toolCalls?: Array<{ id: string; name: string; arguments: string }>
  /** Finish reason in OpenAI terms; each emulator maps it to its wire value (default stop, or tool_calls with toolCalls). */
  finishReason?: ScriptedFinish
  /** Token usage to report; default: derived deterministically from the text (see usageFor). */
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number }
  /** Fail before any byte with this HTTP status and provider error name (Bedrock exception name or OpenAI error type). */
  error?: { status: number; name: string; message: string; retryAfter?: string }
  /** Streams only: after this many text chunks, send a provider error event (Bedrock exception event / OpenAI error data frame). */
  failAfterChunks?: { chunks: number; name: string; message: string }
  /** Streams only: after this many text chunks, end the body cleanly without the stop/finish event. */
  truncateAfterChunks?: number
  /** Perplexity extras. */
  citations?: string[]
  searchResults?: Array<{ title: string; url: string; date?: string }>
}

export interface RecordedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: unknown
  /** True once the client closed the connection before the emulator finished its reply. */
  aborted: boolean
  /** True once the emulator finished writing its reply. */
  finished: boolean
}

export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string
  requests: RecordedRequest[]
  /** Replaces the script. */
  script(...rules: ScriptedReply[]): void
  /** Clears the script and the recorded requests. */
  reset(): void
  /** Resolves when pred() is true (polls every 5 ms), rejects after timeoutMs. */
  waitFor(pred: () => boolean, timeoutMs?: number): Promise<void>
  stop(): Promise<void>
}

const uses = new WeakMap<ScriptedReply, number>()

export function pickRule(rules: ScriptedReply[], lastUserText: string): ScriptedReply {
  for (const r of rules) {
    const used = uses.get(r) ?? 0
    if (r.times !== undefined && used >= r.times) continue
    const matches = r.match === undefined || (typeof r.match === 'string' ? lastUserText.includes(r.match) : r.match.test(lastUserText))
    if (!matches) continue
    uses.set(r, used + 1)
    return r
  }
  return {}
}

/** Deterministic token counts: one token per 4 characters, rounded up. */
export function usageFor(promptText: string, replyText: string, rule: ScriptedReply) {
  return rule.usage ?? { input: Math.ceil(promptText.length / 4), output: Math.ceil(replyText.length / 4) }
}

export function chunkText(text: string, size: number): string[] {
  const out: string[] = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}

export async function waitUntil(pred: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await Bun.sleep(5)
  }
}
