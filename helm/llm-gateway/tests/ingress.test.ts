import { describe, expect, test } from 'bun:test'
import { find, NAMES, NO_HELM, one, renderOk } from './render.ts'

describe.skipIf(NO_HELM)('Ingress', () => {
  test('off by default', () => {
    expect(find(renderOk(), 'Ingress')).toEqual([])
  })

  test('ALB: HTTPS listener only, TLS 1.3 policy, target-type ip, certificate, inbound CIDRs, readiness health check', () => {
    const ing = one(renderOk({ files: ['ci/full-values.yaml'] }), 'Ingress', NAMES.gateway)
    expect(ing.metadata.annotations).toEqual({
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'alb.ingress.kubernetes.io/certificate-arn': 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
      'alb.ingress.kubernetes.io/backend-protocol': 'HTTP',
      'alb.ingress.kubernetes.io/healthcheck-path': '/health/readiness',
      'alb.ingress.kubernetes.io/load-balancer-attributes': 'idle_timeout.timeout_seconds=300',
      'alb.ingress.kubernetes.io/inbound-cidrs': '203.0.113.0/24,198.51.100.0/24',
      'alb.ingress.kubernetes.io/group.name': 'llm',
    })
    expect(ing.spec).toEqual({
      ingressClassName: 'alb',
      rules: [{ host: 'llm.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: NAMES.gateway, port: { name: 'http' } } } }] } }],
    })
  })

  test('user annotations override the ALB defaults', () => {
    const ing = one(
      renderOk({ files: ['ci/full-values.yaml'], set: { 'ingress.annotations': { 'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-3-2021-06' } } }),
      'Ingress',
      NAMES.gateway,
    )
    expect(ing.metadata.annotations!['alb.ingress.kubernetes.io/ssl-policy']).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06')
  })

  test('another controller: no ALB annotations, TLS from a Secret', () => {
    const ing = one(renderOk({ files: ['ci/existing-secrets-values.yaml'] }), 'Ingress', NAMES.gateway)
    expect(ing.metadata.annotations).toBeUndefined()
    expect(ing.spec.ingressClassName).toBe('nginx')
    expect(ing.spec.tls).toEqual([{ hosts: ['llm.internal.example.com'], secretName: 'llm-gateway-tls' }])
  })

  test('the Open WebUI Ingress shares the ALB settings with its own host and health check', () => {
    const ing = one(renderOk({ files: ['ci/full-values.yaml'] }), 'Ingress', NAMES.openWebui)
    expect(ing.metadata.annotations).toMatchObject({ 'alb.ingress.kubernetes.io/healthcheck-path': '/health', 'alb.ingress.kubernetes.io/target-type': 'ip' })
    expect(ing.spec.rules[0].host).toBe('chat.example.com')
  })
})
