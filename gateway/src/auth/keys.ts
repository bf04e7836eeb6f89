/**
 * API key extraction and verification. Keys are kept only as SHA-256 digests
 * and compared in constant time; the presented value is never logged or echoed.
 */
import { timingSafeEqual } from 'node:crypto'

/** Reads `Authorization: Bearer <key>` (or the `x-api-key` header). */
export function presentedKey(headers: Headers): string | undefined {
  const auth = headers.get('authorization')
  if (auth !== null) {
    const m = /^Bearer[ \t]+(\S{1,512})[ \t]*$/i.exec(auth)
    return m?.[1]
  }
  const apiKey = headers.get('x-api-key')
  return apiKey !== null && apiKey.length > 0 && apiKey.length <= 512 ? apiKey.trim() : undefined
}

export function sha256(value: string): Uint8Array {
  return new Bun.CryptoHasher('sha256').update(value).digest() as Uint8Array
}

/** Holds one key's digest and answers "is this the key?" in constant time. */
export class KeyDigest {
  private readonly digest: Uint8Array
  constructor(key: string) {
    this.digest = sha256(key)
  }
  matches(presented: string): boolean {
    return timingSafeEqual(this.digest, sha256(presented))
  }
}

/** A new master key for runs without one configured: `sk-` + 256 bits, base64url. */
export function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  return `sk-${Buffer.from(bytes).toString('base64url')}`
}
