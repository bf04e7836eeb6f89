/**
 * Which IAM roles pods of the cluster can assume (IRSA), for which
 * ServiceAccount, with what policies, and what looks too broad; plus the node
 * roles (unreachable from pods: IMDSv2 with hop limit 1).
 */
import { DescribeClusterCommand, DescribeNodegroupCommand, ListNodegroupsCommand, type EKSClient } from '@aws-sdk/client-eks'
import {
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  type IAMClient,
  type Role,
} from '@aws-sdk/client-iam'
import { OpsError } from './errors.ts'
import { table } from './table.ts'

/** The parts of an IAM policy statement the report reads. */
export interface Statement {
  Effect?: string
  Action?: string | string[]
  Resource?: string | string[]
  Principal?: { Federated?: string | string[] } | string
  Condition?: Record<string, Record<string, string | string[]>>
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** IAM returns policy documents URL-encoded. */
export function decodePolicy(doc: string | undefined): Statement[] {
  if (!doc) return []
  const parsed = JSON.parse(decodeURIComponent(doc)) as { Statement?: Statement | Statement[] }
  return list(parsed.Statement)
}

export interface Trust {
  serviceAccounts: string[]
  warnings: string[]
}

/** How a role's trust policy admits tokens of the cluster's OIDC issuer; null when it does not. */
export function irsaTrust(statements: Statement[], issuerHost: string): Trust | null {
  const relevant = statements.filter((s) =>
    s.Effect === 'Allow' &&
    list(s.Action).includes('sts:AssumeRoleWithWebIdentity') &&
    typeof s.Principal === 'object' &&
    list(s.Principal.Federated).some((p) => p.endsWith(`:oidc-provider/${issuerHost}`)),
  )
  if (relevant.length === 0) return null
  const serviceAccounts: string[] = []
  const warnings: string[] = []
  for (const s of relevant) {
    const values = (key: string) => Object.entries(s.Condition ?? {}).flatMap(([op, c]) => list(c[`${issuerHost}:${key}`]).map((v) => ({ op, v })))
    const subs = values('sub')
    if (subs.length === 0) warnings.push('no sub condition: any ServiceAccount in the cluster can assume it')
    for (const { op, v } of subs) {
      serviceAccounts.push(v.replace(/^system:serviceaccount:/, '').replace(':', '/'))
      if (op.startsWith('StringLike') && /[*?]/.test(v)) warnings.push(`wildcard subject ${v}`)
    }
    if (!values('aud').some(({ v }) => v === 'sts.amazonaws.com')) warnings.push('audience not pinned to sts.amazonaws.com')
  }
  return { serviceAccounts, warnings }
}

/** Wildcards in a permissions policy: "*" or "service:*" actions, and statements on Resource "*". */
export function policyWarnings(name: string, statements: Statement[]): string[] {
  const out: string[] = []
  const allows = statements.filter((s) => s.Effect === 'Allow')
  for (const a of allows.flatMap((s) => list(s.Action)).filter((a) => a === '*' || a.endsWith(':*'))) out.push(`${name}: wildcard action ${a}`)
  const anyResource = allows.filter((s) => list(s.Resource).includes('*')).length
  if (anyResource > 0) out.push(`${name}: ${anyResource} statement(s) on Resource "*"`)
  return out
}

export interface IrsaRole {
  role: string
  serviceAccounts: string[]
  policies: string[]
  warnings: string[]
}

export interface NodeRole {
  nodegroup: string
  role: string
  policies: string[]
}

export interface IamReport {
  cluster: string
  issuer: string
  irsa: IrsaRole[]
  nodeRoles: NodeRole[]
}

async function allRoles(iam: IAMClient): Promise<Role[]> {
  const roles: Role[] = []
  let Marker: string | undefined
  do {
    const out = await iam.send(new ListRolesCommand({ Marker }))
    roles.push(...(out.Roles ?? []))
    Marker = out.IsTruncated ? out.Marker : undefined
  } while (Marker)
  return roles
}

async function attachedPolicies(iam: IAMClient, role: string): Promise<string[]> {
  const out = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))
  return (out.AttachedPolicies ?? []).map((p) => p.PolicyName ?? '?')
}

export async function iamReport(clients: { iam: IAMClient; eks: EKSClient }, cluster: string): Promise<IamReport> {
  const { iam, eks } = clients
  const described = await eks.send(new DescribeClusterCommand({ name: cluster }))
  const issuer = described.cluster?.identity?.oidc?.issuer
  if (!issuer) throw new OpsError(`cluster ${cluster} has no OIDC issuer`)
  const issuerHost = issuer.replace(/^https:\/\//, '')

  const irsa: IrsaRole[] = []
  for (const role of await allRoles(iam)) {
    const trust = irsaTrust(decodePolicy(role.AssumeRolePolicyDocument), issuerHost)
    if (!trust || !role.RoleName) continue
    const warnings = [...trust.warnings]
    const inline = (await iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }))).PolicyNames ?? []
    for (const name of inline) {
      const doc = await iam.send(new GetRolePolicyCommand({ RoleName: role.RoleName, PolicyName: name }))
      warnings.push(...policyWarnings(name, decodePolicy(doc.PolicyDocument)))
    }
    const policies = [...(await attachedPolicies(iam, role.RoleName)), ...inline.map((n) => `${n} (inline)`)]
    irsa.push({ role: role.RoleName, serviceAccounts: trust.serviceAccounts, policies, warnings })
  }

  const nodeRoles: NodeRole[] = []
  for (const nodegroup of (await eks.send(new ListNodegroupsCommand({ clusterName: cluster }))).nodegroups ?? []) {
    const ng = await eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: nodegroup }))
    const role = ng.nodegroup?.nodeRole?.split('/').pop() ?? '?'
    nodeRoles.push({ nodegroup, role, policies: await attachedPolicies(iam, role) })
  }
  return { cluster, issuer, irsa: irsa.sort((a, b) => a.role.localeCompare(b.role)), nodeRoles }
}

export function formatIamReport(r: IamReport): string {
  const irsaRows = r.irsa.map((x) => [x.role, x.serviceAccounts.join(', ') || '-', x.policies.join(', ') || '-', x.warnings.join('; ') || 'ok'])
  const nodeRows = r.nodeRoles.map((n) => [n.nodegroup, n.role, n.policies.join(', ')])
  return [
    `Cluster ${r.cluster}, OIDC issuer ${r.issuer}`,
    '',
    `IRSA roles (${r.irsa.length}): IAM role -> Kubernetes ServiceAccount`,
    table(['ROLE', 'SERVICE ACCOUNT', 'POLICIES', 'WARNINGS'], irsaRows),
    '',
    'Node roles (not reachable from pods: IMDSv2, hop limit 1)',
    table(['NODE GROUP', 'ROLE', 'POLICIES'], nodeRows),
  ].join('\n')
}
