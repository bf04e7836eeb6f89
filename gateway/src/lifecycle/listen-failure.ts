/**
 * Why the gateway could not listen, in one line for the terminal or the pod's
 * log: the address and the reason in words, never a stack trace.
 */
export function listenFailure(err: unknown, host: string, port: number): string {
  const code = (err as { code?: unknown } | null)?.code
  const why =
    code === 'EADDRINUSE' ? 'the port is in use (another gateway or program listens there; choose another with --port or PORT)'
    : code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)'
    : code === 'EADDRNOTAVAIL' ? 'the address is not one of this machine\'s'
    : code === 'ENOENT' || code === 'ENOTFOUND' ? 'the host name does not resolve'
    : (err as Error)?.message ?? String(err)
  return `Cannot listen on ${host}:${port}: ${why.replace(/\s*\n\s*/g, ' ')}`
}
