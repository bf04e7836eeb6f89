/**
 * A raw HTTP/1.1 upstream on node:net that plays one scripted reply per
 * request, byte for byte, then a fault: the body's proper end, a FIN
 * mid-body, a TCP reset (`resetAndDestroy`), or a stall. The body is sent
 * chunked, part by part (a delay between parts keeps them apart on the
 * wire). It records, per request, when the fault happened.
 */
import net from 'node:net'

export type Ending = 'complete' | 'fin' | 'reset' | 'stall'

export interface Reply {
  status?: number
  contentType: string
  parts: Array<Uint8Array | { delayMs: number }>
  ending: Ending
}

export interface Served {
  /** The request body (parsed JSON, or undefined). */
  body: unknown
  /** When the last part was written and the ending applied (performance.now()). */
  faultAt: number
  /** True once the gateway closed its side. */
  clientClosed: boolean
}

export interface FaultUpstream {
  url: string
  port: number
  served: Served[]
  /** Open sockets right now. */
  open(): number
  stop(): Promise<void>
}

export async function startFaultUpstream(plan: (body: unknown, path: string) => Reply): Promise<FaultUpstream> {
  const served: Served[] = []
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    let buf = Buffer.alloc(0)
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d])
      const end = buf.indexOf('\r\n\r\n')
      if (end === -1) return
      const headText = buf.subarray(0, end).toString('latin1')
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headText)?.[1] ?? 0)
      if (buf.length < end + 4 + length) return
      socket.off('data', onData)
      const path = headText.split(' ')[1] ?? '/'
      let body: unknown
      try {
        body = JSON.parse(buf.subarray(end + 4, end + 4 + length).toString('utf8'))
      } catch {
        body = undefined
      }
      const rec: Served = { body, faultAt: Number.NaN, clientClosed: false }
      served.push(rec)
      socket.on('end', () => void (rec.clientClosed = true))
      socket.on('close', () => void (rec.clientClosed = true))
      void play(socket, plan(body, path), rec)
    }
    socket.on('data', onData)
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as net.AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    served,
    open: () => sockets.size,
    stop: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((ok) => server.close(() => ok()))
    },
  }
}

async function play(socket: net.Socket, r: Reply, rec: Served): Promise<void> {
  const write = (b: Uint8Array | string) => (socket.destroyed ? false : socket.write(b))
  write(`HTTP/1.1 ${r.status ?? 200} OK\r\ncontent-type: ${r.contentType}\r\ntransfer-encoding: chunked\r\nconnection: close\r\nx-amzn-requestid: harden\r\n\r\n`)
  for (const part of r.parts) {
    if (socket.destroyed) return
    if (part instanceof Uint8Array) {
      if (part.length > 0) write(Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]))
    } else await Bun.sleep(part.delayMs)
  }
  rec.faultAt = performance.now()
  if (r.ending === 'complete') {
    write('0\r\n\r\n')
    socket.end()
  } else if (r.ending === 'fin') socket.end()
  else if (r.ending === 'reset') socket.resetAndDestroy()
  // 'stall': nothing more; the socket stays open until the gateway (or stop()) closes it.
}
