import { describe, expect, test } from 'bun:test'
import { find, NAMES, NO_HELM, one, renderOk, type K8s } from './render.ts'

const policies = (docs: K8s[]) => find(docs, 'NetworkPolicy')
const policy = (docs: K8s[], name: string) => one(docs, 'NetworkPolicy', name).spec
const PORT_4000 = [{ port: 4000, protocol: 'TCP' }]
const componentPeer = (component: string) => ({
  podSelector: { matchLabels: { 'app.kubernetes.io/name': 'llm-gateway', 'app.kubernetes.io/instance': 'rel', 'app.kubernetes.io/component': component } },
})
const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
}
const HTTPS = { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: [{ port: 443, protocol: 'TCP' }] }
const METRICS = {
  from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
  ports: PORT_4000,
}

describe.skipIf(NO_HELM)('NetworkPolicies', () => {
  test('default deny selects every pod of the release, in and out, and allows nothing', () => {
    expect(policy(renderOk(), `${NAMES.gateway}-default-deny`)).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'llm-gateway', 'app.kubernetes.io/instance': 'rel' } },
      policyTypes: ['Ingress', 'Egress'],
    })
  })

  test('by default the gateway accepts the test pod and the metrics scraper, and reaches DNS and HTTPS without the metadata address', () => {
    expect(policy(renderOk(), NAMES.gateway)).toEqual({
      podSelector: { matchLabels: componentPeer('gateway').podSelector.matchLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [componentPeer('test')], ports: PORT_4000 }, METRICS],
      egress: [DNS, HTTPS],
    })
  })

  test('with Open WebUI, an Ingress, Redis and external databases, each gets exactly its rule', () => {
    const docs = renderOk({ files: ['ci/full-values.yaml'] })
    const gw = policy(docs, NAMES.gateway)
    expect(gw.ingress).toEqual([
      { from: [componentPeer('open-webui')], ports: PORT_4000 },
      { from: [componentPeer('test')], ports: PORT_4000 },
      { from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: PORT_4000 },
      METRICS,
    ])
    expect(gw.egress).toEqual([
      DNS,
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '169.254.0.0/16', '10.0.0.0/8'] } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [componentPeer('redis')], ports: [{ port: 6379, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '10.0.64.0/20' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'vllm' } } }], ports: [{ port: 8000, protocol: 'TCP' }] },
    ])
  })

  test('an external Redis is reached on its CIDRs only', () => {
    const gw = policy(renderOk({ files: ['ci/existing-secrets-values.yaml'] }), NAMES.gateway)
    expect(gw.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.128.0/24' } }], ports: [{ port: 6379, protocol: 'TCP' }] })
    expect(gw.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } } }],
      ports: PORT_4000,
    })
  })

  test('every HTTPS egress rule of every policy leaves out the instance metadata address', () => {
    const docs = renderOk({ files: ['ci/full-values.yaml'], set: { 'openWebui.allowHttpsEgress': true } })
    const open = policies(docs).flatMap((p) => (p.spec.egress ?? []).flatMap((rule: any) => (rule.to ?? []).map((peer: any) => ({ policy: p.metadata.name, peer }))))
    const wide = open.filter(({ peer }) => peer.ipBlock?.cidr === '0.0.0.0/0')
    expect(wide.map((w) => w.policy).sort()).toEqual([NAMES.gateway, NAMES.openWebui])
    for (const { peer } of wide) expect(peer.ipBlock.except).toContain('169.254.169.254/32')
  })

  test('Open WebUI is reached from the ingress path only and reaches only DNS and the gateway', () => {
    const docs = renderOk({ files: ['ci/full-values.yaml'] })
    expect(policy(docs, NAMES.openWebui)).toEqual({
      podSelector: { matchLabels: componentPeer('open-webui').podSelector.matchLabels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [DNS, { to: [componentPeer('gateway')], ports: PORT_4000 }],
    })
  })

  test('Open WebUI without an Ingress accepts nothing (port-forward still works)', () => {
    expect(policy(renderOk({ set: { 'openWebui.enabled': true } }), NAMES.openWebui).ingress).toEqual([])
  })

  test('Redis accepts the gateway only and reaches nothing; the test pod reaches only DNS and the gateway', () => {
    const docs = renderOk({ set: { 'redis.enabled': true } })
    expect(policy(docs, NAMES.redis)).toMatchObject({ ingress: [{ from: [componentPeer('gateway')], ports: [{ port: 6379, protocol: 'TCP' }] }], egress: [] })
    expect(policy(docs, NAMES.test)).toMatchObject({ ingress: [], egress: [DNS, { to: [componentPeer('gateway')], ports: PORT_4000 }] })
  })

  test('networkPolicy.enabled=false renders none', () => {
    expect(policies(renderOk({ files: ['ci/minimal-values.yaml'] }))).toEqual([])
  })

  test('the ingress path CIDRs become an ingress rule of the gateway', () => {
    const docs = renderOk({ set: { 'ingress.enabled': true, 'ingress.alb.certificateArn': 'arn:aws:acm:us-east-1:123456789012:certificate/abc', 'networkPolicy.ingressController.cidrs': ['10.1.0.0/16'] } })
    expect(policy(docs, NAMES.gateway).ingress).toContainEqual({ from: [{ ipBlock: { cidr: '10.1.0.0/16' } }], ports: PORT_4000 })
  })
})
