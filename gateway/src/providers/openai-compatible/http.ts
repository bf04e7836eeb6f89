/** The thin I/O edge of the OpenAI-compatible adapter: bounded body reads. */

/**
 * Reads a body to the end, up to `maxBytes`. Returns undefined (after
 * cancelling the body) when it is longer, so memory stays bounded.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array | undefined> {
  if (!body) return new Uint8Array(0)
  const reader = body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  let drained = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) {
        drained = true
        break
      }
      size += value.length
      if (size > maxBytes) return undefined
      parts.push(value)
    }
  } finally {
    if (!drained) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
  if (parts.length === 1) return parts[0]
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
