import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderReadme, undocumentedPaths, valuePaths } from '../../../scripts/chart-readme.ts'
import { CHART, NO_HELM, render, yaml } from './render.ts'

const ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc'

describe.skipIf(NO_HELM)('values.schema.json refuses bad values with a message naming the value', () => {
  test.each([
    { set: { replicaCount: 0 }, message: "at '/replicaCount': minimum: got 0, want 1" },
    { set: { replicas: 3 }, message: "additional properties 'replicas' not allowed" },
    { set: { securityContext: { runAsUser: 0 } }, message: "additional properties 'securityContext' not allowed" },
    { set: { 'image.digest': 'latest' }, message: "at '/image/digest'" },
    { set: { 'image.pullPolicy': 'Sometimes' }, message: "at '/image/pullPolicy'" },
    { set: { logLevel: 'verbose' }, message: "at '/logLevel'" },
    { set: { 'serviceAccount.roleArn': 'my-role' }, message: "at '/serviceAccount/roleArn'" },
    { set: { 'ingress.alb.sslPolicy': 'ELBSecurityPolicy-2016-08' }, message: "at '/ingress/alb/sslPolicy'" },
    { set: { 'ingress.alb.inboundCidrs': ['everyone'] }, message: "at '/ingress/alb/inboundCidrs/0'" },
    { set: { 'config.general_settings.master_key': 'sk-literal-key' }, message: "at '/config/general_settings/master_key': value must be 'os.environ/LITELLM_MASTER_KEY'" },
    { set: { 'config.model_list': [{ model_name: 'x', litellm_params: { model: 'openai/gpt', api_key: 'sk-abc' } }] }, message: "at '/config/model_list/0/litellm_params/api_key'" },
    { set: { 'config.model_list': [] }, message: "at '/config/model_list': minItems" },
    { set: { 'tests.suites': 'health,everything' }, message: "at '/tests/suites'" },
    { set: { 'drain.preStopSleepSeconds': 0 }, message: "at '/drain/preStopSleepSeconds'" },
    { set: { 'podDisruptionBudget.maxUnavailable': 0 }, message: "at '/podDisruptionBudget/maxUnavailable'" },
    { set: { 'resources.limits': null }, message: "at '/resources': missing property 'limits'" },
    { set: { 'resources.limits.memory': 'lots' }, message: "at '/resources/limits/memory'" },
    { set: { extraConfigFiles: { 'config.yaml': 'x' } }, message: "invalid propertyName 'config.yaml'" },
  ])('$message', ({ set, message }) => {
    const r = render({ set })
    expect(r.ok).toBe(false)
    expect(r.stderr).toContain("values don't meet the specifications of the schema")
    expect(r.stderr).toContain(message)
  })
})

describe.skipIf(NO_HELM)('inconsistent combinations fail with one explained line each', () => {
  test.each([
    { set: { 'ingress.enabled': true, 'networkPolicy.ingressController.cidrs': ['10.0.0.0/16'] }, message: 'ingress.alb.certificateArn is required' },
    {
      set: { 'ingress.enabled': true, 'ingress.alb.certificateArn': ARN, 'ingress.alb.scheme': 'internet-facing', 'networkPolicy.ingressController.cidrs': ['10.0.0.0/16'] },
      message: 'ingress.alb.inboundCidrs is required with an internet-facing ALB',
    },
    { set: { 'ingress.enabled': true, 'ingress.alb.certificateArn': ARN }, message: 'networkPolicy.ingressController needs cidrs' },
    { set: { 'redis.enabled': true, 'redis.external.existingSecret': 'r' }, message: 'redis.enabled and redis.external.existingSecret are exclusive' },
    { set: { 'secrets.existingSecret': 'keys', 'secrets.masterKey': 'sk-x' }, message: 'ignored with secrets.existingSecret' },
    { set: { 'autoscaling.minReplicas': 5, 'autoscaling.maxReplicas': 2 }, message: 'autoscaling.minReplicas is greater than autoscaling.maxReplicas' },
    { set: { 'config.general_settings.shutdown_grace_seconds': 30 }, message: 'config.general_settings.shutdown_grace_seconds: set drain.shutdownGraceSeconds instead' },
  ])('$message', ({ set, message }) => {
    const r = render({ set })
    expect(r.ok).toBe(false)
    expect(r.stderr).toContain(message)
  })
})

describe('values.yaml, values.schema.json and README.md agree', () => {
  const valuesText = readFileSync(join(CHART, 'values.yaml'), 'utf8')
  const values = yaml.load(valuesText) as Record<string, unknown>
  const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'))

  test('every value has a # -- comment (itself or a map containing it)', () => {
    expect(undocumentedPaths(valuesText)).toEqual([])
  })

  test('every object of the schema is closed, and every schema property exists in values.yaml', () => {
    const open: string[] = []
    const absent: string[] = []
    const walk = (node: any, path: string[], value: unknown) => {
      // Shared definitions (images, resources, selectors) are Kubernetes shapes whose fields may be left out.
      if (node.$ref) return
      if (node.type !== 'object' || !node.properties) return
      if (path[0] === 'config') return // the gateway's own config: validated by the gateway
      if (node.additionalProperties !== false) open.push(path.join('.') || '(root)')
      for (const [k, child] of Object.entries<any>(node.properties)) {
        const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[k] : undefined
        if (v === undefined) absent.push([...path, k].join('.'))
        else walk(child, [...path, k], v)
      }
    }
    walk(schema, [], values)
    expect({ open, absent }).toEqual({ open: [], absent: [] })
  })

  test('every value of values.yaml is described by the schema', () => {
    const resolve = (node: any) => (node?.$ref ? schema.definitions[node.$ref.replace('#/definitions/', '')] : node)
    const unknown = valuePaths(values).filter((path) => {
      let node = resolve(schema)
      for (const key of path.split('.')) {
        if (node?.properties?.[key]) node = resolve(node.properties[key])
        else return node?.additionalProperties === false
      }
      return false
    })
    expect(unknown).toEqual([])
  })

  test('README.md is generated from the current values.yaml (make chart-docs)', () => {
    const readme = readFileSync(join(CHART, 'README.md'), 'utf8')
    expect(renderReadme(readme, valuesText)).toBe(readme)
  })
})
