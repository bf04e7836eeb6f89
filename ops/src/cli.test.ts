import { beforeEach, describe, expect, test } from 'bun:test'
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer'
import { AuthorizeSecurityGroupIngressCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2'
import { EKSClient } from '@aws-sdk/client-eks'
import { IAMClient } from '@aws-sdk/client-iam'
import { mockClient } from 'aws-sdk-client-mock'
import { main, type Deps } from './cli.ts'
import { CLOUDFLARE_IPS_URL } from './cloudflare.ts'
import { CF_IPS, fakeFetch, TEST_CLIENT_CONFIG } from './fakes.ts'

const ENV = { AWS_REGION: 'us-east-1', AWS_PROFILE: 'ops' }
const ec2 = new EC2Client(TEST_CLIENT_CONFIG)
const ec2Mock = mockClient(ec2)
const built: string[] = []
const deps: Deps = {
  ec2: (region) => { built.push(`ec2:${region}`); return ec2 },
  eks: () => new EKSClient(TEST_CLIENT_CONFIG),
  iam: () => new IAMClient(TEST_CLIENT_CONFIG),
  costExplorer: () => new CostExplorerClient(TEST_CLIENT_CONFIG),
  fetch: fakeFetch({ [CLOUDFLARE_IPS_URL]: { body: CF_IPS } }),
  resolve4: async () => ['104.16.0.1'],
  now: () => new Date('2026-11-26T00:00:00Z'),
}

async function cli(argv: string[], env: Record<string, string> = ENV) {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, env, { out: (t) => out.push(t), err: (t) => err.push(t) }, deps)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

beforeEach(() => {
  built.length = 0
  ec2Mock.reset()
  ec2Mock.on(DescribeSecurityGroupsCommand).callsFake((input: { Filters?: { Values?: string[] }[] }) => {
    const role = input.Filters?.[0]?.Values?.[0]
    return { SecurityGroups: role === 'isp' ? [{ GroupId: 'sg-isp' }] : [] }
  })
  ec2Mock.on(DescribeSecurityGroupRulesCommand).resolves({
    SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-1', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '198.51.100.0/24', Description: 'office', Tags: [{ Key: 'ManagedBy', Value: 'terraform' }] }],
  })
  ec2Mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-new' }] })
})

describe('input validation, before any AWS call', () => {
  test.each([
    [['eks-allow-ip', '--sg', 'isp', '--desc', 'x'], 'eks-allow-ip: IP is required (e.g. make eks-allow-ip IP=203.0.113.7 SG=isp DESC="alice home")'],
    [['eks-allow-ip', '--ip', '203.0.113.300', '--sg', 'isp', '--desc', 'x'], 'eks-allow-ip: "203.0.113.300" is not an IPv4 or IPv6 address'],
    [['eks-allow-ip', '--ip', '203.0.113.7/24', '--sg', 'isp', '--desc', 'x'], 'eks-allow-ip: "203.0.113.7/24" has host bits set; the network is 203.0.113.0/24'],
    [['eks-allow-ip', '--ip', '0.0.0.0/0', '--sg', 'isp', '--desc', 'x'], 'eks-allow-ip: IP 0.0.0.0/0 would admit the whole internet'],
    [['eks-allow-ip', '--ip', '203.0.113.7', '--sg', 'office', '--desc', 'x'], 'eks-allow-ip: SG must be one of isp, cloudflare (got "office")'],
    [['eks-allow-ip', '--ip', '203.0.113.7', '--sg', 'isp'], 'eks-allow-ip: DESC is required: who or what the source is, e.g. DESC="alice home"'],
    [['eks-revoke-ip', '--ip', '203.0.113.7'], 'eks-revoke-ip: SG is required (e.g. make eks-revoke-ip IP=203.0.113.7 SG=isp)'],
    [['eks-verify-cloudflare-dns'], 'eks-verify-cloudflare-dns: HOST is required (e.g. make eks-verify-cloudflare-dns HOST=llm.example.com)'],
    [['aws-costs', '--tag', 'Project'], 'aws-costs: TAG must be Key=Value (got "Project")'],
    [['nope'], 'nope: unknown command "nope"'],
    [['eks-list-ips', '--bogus'], "eks-list-ips: Unknown option '--bogus'"],
  ])('%p exits 2 with one line', async (argv, message) => {
    const r = await cli(argv)
    expect([r.code, r.err.split('\n')[0]?.startsWith(message), r.err.includes('\n'), built]).toEqual([2, true, false, []])
  })

  test.each([
    [['eks-list-ips'], {}, 'eks-list-ips: AWS_REGION is not set (e.g. export AWS_REGION=us-east-1)'],
    [['iam-report'], { AWS_REGION: 'us-east-1' }, 'iam-report: AWS_PROFILE is not set (nor AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY): no AWS credentials to use'],
    [['aws-costs'], { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE' }, 'aws-costs: AWS_SECRET_ACCESS_KEY is not set (the other half of the key pair is)'],
  ])('%p without credentials names the missing variable', async (argv, env, message) => {
    expect(await cli(argv, env)).toEqual({ code: 2, out: '', err: message })
  })
})

describe('commands', () => {
  test('eks-allow-ip adds /32 to a bare IP', async () => {
    const r = await cli(['eks-allow-ip', '--ip', '203.0.113.7', '--sg', 'isp', '--desc', 'alice home'])
    expect(r).toEqual({ code: 0, out: 'allowed 203.0.113.7/32 on HTTPS in sg-isp (isp), rule sgr-new', err: '' })
    expect(ec2Mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]?.args[0].input.IpPermissions?.[0]?.IpRanges).toEqual([
      { CidrIp: '203.0.113.7/32', Description: 'alice home' },
    ])
  })

  test('eks-list-ips prints both groups, noting a missing one', async () => {
    const r = await cli(['eks-list-ips'], { ...ENV, EKS_CLUSTER: 'prod' })
    expect(r.code).toBe(0)
    expect(r.out.split('\n')).toEqual([
      'ALB ingress of cluster prod',
      'SG          GROUP   CIDR             PORTS    MANAGED BY  DESCRIPTION',
      '----------  ------  ---------------  -------  ----------  -----------',
      'isp         sg-isp  198.51.100.0/24  tcp/443  terraform   office',
      'cloudflare  -       (no group)',
    ])
  })

  test('eks-revoke-ip refuses a Terraform-managed rule with exit 1 and one line', async () => {
    expect(await cli(['eks-revoke-ip', '--ip', '198.51.100.0/24', '--sg', 'isp'])).toEqual({
      code: 1,
      out: '',
      err: 'eks-revoke-ip: 198.51.100.0/24 in sg-isp is managed by Terraform (sgr-1): remove it from alb_allowed_cidrs, or FORCE=1',
    })
  })

  test('eks-verify-cloudflare-dns exits 1 when a check fails', async () => {
    const r = await cli(['eks-verify-cloudflare-dns', '--host', 'llm.example.com'])
    expect(r.code).toBe(1)
    expect(r.out).toContain('ALB admits only Cloudflare  FAIL')
  })

  test('an AWS error is one line, exit 1', async () => {
    ec2Mock.on(DescribeSecurityGroupsCommand).rejects(Object.assign(new Error('You are not authorized to perform this operation.\nEncoded: xyz'), { name: 'UnauthorizedOperation' }))
    expect(await cli(['eks-list-ips'])).toEqual({ code: 1, out: '', err: 'eks-list-ips: UnauthorizedOperation: You are not authorized to perform this operation.' })
  })

  test('--help prints the usage', async () => {
    const r = await cli(['--help'])
    expect([r.code, r.out.split('\n')[0]]).toEqual([0, expect.stringMatching(/^usage: bun ops\/src\/cli.ts <command>/)])
  })
})
