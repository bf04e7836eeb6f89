/**
 * Bounds what a Bedrock endpoint can make the gateway hold. The AWS SDK
 * allocates whatever length an eventstream frame's prelude declares (up to
 * 4 GiB) before checking its CRC, and reads a Converse JSON body whole. This
 * HTTP handler wraps the SDK's and checks the response bytes as they arrive:
 * an eventstream frame declaring more than `maxFrameBytes`, or a JSON body
 * over `maxBodyBytes`, fails the response (the adapter reports
 * `provider_bad_response` / `provider_stream_error`).
 */
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream'
import type { NodeHttpHandler } from '@smithy/node-http-handler'

export const MAX_FRAME_BYTES = 16 * 1024 * 1024
export const MAX_BODY_BYTES = 16 * 1024 * 1024

/** Watches eventstream frame preludes (a 4-byte big-endian total length at each frame start). */
export class FrameGuard extends Transform {
  #left = 0 // bytes left in the current frame
  #prelude = Buffer.alloc(0)

  constructor(private readonly maxFrameBytes = MAX_FRAME_BYTES) {
    super()
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let at = 0
    while (at < chunk.length) {
      if (this.#left === 0) {
        const need = 4 - this.#prelude.length
        this.#prelude = Buffer.concat([this.#prelude, chunk.subarray(at, at + need)])
        at += Math.min(need, chunk.length - at)
        if (this.#prelude.length < 4) break
        const total = this.#prelude.readUInt32BE(0)
        this.#prelude = Buffer.alloc(0)
        if (total > this.maxFrameBytes || total < 16) return done(new Error(`eventstream frame of ${total} bytes refused (limit ${this.maxFrameBytes})`))
        this.#left = total - 4
      } else {
        const take = Math.min(this.#left, chunk.length - at)
        this.#left -= take
        at += take
      }
    }
    done(null, chunk)
  }
}

/** Counts a whole body. */
export class SizeGuard extends Transform {
  #seen = 0
  constructor(private readonly maxBytes = MAX_BODY_BYTES) {
    super()
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length
    if (this.#seen > this.maxBytes) return done(new Error(`response body over ${this.maxBytes} bytes refused`))
    done(null, chunk)
  }
}

type Handle = NodeHttpHandler['handle']

/** The SDK handler, with every response body passed through the matching guard. */
export function boundedHandler(inner: NodeHttpHandler, limits: { frame?: number; body?: number } = {}): NodeHttpHandler {
  const handle: Handle = async (request, options) => {
    const out = await inner.handle(request, options)
    const body = out.response.body as NodeJS.ReadableStream | undefined
    if (body && typeof (body as { pipe?: unknown }).pipe === 'function') {
      const type = String(out.response.headers['content-type'] ?? '')
      const guard = type.includes('eventstream') ? new FrameGuard(limits.frame) : new SizeGuard(limits.body)
      // pipeline() carries errors and early closes both ways: an aborted request ends the guard, a refused frame ends the request.
      out.response.body = pipeline(body as Readable, guard, () => undefined)
    }
    return out
  }
  return new Proxy(inner, { get: (t, p, r) => (p === 'handle' ? handle : Reflect.get(t, p, r)) })
}
