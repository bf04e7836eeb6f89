#!/usr/bin/env bun
/**
 * Operations CLI behind the Makefile's eks-* / aws-* / iam-* targets.
 * `bun ops/src/cli.ts <command> [flags]`; `--help` lists them.
 * Exit codes: 0 done, 1 failed (or a check failed), 2 bad input or environment.
 */
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer'
import { EC2Client } from '@aws-sdk/client-ec2'
import { EKSClient } from '@aws-sdk/client-eks'
import { IAMClient } from '@aws-sdk/client-iam'
import { resolve4 } from 'node:dns/promises'
import { parseArgs } from 'node:util'
import { normalizeCidr } from './cidr.ts'
import type { FetchLike } from './cloudflare.ts'
import { costReport, formatCostReport, tagFilter } from './costs.ts'
import { clusterName, requireAws, requireAwsCredentials, type Env } from './env.ts'
import { OpsError, UsageError } from './errors.ts'
import { formatIamReport, iamReport } from './iam-report.ts'
import { allowCidr, findSecurityGroup, listIngressRules, parseDescription, parseSgRole, revokeCidr, SG_ROLES } from './security-groups.ts'
import { table } from './table.ts'
import { formatChecks, verifyCloudflareDns, type Resolve4 } from './verify-cloudflare-dns.ts'

export const USAGE = `usage: bun ops/src/cli.ts <command> [flags]   (environment: AWS_REGION, AWS_PROFILE or keys, EKS_CLUSTER=llm-gateway)
  eks-list-ips                                  ingress rules of the ALB security groups (isp, cloudflare)
  eks-allow-ip --ip IP|CIDR --sg isp|cloudflare --desc TEXT
                                                admit a source on HTTPS (a bare IP becomes /32 or /128)
  eks-revoke-ip --ip IP|CIDR --sg isp|cloudflare [--force]
                                                remove it (--force for a rule Terraform manages)
  aws-costs [--tag Key=Value]                   month to date by service and by day, previous month by service
  iam-report                                    IRSA roles -> ServiceAccounts, their policies, node roles
  eks-verify-cloudflare-dns --host NAME [--origin ALB_DNS_NAME]
                                                the name is proxied by Cloudflare and the ALB admits only Cloudflare
                                                (CLOUDFLARE_API_TOKEN enables the zone record check)`

export interface Io {
  out(text: string): void
  err(text: string): void
}

export interface Deps {
  ec2(region: string): EC2Client
  eks(region: string): EKSClient
  iam(region: string): IAMClient
  costExplorer(): CostExplorerClient
  fetch: FetchLike
  resolve4: Resolve4
  now(): Date
}

export const realDeps: Deps = {
  ec2: (region) => new EC2Client({ region }),
  eks: (region) => new EKSClient({ region }),
  iam: (region) => new IAMClient({ region }),
  // Cost Explorer has a single endpoint, in us-east-1.
  costExplorer: () => new CostExplorerClient({ region: 'us-east-1' }),
  fetch: (url, init) => fetch(url, init),
  resolve4: (host) => resolve4(host),
  now: () => new Date(),
}

type Flags = { ip?: string; sg?: string; desc?: string; force?: boolean; host?: string; origin?: string; tag?: string; help?: boolean }

function required(value: string | undefined, name: string, example: string): string {
  if (!value || value.trim() === '') throw new UsageError(`${name} is required (e.g. ${example})`)
  return value.trim()
}

function cidrFlag(value: string | undefined, example: string): string {
  const cidr = normalizeCidr(required(value, 'IP', example))
  if (cidr === '0.0.0.0/0' || cidr === '::/0') throw new UsageError(`IP ${cidr} would admit the whole internet`)
  return cidr
}

