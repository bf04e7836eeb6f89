import { describe, expect, test } from 'bun:test'
import { find, NAMES, NO_HELM, one, podSpec, renderOk } from './render.ts'

const openWebuiObjects = (docs: ReturnType<typeof renderOk>) =>
  docs.filter((d) => d.metadata.labels?.['app.kubernetes.io/component'] === 'open-webui').map((d) => `${d.kind}/${d.metadata.name}`)

describe.skipIf(NO_HELM)('Open WebUI', () => {
  test('off by default: nothing of it is rendered', () => {
    expect(openWebuiObjects(renderOk())).toEqual([])
  })

  test('on: Deployment, Service, PVC, Secret and NetworkPolicy (Ingress when asked)', () => {
    expect(openWebuiObjects(renderOk({ set: { 'openWebui.enabled': true } })).sort()).toEqual([
      `Deployment/${NAMES.openWebui}`,
      `NetworkPolicy/${NAMES.openWebui}`,
      `PersistentVolumeClaim/${NAMES.openWebui}`,
      `Secret/${NAMES.openWebui}`,
      `Service/${NAMES.openWebui}`,
    ])
    expect(openWebuiObjects(renderOk({ files: ['ci/full-values.yaml'] }))).toContain(`Ingress/${NAMES.openWebui}`)
  })

  test('talks to the gateway /v1 with the master key, Ollama off, arena settings as JSON', () => {
    const c = podSpec(one(renderOk({ set: { 'openWebui.enabled': true } }), 'Deployment', NAMES.openWebui)).containers[0]
    const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]))
    expect(env).toMatchObject({
      OPENAI_API_BASE_URL: `http://${NAMES.gateway}.llm.svc:4000/v1`,
      OPENAI_API_KEY: { secretKeyRef: { name: NAMES.gateway, key: 'LITELLM_MASTER_KEY' } },
      ENABLE_OLLAMA_API: 'false',
      WEBUI_SECRET_KEY: { secretKeyRef: { name: NAMES.openWebui, key: 'WEBUI_SECRET_KEY' } },
      ENABLE_EVALUATION_ARENA_MODELS: 'true',
    })
    const arena = JSON.parse(env.EVALUATION_ARENA_MODELS)
    expect(arena).toEqual([
      {
        id: 'arena-bedrock-perplexity',
        name: 'Arena (Bedrock and Perplexity)',
        meta: { description: expect.any(String), model_ids: ['nova-micro', 'nova-lite', 'nova-pro', 'llama3-2-1b', 'llama3-2-3b', 'perplexity-sonar', 'perplexity-sonar-pro'] },
      },
    ])
  })

  test('the arena models are models the gateway serves', () => {
    const docs = renderOk({ set: { 'openWebui.enabled': true } })
    const config = one(docs, 'ConfigMap', NAMES.gateway).data!['config.yaml']!
    const env = podSpec(one(docs, 'Deployment', NAMES.openWebui)).containers[0].env.find((e: any) => e.name === 'EVALUATION_ARENA_MODELS')
    for (const id of JSON.parse(env.value)[0].meta.model_ids) expect(config).toContain(`model_name: ${id}`)
  })

  test('a single replica, recreated, with its data on the claim', () => {
    const d = one(renderOk({ set: { 'openWebui.enabled': true } }), 'Deployment', NAMES.openWebui)
    expect({ replicas: d.spec.replicas, strategy: d.spec.strategy.type, data: podSpec(d).volumes[0] }).toEqual({
      replicas: 1,
      strategy: 'Recreate',
      data: { name: 'data', persistentVolumeClaim: { claimName: NAMES.openWebui } },
    })
  })

  test('existing claim and secret key are used as given; no claim or Secret is made', () => {
    const docs = renderOk({ files: ['ci/existing-secrets-values.yaml'] })
    expect(find(docs, 'PersistentVolumeClaim')).toEqual([])
    expect(podSpec(one(docs, 'Deployment', NAMES.openWebui)).volumes[0]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'open-webui-data' } })
  })

  test('the gateway NetworkPolicy admits Open WebUI only when it is on', () => {
    const fromOpenWebui = (docs: ReturnType<typeof renderOk>) =>
      one(docs, 'NetworkPolicy', NAMES.gateway).spec.ingress.some((r: any) => r.from.some((p: any) => p.podSelector?.matchLabels?.['app.kubernetes.io/component'] === 'open-webui'))
    expect(fromOpenWebui(renderOk())).toBe(false)
    expect(fromOpenWebui(renderOk({ set: { 'openWebui.enabled': true } }))).toBe(true)
  })
})
