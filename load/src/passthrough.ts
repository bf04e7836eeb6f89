/**
 * The floor for peer comparisons: the least a Bun proxy can do. It forwards
 * method, path and body to the upstream and streams the answer back, with no
 * auth, validation or logging.
 *
 * Run alone: `bun load/src/passthrough.ts --upstream URL [--port N]`.
 */
import { parseArgs } from 'node:util'

/** Starts the pass-through on 127.0.0.1, forwarding to `upstream` (a base URL). */
export function startPassthrough(upstream: string, port = 0): { url: string; stop(): Promise<void> } {
  const base = upstream.replace(/\/$/, '')
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port,
    idleTimeout: 120,
    async fetch(req) {
      const { pathname, search } = new URL(req.url)
      const res = await fetch(`${base}${pathname}${search}`, {
        method: req.method,
        headers: { 'content-type': req.headers.get('content-type') ?? 'application/json' },
        body: req.method === 'GET' ? null : await req.arrayBuffer(),
        signal: req.signal,
      })
      return new Response(res.body, { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? '' } })
    },
  })
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { upstream: { type: 'string' }, port: { type: 'string', default: '0' } } })
  if (!values.upstream) throw new Error('--upstream URL is required')
  const p = startPassthrough(values.upstream, Number(values.port))
  process.stdout.write(`${JSON.stringify({ msg: 'listening', url: p.url })}\n`)
  process.on('SIGTERM', () => void p.stop().then(() => process.exit(0)))
}