async function run(command: string, flags: Flags, env: Env, deps: Deps, io: Io): Promise<number> {
  switch (command) {
    case 'eks-list-ips': {
      const { region } = requireAws(env)
      const ec2 = deps.ec2(region)
      const cluster = clusterName(env)
      const rows: string[][] = []
      for (const role of SG_ROLES) {
        const sg = await findSecurityGroup(ec2, cluster, role)
        if (!sg) { rows.push([role, '-', '(no group)', '', '', '']); continue }
        for (const r of await listIngressRules(ec2, sg.groupId)) {
          const ports = r.protocol === '-1' ? 'all' : r.fromPort === r.toPort ? `${r.protocol}/${r.fromPort}` : `${r.protocol}/${r.fromPort}-${r.toPort}`
          rows.push([role, sg.groupId, r.cidr, ports, r.managedBy, r.description])
        }
      }
      io.out(`ALB ingress of cluster ${cluster}\n${table(['SG', 'GROUP', 'CIDR', 'PORTS', 'MANAGED BY', 'DESCRIPTION'], rows)}`)
      return 0
    }
    case 'eks-allow-ip': {
      const example = 'make eks-allow-ip IP=203.0.113.7 SG=isp DESC="alice home"'
      const cidr = cidrFlag(flags.ip, example)
      const role = parseSgRole(required(flags.sg, 'SG', example))
      const desc = parseDescription(flags.desc)
      const { region } = requireAws(env)
      const r = await allowCidr(deps.ec2(region), clusterName(env), role, cidr, desc)
      io.out(r.status === 'added'
        ? `allowed ${cidr} on HTTPS in ${r.group.groupId} (${role}), rule ${r.ruleId}`
        : `${cidr} is already allowed in ${r.group.groupId} (${role}), rule ${r.ruleId}`)
      return 0
    }
    case 'eks-revoke-ip': {
      const example = 'make eks-revoke-ip IP=203.0.113.7 SG=isp'
      const cidr = cidrFlag(flags.ip, example)
      const role = parseSgRole(required(flags.sg, 'SG', example))
      const { region } = requireAws(env)
      const r = await revokeCidr(deps.ec2(region), clusterName(env), role, cidr, flags.force === true)
      io.out(`revoked ${cidr} from ${r.group.groupId} (${role}): ${r.ruleIds.join(', ')}`)
      return 0
    }
    case 'aws-costs': {
      const filter = tagFilter(flags.tag)
      requireAwsCredentials(env)
      io.out(formatCostReport(await costReport(deps.costExplorer(), deps.now(), filter)))
      return 0
    }
    case 'iam-report': {
      const { region } = requireAws(env)
      io.out(formatIamReport(await iamReport({ iam: deps.iam(region), eks: deps.eks(region) }, clusterName(env))))
      return 0
    }
    case 'eks-verify-cloudflare-dns': {
      const host = required(flags.host, 'HOST', 'make eks-verify-cloudflare-dns HOST=llm.example.com').toLowerCase()
      if (!/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(host)) throw new UsageError(`HOST "${host}" is not a DNS name`)
      const { region } = requireAws(env)
      const checks = await verifyCloudflareDns(
        { ec2: deps.ec2(region), fetch: deps.fetch, resolve4: deps.resolve4 },
        { cluster: clusterName(env), host, origin: flags.origin || undefined, token: env.CLOUDFLARE_API_TOKEN || undefined },
      )
      io.out(formatChecks(checks))
      return checks.some((c) => c.status === 'fail') ? 1 : 0
    }
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

/** Runs one command; every failure is reported as one line on stderr. */
export async function main(argv: string[], env: Env, io: Io, deps: Deps = realDeps): Promise<number> {
  let command = argv[0] ?? ''
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ip: { type: 'string' }, sg: { type: 'string' }, desc: { type: 'string' }, force: { type: 'boolean' },
        host: { type: 'string' }, origin: { type: 'string' }, tag: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    })
    command = positionals[0] ?? ''
    if (values.help || command === '' || command === 'help') {
      io.out(USAGE)
      return command === '' && !values.help ? 2 : 0
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`)
    return await run(command, values, env, deps, io)
  } catch (e) {
    const err = e as Error
    const prefix = command ? `${command}: ` : ''
    if (e instanceof UsageError || err.name === 'CidrError' || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${prefix}${err.message}`)
      return 2
    }
    io.err(e instanceof OpsError ? `${prefix}${err.message}` : `${prefix}${err.name}: ${err.message.split('\n')[0]}`)
    return 1
  }
}

if (import.meta.main) {
  const io: Io = { out: (t) => console.log(t), err: (t) => console.error(t) }
  process.exit(await main(process.argv.slice(2), process.env, io))
}
