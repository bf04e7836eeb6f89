/**
 * The decoy "metadata" server (area 2): a listener on 127.0.0.2, port 80 when
 * it can be bound (root), else an ephemeral port, that counts every
 * connection. Its URL is offered in forbidden fields; no request may ever
 * reach it. One per process, started on first use, counting for the whole run.
 */
import net from 'node:net'

export interface Decoy {
  url: string
  host: string
  port: number
  /** Connections accepted since the decoy started. */
  hits(): number
}

let decoy: Promise<Decoy> | undefined

export function startDecoy(): Promise<Decoy> {
  decoy ??= listen(80).catch(() => listen(0))
  return decoy
}

function listen(port: number): Promise<Decoy> {
  return new Promise((resolve, reject) => {
    let hits = 0
    const server = net.createServer((socket) => {
      hits++
      socket.destroy()
    })
    server.once('error', reject)
    server.listen(port, '127.0.0.2', () => {
      const bound = (server.address() as net.AddressInfo).port
      server.unref()
      resolve({ url: `http://127.0.0.2${bound === 80 ? '' : `:${bound}`}`, host: '127.0.0.2', port: bound, hits: () => hits })
    })
  })
}
