/** Identifiers the gateway mints: completion ids and request ids. */

export function completionId(): string {
  return `chatcmpl-${crypto.randomUUID().replaceAll('-', '')}`
}

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/

/** Echoes a well-formed client request id (bounded, safe charset); otherwise mints one. */
export function requestIdFrom(header: string | null): string {
  return header && REQUEST_ID_RE.test(header) ? header : crypto.randomUUID()
}
