import { beforeEach, describe, expect, test } from 'bun:test'
import { DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { CLOUDFLARE_API, CLOUDFLARE_IPS_URL } from './cloudflare.ts'
import { CF_IPS, fakeFetch, TEST_CLIENT_CONFIG } from './fakes.ts'
import { formatChecks, verifyCloudflareDns } from './verify-cloudflare-dns.ts'

const ec2 = new EC2Client(TEST_CLIENT_CONFIG)
const mock = mockClient(ec2)
const ALB = 'k8s-llmgatew-abc-123.us-east-1.elb.amazonaws.com'
const rule = (id: string, cidr: string, managedBy = 'terraform') => ({
  SecurityGroupRuleId: id, IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: cidr, Tags: [{ Key: 'ManagedBy', Value: managedBy }],
})
const zoneRoutes = (record: object) => ({
  [`${CLOUDFLARE_API}/zones?name=llm.example.com`]: { body: { success: true, result: [] } },
  [`${CLOUDFLARE_API}/zones?name=example.com`]: { body: { success: true, result: [{ id: 'z1' }] } },
  [`${CLOUDFLARE_API}/zones/z1/dns_records?name=llm.example.com`]: { body: { success: true, result: [record] } },
})

beforeEach(() => {
  mock.reset()
  mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-cf' }] })
  mock.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [rule('r1', '173.245.48.0/20'), rule('r2', '104.16.0.0/13')] })
})

describe('verifyCloudflareDns', () => {
  test('passes when the name is proxied, the record targets the ALB and the group admits exactly Cloudflare', async () => {
    const fetch = fakeFetch({ [CLOUDFLARE_IPS_URL]: { body: CF_IPS }, ...zoneRoutes({ type: 'CNAME', name: 'llm.example.com', content: `${ALB}.`, proxied: true }) })
    const checks = await verifyCloudflareDns(
      { ec2, fetch, resolve4: async () => ['104.18.32.7', '173.245.48.1'] },
      { cluster: 'llm-gateway', host: 'llm.example.com', origin: ALB, token: 'tok' },
    )
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['DNS resolves to Cloudflare', 'pass'],
      ['Cloudflare record proxied', 'pass'],
      ['ALB admits only Cloudflare', 'pass'],
    ])
    expect(formatChecks(checks)).toContain('ALB admits only Cloudflare  PASS    sg-cf admits the 2 current Cloudflare IPv4 ranges and nothing else')
  })

  test('fails a grey-cloud record that resolves to the ALB, and skips the zone check without a token', async () => {
    const fetch = fakeFetch({ [CLOUDFLARE_IPS_URL]: { body: CF_IPS } })
    const checks = await verifyCloudflareDns({ ec2, fetch, resolve4: async () => ['3.210.1.2'] }, { cluster: 'llm-gateway', host: 'llm.example.com' })
    expect(checks.map((c) => [c.status, c.detail])).toEqual([
      ['fail', "llm.example.com resolves to 3.210.1.2, outside Cloudflare's ranges: the record is not proxied and exposes the origin"],
      ['skip', 'set CLOUDFLARE_API_TOKEN to check the record in the zone'],
      ['pass', 'sg-cf admits the 2 current Cloudflare IPv4 ranges and nothing else'],
    ])
  })

  test('reports an unproxied record, a wrong target, and a name that does not resolve', async () => {
    const grey = fakeFetch({ [CLOUDFLARE_IPS_URL]: { body: CF_IPS }, ...zoneRoutes({ type: 'CNAME', content: ALB, proxied: false }) })
    const nxdomain = async () => { throw new Error('queryA ENOTFOUND llm.example.com') }
    const [dns, rec] = await verifyCloudflareDns({ ec2, fetch: grey, resolve4: nxdomain }, { cluster: 'c', host: 'llm.example.com', token: 't' })
    expect([dns?.detail, rec?.detail]).toEqual(['llm.example.com does not resolve: queryA ENOTFOUND llm.example.com', `CNAME ${ALB} not proxied (grey cloud)`])
    const wrong = fakeFetch({ [CLOUDFLARE_IPS_URL]: { body: CF_IPS }, ...zoneRoutes({ type: 'CNAME', content: 'old-alb.elb.amazonaws.com', proxied: true }) })
    const [, rec2] = await verifyCloudflareDns({ ec2, fetch: wrong, resolve4: async () => ['104.16.0.1'] }, { cluster: 'c', host: 'llm.example.com', token: 't', origin: ALB })
    expect(rec2?.detail).toBe(`record targets old-alb.elb.amazonaws.com, not the ALB ${ALB}`)
  })

  test('reports ranges missing from the group and sources that bypass Cloudflare', async () => {
    mock.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [rule('r1', '173.245.48.0/20'), rule('r9', '203.0.113.7/32', 'llm-gateway-ops')] })
    const fetch = fakeFetch({ [CLOUDFLARE_IPS_URL]: { body: CF_IPS } })
    const [, , sg] = await verifyCloudflareDns({ ec2, fetch, resolve4: async () => ['104.16.0.1'] }, { cluster: 'c', host: 'llm.example.com' })
    expect(sg).toEqual({
      name: 'ALB admits only Cloudflare',
      status: 'fail',
      detail: 'sg-cf: missing 104.16.0.0/13 (re-apply terraform/eks); admits non-Cloudflare 203.0.113.7/32 (llm-gateway-ops)',
    })
  })

  test('fails when there is no cloudflare group', async () => {
    mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] })
    const fetch = fakeFetch({ [CLOUDFLARE_IPS_URL]: { body: CF_IPS } })
    const [, , sg] = await verifyCloudflareDns({ ec2, fetch, resolve4: async () => ['104.16.0.1'] }, { cluster: 'c', host: 'llm.example.com' })
    expect(sg?.status).toBe('fail')
  })
})
