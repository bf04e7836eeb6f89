/**
 * Upstream wire pieces for the decoder and fault areas: Bedrock eventstream
 * frames (real ones, from @smithy/eventstream-codec, and broken ones) and
 * OpenAI-style SSE frames.
 */
import { eventFrame as esEvent, exceptionFrame as esException } from '../../gateway/test/emulators/eventstream-frames.ts'

export { esEvent, esException }

/** The frames of a healthy ConverseStream reply carrying `pieces` of text. */
export function esReply(pieces: string[]): { head: Uint8Array[]; deltas: Uint8Array[]; tail: Uint8Array[] } {
  return {
    head: [esEvent('messageStart', { role: 'assistant' })],
    deltas: pieces.map((text) => esEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text } })),
    tail: [
      esEvent('contentBlockStop', { contentBlockIndex: 0 }),
      esEvent('messageStop', { stopReason: 'end_turn' }),
      esEvent('metadata', { usage: { inputTokens: 3, outputTokens: pieces.length, totalTokens: 3 + pieces.length }, metrics: { latencyMs: 1 } }),
    ],
  }
}

/** A copy of `frame` with its message CRC (last 4 bytes) or prelude CRC (bytes 8-11) broken. */
export function badCrc(frame: Uint8Array, where: 'message' | 'prelude' = 'message'): Uint8Array {
  const copy = frame.slice()
  const i = where === 'message' ? copy.length - 1 : 11
  copy[i] = copy[i]! ^ 0xff
  return copy
}

/** A prelude declaring `total` bytes (the SDK allocates that much before any CRC check). */
export function hugePrelude(total: number): Uint8Array {
  const b = new Uint8Array(12)
  new DataView(b.buffer).setUint32(0, total >>> 0, false)
  return b
}

export const concatBytes = (parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts))

const enc = new TextEncoder()
export const sseData = (payload: unknown): Uint8Array => enc.encode(`data: ${JSON.stringify(payload)}\n\n`)
export const SSE_DONE = enc.encode('data: [DONE]\n\n')

/** The frames of a healthy OpenAI chat stream carrying `pieces` of text. */
export function sseReply(pieces: string[]): { head: Uint8Array[]; deltas: Uint8Array[]; tail: Uint8Array[] } {
  const chunk = (delta: unknown, finish: string | null = null) =>
    sseData({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })
  return {
    head: [chunk({ role: 'assistant', content: '' })],
    deltas: pieces.map((content) => chunk({ content })),
    tail: [chunk({}, 'stop'), SSE_DONE],
  }
}
