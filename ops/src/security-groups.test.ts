import { beforeEach, describe, expect, test } from 'bun:test'
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { TEST_CLIENT_CONFIG } from './fakes.ts'
import { allowCidr, listIngressRules, parseDescription, parseSgRole, revokeCidr } from './security-groups.ts'

const ec2 = new EC2Client(TEST_CLIENT_CONFIG)
const mock = mockClient(ec2)

const GROUP = { GroupId: 'sg-isp', GroupName: 'llm-gateway-alb-isp' }
const tfRule = { SecurityGroupRuleId: 'sgr-tf', GroupId: 'sg-isp', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '198.51.100.0/24', Description: 'office', Tags: [{ Key: 'ManagedBy', Value: 'terraform' }] }
const opsRule = { SecurityGroupRuleId: 'sgr-ops', GroupId: 'sg-isp', IsEgress: false, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '203.0.113.7/32', Description: 'alice home', Tags: [{ Key: 'ManagedBy', Value: 'llm-gateway-ops' }] }
const egress = { SecurityGroupRuleId: 'sgr-eg', GroupId: 'sg-isp', IsEgress: true, IpProtocol: 'tcp', FromPort: 1024, ToPort: 65535, CidrIpv4: '10.0.0.0/16' }

beforeEach(() => {
  mock.reset()
  mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [GROUP] })
  mock.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [tfRule, opsRule, egress] })
})

describe('listIngressRules', () => {
  test('lists CIDR ingress rules with who manages them, paging through results', async () => {
    mock.on(DescribeSecurityGroupRulesCommand)
      .resolvesOnce({ SecurityGroupRules: [opsRule, egress], NextToken: 'p2' })
      .resolvesOnce({ SecurityGroupRules: [tfRule] })
    expect(await listIngressRules(ec2, 'sg-isp')).toEqual([
      { ruleId: 'sgr-tf', cidr: '198.51.100.0/24', protocol: 'tcp', fromPort: 443, toPort: 443, description: 'office', managedBy: 'terraform' },
      { ruleId: 'sgr-ops', cidr: '203.0.113.7/32', protocol: 'tcp', fromPort: 443, toPort: 443, description: 'alice home', managedBy: 'llm-gateway-ops' },
    ])
    expect(mock.commandCalls(DescribeSecurityGroupRulesCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'p2'])
  })
})

describe('allowCidr', () => {
  test('finds the group by its tags and adds an HTTPS rule tagged as added by the ops tools', async () => {
    mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true, SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-new' }] })
    const r = await allowCidr(ec2, 'llm-gateway', 'isp', '192.0.2.10/32', 'bob laptop')
    expect(r).toEqual({ status: 'added', group: { role: 'isp', groupId: 'sg-isp', groupName: 'llm-gateway-alb-isp' }, cidr: '192.0.2.10/32', ruleId: 'sgr-new' })
    expect(mock.commandCalls(DescribeSecurityGroupsCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: 'tag:llm-gateway/alb-ingress', Values: ['isp'] },
      { Name: 'tag:llm-gateway/cluster', Values: ['llm-gateway'] },
    ])
    expect(mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
      GroupId: 'sg-isp',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '192.0.2.10/32', Description: 'bob laptop' }] }],
      TagSpecifications: [{ ResourceType: 'security-group-rule', Tags: [{ Key: 'ManagedBy', Value: 'llm-gateway-ops' }] }],
    })
  })

  test('uses Ipv6Ranges for an IPv6 CIDR', async () => {
    mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true })
    await allowCidr(ec2, 'llm-gateway', 'isp', '2001:db8::1/128', 'v6 host')
    expect(mock.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]?.args[0].input.IpPermissions?.[0]?.Ipv6Ranges).toEqual([
      { CidrIpv6: '2001:db8::1/128', Description: 'v6 host' },
    ])
  })

  test('is idempotent: an already allowed CIDR changes nothing', async () => {
    const r = await allowCidr(ec2, 'llm-gateway', 'isp', '203.0.113.7/32', 'again')
    expect([r.status, r.ruleId, mock.commandCalls(AuthorizeSecurityGroupIngressCommand).length]).toEqual(['already-allowed', 'sgr-ops', 0])
  })

  test('names the missing group and how Terraform creates it', async () => {
    mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] })
    await expect(allowCidr(ec2, 'llm-gateway', 'cloudflare', '192.0.2.10/32', 'x')).rejects.toThrow(
      'no security group tagged llm-gateway/alb-ingress=cloudflare for cluster llm-gateway (terraform/eks creates it when alb_ingress_source = "cloudflare")',
    )
  })

  test('refuses to guess between several tagged groups', async () => {
    mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [GROUP, { GroupId: 'sg-2' }] })
    await expect(allowCidr(ec2, 'llm-gateway', 'isp', '192.0.2.10/32', 'x')).rejects.toThrow('2 security groups are tagged')
  })
})

describe('revokeCidr', () => {
  test('removes the rules for a CIDR the ops tools added', async () => {
    mock.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true })
    const r = await revokeCidr(ec2, 'llm-gateway', 'isp', '203.0.113.7/32', false)
    expect(r.ruleIds).toEqual(['sgr-ops'])
    expect(mock.commandCalls(RevokeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({ GroupId: 'sg-isp', SecurityGroupRuleIds: ['sgr-ops'] })
  })

  test('refuses a Terraform-managed rule unless forced', async () => {
    mock.on(RevokeSecurityGroupIngressCommand).resolves({ Return: true })
    await expect(revokeCidr(ec2, 'llm-gateway', 'isp', '198.51.100.0/24', false)).rejects.toThrow(
      '198.51.100.0/24 in sg-isp is managed by Terraform (sgr-tf): remove it from alb_allowed_cidrs, or FORCE=1',
    )
    expect(mock.commandCalls(RevokeSecurityGroupIngressCommand).length).toBe(0)
    expect((await revokeCidr(ec2, 'llm-gateway', 'isp', '198.51.100.0/24', true)).ruleIds).toEqual(['sgr-tf'])
  })

  test('fails when no rule matches', async () => {
    await expect(revokeCidr(ec2, 'llm-gateway', 'isp', '192.0.2.99/32', false)).rejects.toThrow('sg-isp (isp) has no ingress rule for 192.0.2.99/32')
  })
})

describe('input validation', () => {
  test.each([['isp'], ['cloudflare'], [' isp ']])('SG=%p is accepted', (sg) => {
    expect(parseSgRole(sg)).toBe(sg.trim() as 'isp' | 'cloudflare')
  })
  test.each([[''], ['office'], [undefined]])('SG=%p is refused', (sg) => {
    expect(() => parseSgRole(sg)).toThrow('SG must be one of isp, cloudflare')
  })
  test.each([
    ['', 'DESC is required'],
    [undefined, 'DESC is required'],
    ["o'brien", 'DESC may hold at most 255 letters'],
    ['x'.repeat(256), 'DESC may hold at most 255 letters'],
  ])('DESC=%p is refused: %s', (desc, message) => {
    expect(() => parseDescription(desc)).toThrow(message)
  })
  test('DESC allows the characters AWS allows', () => {
    expect(parseDescription(' alice (home) #42: vpn/2026 ')).toBe('alice (home) #42: vpn/2026')
  })
})
