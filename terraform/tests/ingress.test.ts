import { describe, expect, test } from 'bun:test'
import { CLUSTER_TAG, ROLE_TAG, SG_ROLES } from '../../ops/src/security-groups.ts'
import { CLOUDFLARE_IPS_URL } from '../../ops/src/cloudflare.ts'
import { dataSource, loadModule, moduleCall, resource } from './hcl.ts'

describe('ALB security groups', () => {
  test('admit only the HTTPS listener port, from configured CIDRs or Cloudflare ranges', async () => {
    const sg = await loadModule('modules/alb-ingress-security-groups')
    const rules = sg.resource.aws_vpc_security_group_ingress_rule ?? {}
    expect(Object.keys(rules).sort()).toEqual(['cloudflare', 'isp'])
    for (const r of Object.values(rules)) {
      expect([r.ip_protocol, r.from_port, r.to_port]).toEqual(['tcp', '${var.listener_port}', '${var.listener_port}'])
    }
    expect([rules.isp?.for_each, rules.cloudflare?.for_each]).toEqual(['${local.isp_cidrs}', '${local.cf_cidrs}'])
    expect(sg.locals.cf_cidrs).toBe('${var.enable_cloudflare ? toset(var.cloudflare_cidrs) : toset([])}')
    expect(sg.variable.listener_port?.default).toBe(443)
  })

  test('are tagged with the keys the ops tools look for', async () => {
    const sg = await loadModule('modules/alb-ingress-security-groups')
    expect([sg.locals.role_tag, sg.locals.cluster_tag]).toEqual([ROLE_TAG, CLUSTER_TAG])
    const roles = ['isp', 'cloudflare'].map((n) => String(resource(sg, 'aws_security_group', n).tags).match(/\(local\.role_tag\) = "(\w+)"/)?.[1])
    expect(roles).toEqual([...SG_ROLES])
  })

  test('a variable chooses the source; the whole internet is refused', async () => {
    const eks = await loadModule('eks')
    expect(eks.variable.alb_ingress_source?.default).toBe('isp')
    expect(String(eks.variable.alb_ingress_source?.validation && JSON.stringify(eks.variable.alb_ingress_source.validation))).toContain('contains([\\"isp\\", \\"cloudflare\\"]')
    const cidrCheck = JSON.stringify(eks.variable.alb_allowed_cidrs?.validation)
    expect(cidrCheck).toContain('c != \\"0.0.0.0/0\\"')
    expect(cidrCheck).toContain('c != \\"::/0\\"')
    expect(moduleCall(eks, 'alb_security_groups')).toMatchObject({
      source: '../modules/alb-ingress-security-groups',
      isp_cidrs: '${var.alb_allowed_cidrs}',
      enable_cloudflare: '${var.alb_ingress_source == "cloudflare"}',
      cloudflare_cidrs: '${local.cloudflare_cidrs}',
    })
  })

  test("Cloudflare's ranges come from its published API, read only in cloudflare mode", async () => {
    const eks = await loadModule('eks')
    const http = dataSource(eks, 'http', 'cloudflare_ips')
    expect([http.url, http.count]).toEqual([CLOUDFLARE_IPS_URL, '${var.alb_ingress_source == "cloudflare" ? 1 : 0}'])
  })
})

describe('gateway release (terraform/eks)', () => {
  test('deploys helm/llm-gateway by path into the namespace created here', async () => {
    const eks = await loadModule('eks')
    const release = resource(eks, 'helm_release', 'gateway')
    expect([release.chart, release.namespace]).toEqual(['${path.module}/../../helm/llm-gateway', '${kubernetes_namespace_v1.this.metadata[0].name}'])
  })

  test('passes the image from the registry, the IRSA role, the certificate and the ALB security groups', async () => {
    const eks = await loadModule('eks')
    const values = String(eks.locals.chart_values)
    for (const line of [
      /repository\s+= data\.aws_ecr_repository\.gateway\.repository_url/,
      /tag\s+= var\.image_tag/,
      /name\s+= var\.service_account_name/,
      /roleArn = module\.gateway_irsa\.arn/,
      /className\s+= "alb"/,
      /host\s+= var\.hostname/,
      /annotations = local\.ingress_annotations/,
      /scheme\s+= "internet-facing"/,
      /certificateArn\s+= var\.acm_certificate_arn/,
    ]) expect(values).toMatch(line)
    expect(eks.locals.ingress_annotations).toMatchObject({
      'alb.ingress.kubernetes.io/security-groups': '${join(",", module.alb_security_groups.security_group_ids)}',
      'alb.ingress.kubernetes.io/manage-backend-security-group-rules': 'true',
    })
  })

  test('the ServiceAccount the chart creates is the one the IRSA role trusts', async () => {
    const eks = await loadModule('eks')
    expect(moduleCall(eks, 'gateway_irsa').service_account).toBe('${var.service_account_name}')
    expect(String(eks.locals.chart_values)).toMatch(/serviceAccount = \{\s*name\s+= var\.service_account_name/)
  })

  test('takes the ACM certificate as an input, and the namespace enforces the restricted Pod Security Standard', async () => {
    const eks = await loadModule('eks')
    expect(eks.variable.acm_certificate_arn?.default).toBeUndefined()
    const ns = resource(eks, 'kubernetes_namespace_v1', 'this')
    expect(JSON.stringify(ns)).toContain('"pod-security.kubernetes.io/enforce":"restricted"')
  })

  test('creates the Secrets Manager secret but never its value', async () => {
    const eks = await loadModule('eks')
    expect(resource(eks, 'aws_secretsmanager_secret', 'gateway').name).toBe('${var.secret_name}')
    expect(eks.resource.aws_secretsmanager_secret_version).toBeUndefined()
  })
})

describe('registry (terraform/ecr)', () => {
  test('repositories scan on push, have immutable tags and a lifecycle policy', async () => {
    const mod = await loadModule('modules/ecr-repository')
    const repo = resource(mod, 'aws_ecr_repository', 'this')
    expect([repo.image_tag_mutability, repo.image_scanning_configuration]).toEqual(['IMMUTABLE', [{ scan_on_push: true }]])
    expect(resource(mod, 'aws_ecr_lifecycle_policy', 'this').repository).toBe('${aws_ecr_repository.this.name}')
  })

  test('holds the gateway and harness images by default', async () => {
    const ecr = await loadModule('ecr')
    expect(Object.keys(ecr.variable.repositories?.default as object).sort()).toEqual(['gateway', 'harness'])
    expect(moduleCall(ecr, 'repository')).toMatchObject({ source: '../modules/ecr-repository', for_each: '${var.repositories}' })
  })
})
