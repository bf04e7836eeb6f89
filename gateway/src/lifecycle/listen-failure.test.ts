import { describe, expect, test } from 'bun:test'
import { listenFailure } from './listen-failure.ts'

/** The error Bun.serve really throws for `hostname:port`, or undefined when it listens. */
function serveError(hostname: string, port: number): unknown {
  try {
    Bun.serve({ hostname, port, fetch: () => new Response('') }).stop(true)
    return undefined
  } catch (err) {
    return err
  }
}

describe('listenFailure', () => {
  test('a port in use (Bun\'s own error) names the address and says what to do', () => {
    using held = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') })
    const err = serveError('127.0.0.1', held.port!)
    expect(listenFailure(err, '127.0.0.1', held.port!)).toBe(
      `Cannot listen on 127.0.0.1:${held.port}: the port is in use (another gateway or program listens there; choose another with --port or PORT)`,
    )
  })

  test('an address that is not this machine\'s (Bun\'s own error)', () => {
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a host.
    const err = serveError('192.0.2.1', 0)
    expect(listenFailure(err, '192.0.2.1', 4000)).toBe('Cannot listen on 192.0.2.1:4000: the address is not one of this machine\'s')
  })

  test('a privileged port and a name that does not resolve are said in words', () => {
    expect(listenFailure(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }), '0.0.0.0', 80)).toBe(
      'Cannot listen on 0.0.0.0:80: permission denied (ports below 1024 need privileges)',
    )
    // Bun reports an unresolvable listen host as ENOENT.
    expect(listenFailure(Object.assign(new Error('ENOENT: no such file or directory, listen'), { code: 'ENOENT' }), 'gw.invalid', 4000)).toBe(
      'Cannot listen on gw.invalid:4000: the host name does not resolve',
    )
  })

  test('any other failure keeps its message, on one line', () => {
    expect(listenFailure(new Error('something odd\n  happened'), '127.0.0.1', 1)).toBe('Cannot listen on 127.0.0.1:1: something odd happened')
    expect(listenFailure('a string', '127.0.0.1', 1)).toBe('Cannot listen on 127.0.0.1:1: a string')
  })
})
