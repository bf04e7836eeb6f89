/**
 * The ALB's security groups, found by the tags terraform/modules/alb-ingress-security-groups
 * puts on them, and the ingress rules in them: list, allow a CIDR, revoke a CIDR.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type SecurityGroupRule,
} from '@aws-sdk/client-ec2'
import { parseCidr, sameCidr } from './cidr.ts'
import { OpsError, UsageError } from './errors.ts'

/** Tag keys shared with Terraform (terraform/tests asserts they match). */
export const ROLE_TAG = 'llm-gateway/alb-ingress'
export const CLUSTER_TAG = 'llm-gateway/cluster'
export const MANAGED_BY_TAG = 'ManagedBy'
/** ManagedBy value of the rules these tools add. */
export const OPS_MANAGER = 'llm-gateway-ops'
export const SG_ROLES = ['isp', 'cloudflare'] as const
export type SgRole = (typeof SG_ROLES)[number]
/** The ALB listens on HTTPS only. */
export const HTTPS_PORT = 443

export interface IngressRule {
  ruleId: string
  cidr: string
  protocol: string
  fromPort: number | undefined
  toPort: number | undefined
  description: string
  managedBy: string
}

export interface SecurityGroupRef {
  role: SgRole
  groupId: string
  groupName: string
}

export function parseSgRole(value: string | undefined): SgRole {
  const role = (value ?? '').trim()
  if (!(SG_ROLES as readonly string[]).includes(role)) throw new UsageError(`SG must be one of ${SG_ROLES.join(', ')} (got "${role}")`)
  return role as SgRole
}

// AWS accepts these characters in a rule description, up to 255 of them.
const DESCRIPTION = /^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/

export function parseDescription(value: string | undefined): string {
  const desc = (value ?? '').trim()
  if (desc === '') throw new UsageError('DESC is required: who or what the source is, e.g. DESC="alice home"')
  if (!DESCRIPTION.test(desc)) {
    throw new UsageError('DESC may hold at most 255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* (AWS rule description)')
  }
  return desc
}

/** The one security group of `role` for `cluster`, undefined when there is none; fails when there are several. */
export async function findSecurityGroup(ec2: EC2Client, cluster: string, role: SgRole): Promise<SecurityGroupRef | undefined> {
  const out = await ec2.send(new DescribeSecurityGroupsCommand({
    Filters: [
      { Name: `tag:${ROLE_TAG}`, Values: [role] },
      { Name: `tag:${CLUSTER_TAG}`, Values: [cluster] },
    ],
  }))
  const groups = out.SecurityGroups ?? []
  if (groups.length > 1) throw new OpsError(`${groups.length} security groups are tagged ${ROLE_TAG}=${role} for cluster ${cluster}; expected one`)
  const g = groups[0]
  return g?.GroupId ? { role, groupId: g.GroupId, groupName: g.GroupName ?? '' } : undefined
}

export async function requireSecurityGroup(ec2: EC2Client, cluster: string, role: SgRole): Promise<SecurityGroupRef> {
  const sg = await findSecurityGroup(ec2, cluster, role)
  if (!sg) {
    const hint = role === 'cloudflare' ? ' (terraform/eks creates it when alb_ingress_source = "cloudflare")' : ''
    throw new OpsError(`no security group tagged ${ROLE_TAG}=${role} for cluster ${cluster}${hint}`)
  }
  return sg
}

export async function listIngressRules(ec2: EC2Client, groupId: string): Promise<IngressRule[]> {
  const rules: SecurityGroupRule[] = []
  let NextToken: string | undefined
  do {
    const out = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }], NextToken }))
    rules.push(...(out.SecurityGroupRules ?? []))
    NextToken = out.NextToken
  } while (NextToken)
  return rules
    .filter((r) => !r.IsEgress && (r.CidrIpv4 || r.CidrIpv6))
    .map((r) => ({
      ruleId: r.SecurityGroupRuleId ?? '',
      cidr: r.CidrIpv4 ?? r.CidrIpv6 ?? '',
      protocol: r.IpProtocol ?? '',
      fromPort: r.FromPort,
      toPort: r.ToPort,
      description: r.Description ?? '',
      managedBy: r.Tags?.find((t) => t.Key === MANAGED_BY_TAG)?.Value ?? 'unknown',
    }))
    .sort((a, b) => a.cidr.localeCompare(b.cidr))
}

export interface AllowResult {
  status: 'added' | 'already-allowed'
  group: SecurityGroupRef
  cidr: string
  ruleId: string
}

/** Adds an HTTPS ingress rule for `cidr` (already normalised) unless one exists; tagged as ours. */
export async function allowCidr(ec2: EC2Client, cluster: string, role: SgRole, cidr: string, description: string): Promise<AllowResult> {
  const group = await requireSecurityGroup(ec2, cluster, role)
  const existing = (await listIngressRules(ec2, group.groupId)).find((r) => sameCidr(r.cidr, cidr) && coversHttps(r))
  if (existing) return { status: 'already-allowed', group, cidr, ruleId: existing.ruleId }
  const v6 = parseCidr(cidr).version === 6
  const out = await ec2.send(new AuthorizeSecurityGroupIngressCommand({
    GroupId: group.groupId,
    IpPermissions: [{
      IpProtocol: 'tcp',
      FromPort: HTTPS_PORT,
      ToPort: HTTPS_PORT,
      ...(v6 ? { Ipv6Ranges: [{ CidrIpv6: cidr, Description: description }] } : { IpRanges: [{ CidrIp: cidr, Description: description }] }),
    }],
    TagSpecifications: [{ ResourceType: 'security-group-rule', Tags: [{ Key: MANAGED_BY_TAG, Value: OPS_MANAGER }] }],
  }))
  return { status: 'added', group, cidr, ruleId: out.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? '' }
}

export interface RevokeResult {
  group: SecurityGroupRef
  cidr: string
  ruleIds: string[]
}

/**
 * Removes the ingress rules for `cidr`. Rules Terraform manages are refused
 * unless `force` (the next apply would put them back): change alb_allowed_cidrs instead.
 */
export async function revokeCidr(ec2: EC2Client, cluster: string, role: SgRole, cidr: string, force: boolean): Promise<RevokeResult> {
  const group = await requireSecurityGroup(ec2, cluster, role)
  const matches = (await listIngressRules(ec2, group.groupId)).filter((r) => sameCidr(r.cidr, cidr))
  if (matches.length === 0) throw new OpsError(`${group.groupId} (${role}) has no ingress rule for ${cidr}`)
  const managed = matches.filter((r) => r.managedBy === 'terraform')
  if (managed.length > 0 && !force) {
    throw new OpsError(`${cidr} in ${group.groupId} is managed by Terraform (${managed.map((r) => r.ruleId).join(', ')}): remove it from alb_allowed_cidrs, or FORCE=1`)
  }
  const ruleIds = matches.map((r) => r.ruleId)
  await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group.groupId, SecurityGroupRuleIds: ruleIds }))
  return { group, cidr, ruleIds }
}

function coversHttps(r: IngressRule): boolean {
  if (r.protocol === '-1') return true
  return r.protocol === 'tcp' && (r.fromPort ?? 0) <= HTTPS_PORT && HTTPS_PORT <= (r.toPort ?? 0)
}
