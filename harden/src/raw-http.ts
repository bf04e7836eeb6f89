/**
 * A raw HTTP/1.1 client over node:net, for what fetch will not send: lying
 * Content-Length, chunked bodies with pauses, stalls, trickled headers.
 * Writes the steps in order (honouring back-pressure), stops writing once an
 * answer arrives, and resolves with the first response (or the close, or the
 * timeout). Times are performance.now() values.
 */
import net from 'node:net'

export type Step = string | Uint8Array | { delayMs: number } | { mark: string }

export interface RawResult {
  status: number
  headers: Record<string, string>
  body: string
  /** Everything received, as latin1 text (first 64 KiB). */
  raw: string
  /** When the first response byte arrived / the socket closed / the last byte was written (NaN when not). */
  answeredAt: number
  closedAt: number
  lastWriteAt: number
  /** When each `{ mark }` step was reached. */
  marks: Record<string, number>
  error?: string
}

export interface RawOptions {
  /** Keep the connection after a whole response, until the server closes it (or the timeout). */
  hold?: boolean
  /** Stop reading after the first response bytes (a slow reader: the TCP window fills). */
  pause?: boolean
}

export function rawRequest(port: number, steps: Step[], timeoutMs: number, opts: RawOptions = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const r: RawResult = { status: 0, headers: {}, body: '', raw: '', answeredAt: Number.NaN, closedAt: Number.NaN, lastWriteAt: Number.NaN, marks: {} }
    let buf = Buffer.alloc(0)
    let done = false
    const socket = net.connect(port, '127.0.0.1')
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      parse(r, buf)
      socket.destroy()
      resolve(r)
    }
    const timer = setTimeout(() => {
      r.error ??= 'timeout'
      finish()
    }, timeoutMs)
    socket.on('data', (d: Buffer) => {
      if (Number.isNaN(r.answeredAt)) r.answeredAt = performance.now()
      if (buf.length < 65_536) buf = Buffer.concat([buf, d])
      if (opts.pause) socket.pause()
      else if (!opts.hold && complete(buf)) finish()
    })
    socket.on('error', (e) => void (r.error ??= (e as NodeJS.ErrnoException).code ?? e.message))
    socket.on('close', () => {
      r.closedAt = performance.now()
      finish()
    })
    socket.on('connect', async () => {
      for (const s of steps) {
        if (done || !Number.isNaN(r.answeredAt)) break
        if (typeof s === 'object' && 'delayMs' in s) await Bun.sleep(s.delayMs)
        else if (typeof s === 'object' && 'mark' in s) r.marks[s.mark] = performance.now()
        else if (!socket.write(s)) await new Promise<void>((ok) => socket.once('drain', () => ok()).once('close', () => ok()))
        if (typeof s === 'string' || s instanceof Uint8Array) r.lastWriteAt = performance.now()
      }
    })
  })
}

/** True once `buf` holds one whole response (by content-length or the chunked terminator). */
function complete(buf: Buffer): boolean {
  const end = buf.indexOf('\r\n\r\n')
  if (end === -1) return false
  const head = buf.subarray(0, end).toString('latin1').toLowerCase()
  const len = /\r\ncontent-length:\s*(\d+)/.exec(head)
  if (len) return buf.length - end - 4 >= Number(len[1])
  if (head.includes('transfer-encoding: chunked')) return buf.includes('\r\n0\r\n\r\n', end) || buf.subarray(end + 4).toString('latin1').startsWith('0\r\n\r\n')
  return false
}

function parse(r: RawResult, buf: Buffer): void {
  r.raw = buf.toString('latin1')
  const end = r.raw.indexOf('\r\n\r\n')
  if (end === -1) return
  const [statusLine, ...lines] = r.raw.slice(0, end).split('\r\n')
  r.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0)
  for (const l of lines) {
    const i = l.indexOf(':')
    if (i > 0) r.headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
  }
  let body = r.raw.slice(end + 4)
  if (r.headers['transfer-encoding'] === 'chunked') body = unchunk(body)
  else if (r.headers['content-length'] !== undefined) body = body.slice(0, Number(r.headers['content-length']))
  r.body = Buffer.from(body, 'latin1').toString('utf8')
}

function unchunk(s: string): string {
  let out = ''
  for (let at = 0; at < s.length;) {
    const eol = s.indexOf('\r\n', at)
    if (eol === -1) break
    const size = Number.parseInt(s.slice(at, eol), 16)
    if (!(size > 0)) break
    out += s.slice(eol + 2, eol + 2 + size)
    at = eol + 2 + size + 2
  }
  return out
}

/** A request head; `headers` may include content-length or transfer-encoding. */
export function head(method: string, path: string, headers: Record<string, string>): string {
  return `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
}
