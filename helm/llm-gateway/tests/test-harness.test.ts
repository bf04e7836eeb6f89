import { describe, expect, test } from 'bun:test'
import { find, NAMES, NO_HELM, one, renderOk } from './render.ts'

describe.skipIf(NO_HELM)('helm test pod', () => {
  test('runs the harness (health and production suites) against the release Service with the master key', () => {
    const pod = one(renderOk(), 'Pod', NAMES.test)
    expect(pod.metadata.annotations).toEqual({ 'helm.sh/hook': 'test', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' })
    const c = pod.spec.containers[0]
    expect({ image: c.image, args: c.args, env: c.env, restartPolicy: pod.spec.restartPolicy }).toEqual({
      image: 'llm-gateway/harness:0.1.0',
      args: ['--endpoint', `http://${NAMES.gateway}.llm.svc:4000`, '--suite', 'health,production'],
      env: [{ name: 'LITELLM_MASTER_KEY', valueFrom: { secretKeyRef: { name: NAMES.gateway, key: 'LITELLM_MASTER_KEY' } } }],
      restartPolicy: 'Never',
    })
  })

  test('the harness image is the sibling repository of the gateway, at the same tag', () => {
    const c = one(renderOk({ files: ['ci/full-values.yaml'] }), 'Pod', NAMES.test).spec.containers[0]
    expect(c.image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-gateway/harness:0.1.0')
  })

  test('image, suites and extra flags can be set', () => {
    const c = one(renderOk({ files: ['ci/existing-secrets-values.yaml'] }), 'Pod', NAMES.test).spec.containers[0]
    expect({ image: c.image, args: c.args }).toEqual({
      image: 'registry.example.com/llm-gateway-harness:0.1.0-rc1',
      args: ['--endpoint', `http://${NAMES.gateway}.llm.svc:4000`, '--suite', 'health,production,models', '--models', 'mock-echo'],
    })
  })

  test('tests.enabled=false renders no test pod', () => {
    expect(find(renderOk({ files: ['ci/minimal-values.yaml'] }), 'Pod')).toEqual([])
  })
})
