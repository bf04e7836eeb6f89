/**
 * TLS inspection with `node:tls`: connects to the endpoint's host, reads the
 * negotiated protocol and whether the certificate chain verifies for the
 * host name, and the certificate's validity window.
 */
import tls from 'node:tls'

export interface TlsInfo {
  /** `TLSv1.3`, `TLSv1.2`, … */
  protocol: string
  /** The chain verifies against the trusted CAs and matches the host name. */
  authorized: boolean
  /** Why it does not verify (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`, …). */
  authorizationError?: string
  validFrom?: Date
  validTo?: Date
}

/** Protocols the production check accepts. */
export const MODERN_TLS = new Set(['TLSv1.2', 'TLSv1.3'])

/** Handshakes with `url`'s host and reports what was negotiated. Rejects on connection errors and on abort. */
export function inspectTls(url: URL, opts: { signal: AbortSignal; ca?: string }): Promise<TlsInfo> {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  const port = Number(url.port || 443)
  return new Promise<TlsInfo>((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      ...(isIp(host) ? {} : { servername: host }),
      rejectUnauthorized: false,
      ...(opts.ca !== undefined ? { ca: [...tls.rootCertificates, opts.ca] } : {}),
    })
    const onAbort = () => {
      socket.destroy()
      reject(opts.signal.reason)
    }
    opts.signal.addEventListener('abort', onAbort, { once: true })
    const done = () => opts.signal.removeEventListener('abort', onAbort)
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate()
      const hostError = socket.authorized ? tls.checkServerIdentity(host, cert) : undefined
      const error = socket.authorizationError ?? hostError
      const info: TlsInfo = {
        protocol: socket.getProtocol() ?? 'unknown',
        authorized: socket.authorized && hostError === undefined,
        ...(error ? { authorizationError: errorCode(error) } : {}),
        ...(cert?.valid_from ? { validFrom: new Date(cert.valid_from) } : {}),
        ...(cert?.valid_to ? { validTo: new Date(cert.valid_to) } : {}),
      }
      socket.end()
      done()
      resolve(info)
    })
    socket.once('error', (err) => {
      done()
      reject(err)
    })
  })
}

function errorCode(err: Error | string): string {
  if (typeof err === 'string') return err
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' ? `${code}: ${err.message}` : err.message
}

function isIp(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':')
}
