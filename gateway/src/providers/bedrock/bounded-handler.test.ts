import { describe, expect, test } from 'bun:test'
import { Readable } from 'node:stream'
import type { ChatRequest } from '../../openai/types.ts'
import type { Deployment } from '../types.ts'
import { FrameGuard, SizeGuard } from './bounded-handler.ts'
import { createBedrockProvider } from './index.ts'

const frame = (total: number) => {
  const b = Buffer.alloc(16)
  b.writeUInt32BE(total, 0)
  return b
}

async function drain(src: Buffer[], guard: FrameGuard | SizeGuard): Promise<{ bytes: number; error?: string }> {
  let bytes = 0
  try {
    for await (const c of Readable.from(src).pipe(guard)) bytes += (c as Buffer).length
  } catch (err) {
    return { bytes, error: (err as Error).message }
  }
  return { bytes }
}

describe('FrameGuard', () => {
  test('passes frames within the limit, whatever the chunking', async () => {
    const stream = Buffer.concat([frame(16), frame(16), frame(16)])
    for (const size of [1, 3, 4, 5, 16, 48]) {
      const chunks: Buffer[] = []
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.subarray(i, i + size))
      expect(await drain(chunks, new FrameGuard(1024))).toEqual({ bytes: 48 })
    }
  })

  test.each([
    ['over the limit', 256 * 1024 * 1024],
    ['shorter than a frame can be', 3],
  ])('refuses a frame whose prelude declares a length %s', async (_n, total) => {
    const r = await drain([frame(16), frame(total).subarray(0, 2), frame(total).subarray(2)], new FrameGuard(16 * 1024 * 1024))
    expect(r.error).toContain('refused')
  })
})

test('SizeGuard refuses a body over its limit', async () => {
  expect((await drain([Buffer.alloc(10), Buffer.alloc(10)], new SizeGuard(15))).error).toContain('refused')
})

test('a Bedrock endpoint declaring a 256 MiB frame gets a stream error, not 256 MiB of memory', async () => {
  const server = Bun.serve({
    port: 0, hostname: '127.0.0.1',
    fetch: () => new Response(new ReadableStream({
      start(c) {
        c.enqueue(frame(256 * 1024 * 1024))
        // then dribble: the guard must refuse at the prelude, not wait for the frame
      },
    }), { headers: { 'content-type': 'application/vnd.amazon.eventstream' } }),
  })
  const d: Deployment = {
    id: 'x#0', modelName: 'x', provider: 'bedrock', upstreamModel: 'amazon.nova-micro-v1:0',
    params: { aws_region_name: 'us-east-1', aws_bedrock_runtime_endpoint: `http://127.0.0.1:${server.port}`, aws_access_key_id: 'AKIDEXAMPLE', aws_secret_access_key: 'x' },
  }
  const req: ChatRequest = { model: 'x', stream: true, messages: [{ role: 'user', content: 'hi' }] }
  const err = await (async () => {
    for await (const _ of createBedrockProvider().stream(req, d, { signal: new AbortController().signal, requestId: 'r', dropParams: false })) void _
  })().catch((e) => e)
  expect(err).toMatchObject({ domain: 'provider' })
  server.stop(true)
})
