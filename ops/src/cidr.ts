/**
 * IPv4/IPv6 address and CIDR parsing for the ops tools: validation of user
 * input (a bare address becomes a /32 or /128), canonical formatting, and
 * containment checks. Pure functions, no I/O.
 */

export interface Cidr {
  version: 4 | 6
  /** Network address bytes (4 or 16), host bits zero. */
  bytes: Uint8Array
  prefix: number
}

export class CidrError extends Error {
  override name = 'CidrError'
}

/** Parses an IPv4 address in dotted-decimal form; null when invalid. */
export function parseIPv4(s: string): Uint8Array | null {
  const parts = s.split('.')
  if (parts.length !== 4) return null
  const out = new Uint8Array(4)
  for (let i = 0; i < 4; i++) {
    const p = parts[i] ?? ''
    // No signs, no empty octets, no leading zeros (they read as octal in some tools).
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null
    const n = Number(p)
    if (n > 255) return null
    out[i] = n
  }
  return out
}

/** Parses an IPv6 address (with :: compression and an optional trailing IPv4); null when invalid. */
export function parseIPv6(s: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split('::').length > 2) return null
  let tail4: Uint8Array | null = null
  let text = s
  const lastColon = s.lastIndexOf(':')
  if (s.slice(lastColon + 1).includes('.')) {
    tail4 = parseIPv4(s.slice(lastColon + 1))
    if (!tail4) return null
    text = s.slice(0, lastColon + 1) + '0:0'
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined]
  const groups = (g: string | undefined) => (g ? g.split(':') : [])
  const left = groups(head)
  const right = groups(rest)
  if ([...left, ...right].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null
  const missing = 8 - left.length - right.length
  if (rest === undefined ? missing !== 0 : missing < 1) return null
  const all = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right]
  const out = new Uint8Array(16)
  all.forEach((g, i) => {
    const n = parseInt(g, 16)
    out[2 * i] = n >> 8
    out[2 * i + 1] = n & 0xff
  })
  if (tail4) out.set(tail4, 12)
  return out
}

export function parseAddress(s: string): { version: 4 | 6; bytes: Uint8Array } | null {
  const v4 = parseIPv4(s)
  if (v4) return { version: 4, bytes: v4 }
  const v6 = s.includes(':') ? parseIPv6(s) : null
  return v6 ? { version: 6, bytes: v6 } : null
}

/**
 * Parses user input as a CIDR. A bare address gets /32 (IPv4) or /128 (IPv6).
 * Host bits must be zero: "203.0.113.7/24" is refused with the network address to use.
 */
export function parseCidr(input: string): Cidr {
  const text = input.trim()
  const [addr = '', prefixText, extra] = text.split('/')
  if (extra !== undefined) throw new CidrError(`"${input}" is not a CIDR: more than one "/"`)
  const ip = parseAddress(addr)
  if (!ip) throw new CidrError(`"${addr}" is not an IPv4 or IPv6 address`)
  const max = ip.version === 4 ? 32 : 128
  let prefix = max
  if (prefixText !== undefined) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > max) {
      throw new CidrError(`"/${prefixText}" is not a valid IPv${ip.version} prefix length (0 to ${max})`)
    }
    prefix = Number(prefixText)
  }
  const network = maskBytes(ip.bytes, prefix)
  const cidr: Cidr = { version: ip.version, bytes: network, prefix }
  if (!equalBytes(network, ip.bytes)) {
    throw new CidrError(`"${text}" has host bits set; the network is ${formatCidr(cidr)}`)
  }
  return cidr
}

/** Canonical text: dotted IPv4, RFC 5952 IPv6 (lowercase, longest zero run compressed). */
export function formatCidr(c: Cidr): string {
  return `${formatAddress(c.version, c.bytes)}/${c.prefix}`
}

export function formatAddress(version: 4 | 6, bytes: Uint8Array): string {
  if (version === 4) return [...bytes].join('.')
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0))
  let best = { start: -1, len: 0 }
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > best.len && j - i >= 2) best = { start: i, len: j - i }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best.start < 0) return hex.join(':')
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.len).join(':')}`
}

/** Normalises user input to canonical CIDR text ("203.0.113.7" -> "203.0.113.7/32"). */
export function normalizeCidr(input: string): string {
  return formatCidr(parseCidr(input))
}

/** True when `address` (an IP, not a CIDR) lies inside `cidr`. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const ip = parseAddress(address)
  return !!ip && ip.version === cidr.version && equalBytes(maskBytes(ip.bytes, cidr.prefix), cidr.bytes)
}

/** True when two CIDR texts denote the same network (whatever their spelling). */
export function sameCidr(a: string, b: string): boolean {
  try {
    const x = parseCidr(a)
    const y = parseCidr(b)
    return x.version === y.version && x.prefix === y.prefix && equalBytes(x.bytes, y.bytes)
  } catch {
    return false
  }
}

function maskBytes(bytes: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i))
    out[i] = (bytes[i] ?? 0) & ((0xff << (8 - bits)) & 0xff)
  }
  return out
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i])
}
