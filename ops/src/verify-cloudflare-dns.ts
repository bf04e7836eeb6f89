/**
 * Checks that the gateway's public name really goes through Cloudflare:
 * 1. the host resolves only to Cloudflare addresses (the record is proxied, the ALB hidden);
 * 2. with CLOUDFLARE_API_TOKEN, the zone's record is proxied and, with --origin, targets the ALB;
 * 3. the cloudflare security group admits exactly Cloudflare's current IPv4 ranges.
 */
import type { EC2Client } from '@aws-sdk/client-ec2'
import { cidrContains, parseCidr, sameCidr } from './cidr.ts'
import { dnsRecords, fetchCloudflareRanges, findZoneId, type FetchLike } from './cloudflare.ts'
import { findSecurityGroup, listIngressRules } from './security-groups.ts'
import { table } from './table.ts'

export type Resolve4 = (host: string) => Promise<string[]>

export interface Check {
  name: string
  status: 'pass' | 'fail' | 'skip'
  detail: string
}

export interface VerifyOptions {
  cluster: string
  host: string
  /** The ALB's DNS name the record should point at (optional). */
  origin?: string
  /** Cloudflare API token with Zone:Read and DNS:Read (optional). */
  token?: string
}

export async function verifyCloudflareDns(
  deps: { ec2: EC2Client; fetch: FetchLike; resolve4: Resolve4 },
  opts: VerifyOptions,
): Promise<Check[]> {
  const ranges = await fetchCloudflareRanges(deps.fetch)
  const v4 = ranges.ipv4.map((c) => parseCidr(c))
  return [
    await checkResolution(deps.resolve4, opts.host, v4),
    await checkRecord(deps.fetch, opts),
    await checkSecurityGroup(deps.ec2, opts.cluster, ranges.ipv4),
  ]
}

async function checkResolution(resolve4: Resolve4, host: string, v4: ReturnType<typeof parseCidr>[]): Promise<Check> {
  const name = 'DNS resolves to Cloudflare'
  let ips: string[]
  try {
    ips = await resolve4(host)
  } catch (e) {
    return { name, status: 'fail', detail: `${host} does not resolve: ${(e as Error).message}` }
  }
  const outside = ips.filter((ip) => !v4.some((c) => cidrContains(c, ip)))
  if (ips.length === 0) return { name, status: 'fail', detail: `${host} has no A record` }
  if (outside.length > 0) {
    return { name, status: 'fail', detail: `${host} resolves to ${outside.join(', ')}, outside Cloudflare's ranges: the record is not proxied and exposes the origin` }
  }
  return { name, status: 'pass', detail: `${host} -> ${ips.join(', ')} (Cloudflare)` }
}

async function checkRecord(fetchFn: FetchLike, opts: VerifyOptions): Promise<Check> {
  const name = 'Cloudflare record proxied'
  if (!opts.token) return { name, status: 'skip', detail: 'set CLOUDFLARE_API_TOKEN to check the record in the zone' }
  const zone = await findZoneId(fetchFn, opts.token, opts.host)
  const records = (await dnsRecords(fetchFn, opts.token, zone, opts.host)).filter((r) => ['A', 'AAAA', 'CNAME'].includes(r.type))
  if (records.length === 0) return { name, status: 'fail', detail: `no A/AAAA/CNAME record for ${opts.host} in the zone` }
  const unproxied = records.filter((r) => !r.proxied)
  if (unproxied.length > 0) return { name, status: 'fail', detail: `${unproxied.map((r) => `${r.type} ${r.content}`).join(', ')} not proxied (grey cloud)` }
  const norm = (s: string) => s.toLowerCase().replace(/\.$/, '')
  if (opts.origin && !records.some((r) => r.type === 'CNAME' && norm(r.content) === norm(opts.origin ?? ''))) {
    return { name, status: 'fail', detail: `record targets ${records.map((r) => r.content).join(', ')}, not the ALB ${opts.origin}` }
  }
  return { name, status: 'pass', detail: records.map((r) => `${r.type} ${r.content} (proxied)`).join(', ') }
}

async function checkSecurityGroup(ec2: EC2Client, cluster: string, cfIpv4: string[]): Promise<Check> {
  const name = 'ALB admits only Cloudflare'
  const sg = await findSecurityGroup(ec2, cluster, 'cloudflare')
  if (!sg) return { name, status: 'fail', detail: `no cloudflare security group for cluster ${cluster} (apply terraform/eks with alb_ingress_source = "cloudflare")` }
  const rules = (await listIngressRules(ec2, sg.groupId)).filter((r) => !r.cidr.includes(':'))
  const missing = cfIpv4.filter((c) => !rules.some((r) => sameCidr(r.cidr, c)))
  const extra = rules.filter((r) => !cfIpv4.some((c) => sameCidr(r.cidr, c))).map((r) => `${r.cidr} (${r.managedBy})`)
  const problems = [
    ...(missing.length ? [`missing ${missing.join(', ')} (re-apply terraform/eks)`] : []),
    ...(extra.length ? [`admits non-Cloudflare ${extra.join(', ')}`] : []),
  ]
  if (problems.length) return { name, status: 'fail', detail: `${sg.groupId}: ${problems.join('; ')}` }
  return { name, status: 'pass', detail: `${sg.groupId} admits the ${cfIpv4.length} current Cloudflare IPv4 ranges and nothing else` }
}

export function formatChecks(checks: Check[]): string {
  return table(['CHECK', 'RESULT', 'DETAIL'], checks.map((c) => [c.name, c.status.toUpperCase(), c.detail]))
}
