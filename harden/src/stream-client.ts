/**
 * Reads a gateway SSE answer as it arrives, timing each `data:` payload, so
 * the runners can check how a stream ended: a finish, or an error frame then
 * `[DONE]`, never silently.
 */
export interface StreamRead {
  status: number
  /** Each data payload and when it arrived (performance.now()). */
  data: Array<{ payload: string; at: number }>
  /** The raw text (for non-2xx: the error body). */
  text: string
  headers: Headers
}

export async function readStream(res: Response, onData?: (payload: string, count: number) => void): Promise<StreamRead> {
  const out: StreamRead = { status: res.status, data: [], text: '', headers: res.headers }
  if (!res.body) return out
  const reader = res.body.getReader()
  const dec = new TextDecoder()
  let pending = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      const chunk = dec.decode(value, { stream: true })
      out.text += chunk
      pending += chunk
      let end = pending.indexOf('\n\n')
      while (end !== -1) {
        for (const line of pending.slice(0, end).split('\n')) {
          if (line.startsWith('data: ')) {
            out.data.push({ payload: line.slice(6), at: performance.now() })
            onData?.(line.slice(6), out.data.length)
          }
        }
        pending = pending.slice(end + 2)
        end = pending.indexOf('\n\n')
      }
    }
  } catch {
    // The connection broke: the caller sees a stream without [DONE].
  }
  return out
}

export interface StreamVerdict {
  done: boolean
  /** The error frame's payload, when one came right before [DONE]. */
  error?: { code?: string; type?: string }
  finishReasons: string[]
  /** When [DONE] arrived. */
  doneAt: number
}

/** How a read stream ended. */
export function verdict(r: StreamRead): StreamVerdict {
  const last = r.data.at(-1)
  const done = last?.payload === '[DONE]'
  const v: StreamVerdict = { done, finishReasons: [], doneAt: done ? last!.at : Number.NaN }
  for (const d of r.data) {
    if (d.payload === '[DONE]') continue
    try {
      const j = JSON.parse(d.payload) as { error?: { code?: string; type?: string }; choices?: Array<{ finish_reason?: string | null }> }
      if (j.error) v.error = j.error
      for (const c of j.choices ?? []) if (c.finish_reason) v.finishReasons.push(c.finish_reason)
    } catch {
      // not JSON: counted as neither
    }
  }
  return v
}
