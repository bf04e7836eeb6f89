import { describe, expect, test } from 'bun:test'
import { find, NAMES, NO_HELM, one, renderOk } from './render.ts'

describe.skipIf(NO_HELM)('HorizontalPodAutoscaler, PodDisruptionBudget, ServiceMonitor', () => {
  test('no HPA by default; the Deployment keeps its replica count', () => {
    const docs = renderOk()
    expect(find(docs, 'HorizontalPodAutoscaler')).toEqual([])
    expect(one(docs, 'Deployment', NAMES.gateway).spec.replicas).toBe(3)
  })

  test('HPA on CPU, memory and custom metrics; the Deployment leaves replicas to it; scale-down is slow', () => {
    const docs = renderOk({ files: ['ci/full-values.yaml'] })
    const hpa = one(docs, 'HorizontalPodAutoscaler', NAMES.gateway)
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAMES.gateway },
      minReplicas: 3,
      maxReplicas: 20,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Pods', pods: { metric: { name: 'llm_gateway_in_flight_requests' }, target: { type: 'AverageValue', averageValue: '200' } } },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
    })
    expect(one(docs, 'Deployment', NAMES.gateway).spec).not.toHaveProperty('replicas')
  })

  test('PDB: at most one gateway pod down at a time, and none when disabled', () => {
    expect(one(renderOk(), 'PodDisruptionBudget', NAMES.gateway).spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'llm-gateway', 'app.kubernetes.io/instance': 'rel', 'app.kubernetes.io/component': 'gateway' } },
    })
    expect(find(renderOk({ files: ['ci/minimal-values.yaml'] }), 'PodDisruptionBudget')).toEqual([])
  })

  test('ServiceMonitor only when asked, scraping the http port with the master key', () => {
    expect(find(renderOk(), 'ServiceMonitor')).toEqual([])
    const sm = one(renderOk({ files: ['ci/full-values.yaml'] }), 'ServiceMonitor', NAMES.gateway)
    expect(sm.metadata.labels!.release).toBe('kube-prometheus-stack')
    expect(sm.spec.endpoints).toEqual([
      { port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s', authorization: { type: 'Bearer', credentials: { name: NAMES.gateway, key: 'LITELLM_MASTER_KEY' } } },
    ])
  })
})
