import { describe, expect, test } from 'bun:test'
import { CLOUDFLARE_IPS_URL, dnsRecords, fetchCloudflareRanges, findZoneId } from './cloudflare.ts'
import { CF_IPS, fakeFetch } from './fakes.ts'

describe('fetchCloudflareRanges', () => {
  test('returns the published IPv4 and IPv6 ranges', async () => {
    const f = fakeFetch({ [CLOUDFLARE_IPS_URL]: { body: CF_IPS } })
    expect(await fetchCloudflareRanges(f)).toEqual({ ipv4: ['173.245.48.0/20', '104.16.0.0/13'], ipv6: ['2606:4700::/32'], etag: 'abc' })
    expect(f.calls).toEqual([{ url: CLOUDFLARE_IPS_URL, auth: null }])
  })

  test.each([
    ['an API error', { status: 500, body: { success: false, errors: [{ message: 'boom' }] } }, 'Cloudflare API /client/v4/ips failed: boom'],
    ['an empty list', { body: { success: true, result: { ipv4_cidrs: [], ipv6_cidrs: ['2606:4700::/32'] } } }, 'Cloudflare API returned no IPv4 ranges'],
    ['a malformed range', { body: { success: true, result: { ipv4_cidrs: ['104.16.0.1/13'], ipv6_cidrs: ['2606:4700::/32'] } } }, 'has host bits set'],
    ['a v6 range listed as v4', { body: { success: true, result: { ipv4_cidrs: ['2606:4700::/32'], ipv6_cidrs: ['2606:4700::/32'] } } }, 'listed 2606:4700::/32 as IPv4'],
  ])('fails on %s', async (_, route, message) => {
    await expect(fetchCloudflareRanges(fakeFetch({ [CLOUDFLARE_IPS_URL]: route }))).rejects.toThrow(message)
  })
})

describe('zone and records', () => {
  test('walks up the host name to the zone and reads its records with the token', async () => {
    const api = 'https://api.cloudflare.com/client/v4'
    const f = fakeFetch({
      [`${api}/zones?name=llm.example.com`]: { body: { success: true, result: [] } },
      [`${api}/zones?name=example.com`]: { body: { success: true, result: [{ id: 'z1' }] } },
      [`${api}/zones/z1/dns_records?name=llm.example.com`]: {
        body: { success: true, result: [{ type: 'CNAME', name: 'llm.example.com', content: 'k8s-alb.elb.amazonaws.com', proxied: true }] },
      },
    })
    const zone = await findZoneId(f, 'tok', 'llm.example.com')
    expect(await dnsRecords(f, 'tok', zone, 'llm.example.com')).toEqual([
      { type: 'CNAME', name: 'llm.example.com', content: 'k8s-alb.elb.amazonaws.com', proxied: true },
    ])
    expect(f.calls.map((c) => c.auth)).toEqual(['Bearer tok', 'Bearer tok', 'Bearer tok'])
  })

  test('fails when no zone holds the host', async () => {
    const api = 'https://api.cloudflare.com/client/v4'
    const f = fakeFetch({
      [`${api}/zones?name=a.example.com`]: { body: { success: true, result: [] } },
      [`${api}/zones?name=example.com`]: { body: { success: true, result: [] } },
    })
    await expect(findZoneId(f, 'tok', 'a.example.com')).rejects.toThrow('no Cloudflare zone visible to the token holds a.example.com')
  })
})
