/**
 * Cloudflare's API over fetch: its published proxy ranges (no auth) and, with
 * an API token, the DNS records of a host. `fetch` is injected for tests.
 */
import { parseCidr } from './cidr.ts'
import { OpsError } from './errors.ts'

export const CLOUDFLARE_API = 'https://api.cloudflare.com/client/v4'
export const CLOUDFLARE_IPS_URL = `${CLOUDFLARE_API}/ips`

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>

export interface CloudflareRanges {
  ipv4: string[]
  ipv6: string[]
  etag: string
}

interface Envelope<T> {
  success?: boolean
  errors?: { code?: number; message?: string }[]
  result?: T
}

async function getJson<T>(fetchFn: FetchLike, url: string, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
  let res: Response
  try {
    res = await fetchFn(url, { headers, signal: AbortSignal.timeout(15_000) })
  } catch (e) {
    throw new OpsError(`Cloudflare API unreachable (${url}): ${(e as Error).message}`)
  }
  const body = (await res.json().catch(() => ({}))) as Envelope<T>
  if (!res.ok || body.success !== true || body.result === undefined) {
    const why = body.errors?.map((e) => e.message).filter(Boolean).join('; ') || `HTTP ${res.status}`
    throw new OpsError(`Cloudflare API ${new URL(url).pathname} failed: ${why}`)
  }
  return body.result
}

/** Cloudflare's published IPv4 and IPv6 ranges, each validated as a CIDR. */
export async function fetchCloudflareRanges(fetchFn: FetchLike): Promise<CloudflareRanges> {
  const r = await getJson<{ ipv4_cidrs?: unknown; ipv6_cidrs?: unknown; etag?: string }>(fetchFn, CLOUDFLARE_IPS_URL)
  const list = (v: unknown, version: 4 | 6): string[] => {
    if (!Array.isArray(v) || v.length === 0) throw new OpsError(`Cloudflare API returned no IPv${version} ranges`)
    return v.map((c) => {
      const cidr = parseCidr(String(c))
      if (cidr.version !== version) throw new OpsError(`Cloudflare API listed ${String(c)} as IPv${version}`)
      return String(c)
    })
  }
  return { ipv4: list(r.ipv4_cidrs, 4), ipv6: list(r.ipv6_cidrs, 6), etag: r.etag ?? '' }
}

export interface DnsRecord {
  type: string
  name: string
  content: string
  proxied: boolean
}

/** The zone holding `host`: the longest suffix Cloudflare knows as a zone. */
export async function findZoneId(fetchFn: FetchLike, token: string, host: string): Promise<string> {
  const labels = host.split('.')
  for (let i = 0; i <= labels.length - 2; i++) {
    const name = labels.slice(i).join('.')
    const zones = await getJson<{ id: string }[]>(fetchFn, `${CLOUDFLARE_API}/zones?name=${encodeURIComponent(name)}`, token)
    if (zones[0]?.id) return zones[0].id
  }
  throw new OpsError(`no Cloudflare zone visible to the token holds ${host}`)
}

export async function dnsRecords(fetchFn: FetchLike, token: string, zoneId: string, host: string): Promise<DnsRecord[]> {
  const url = `${CLOUDFLARE_API}/zones/${encodeURIComponent(zoneId)}/dns_records?name=${encodeURIComponent(host)}`
  const records = await getJson<Partial<DnsRecord>[]>(fetchFn, url, token)
  return records.map((r) => ({ type: r.type ?? '', name: r.name ?? '', content: r.content ?? '', proxied: r.proxied === true }))
}
