import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CHART, find, NAMES, NO_HELM, one, podSpec, renderOk } from './render.ts'

const secretRefs = (docs: ReturnType<typeof renderOk>) =>
  docs
    .filter((d) => d.kind === 'Deployment' || d.kind === 'Pod')
    .flatMap((d) => podSpec(d).containers.flatMap((c: any) => (c.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef).map((e: any) => `${e.name}<-${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`)))

describe.skipIf(NO_HELM)('Secret and existingSecret', () => {
  test('by default the chart makes a Secret with a generated sk- master key and nothing else', () => {
    const secret = one(renderOk(), 'Secret', NAMES.gateway)
    expect(Object.keys(secret.data!)).toEqual(['LITELLM_MASTER_KEY'])
    expect(Buffer.from(secret.data!.LITELLM_MASTER_KEY!, 'base64').toString()).toMatch(/^sk-[A-Za-z0-9]{48}$/)
  })

  test('given keys go into the chart-made Secret and become environment variables', () => {
    const docs = renderOk({ set: { 'secrets.masterKey': 'sk-given', 'secrets.providerKeys': { OPENAI_API_KEY: 'v' } } })
    const data = one(docs, 'Secret', NAMES.gateway).data!
    expect(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))).toEqual({ LITELLM_MASTER_KEY: 'sk-given', OPENAI_API_KEY: 'v' })
    expect(secretRefs(docs)).toContain(`OPENAI_API_KEY<-${NAMES.gateway}/OPENAI_API_KEY`)
  })

  test('with existingSecret the chart makes no gateway Secret and every reference points at the existing one', () => {
    const docs = renderOk({ files: ['ci/existing-secrets-values.yaml'] })
    expect(find(docs, 'Secret').map((s) => s.metadata.name)).toEqual([])
    expect(secretRefs(docs).sort()).toEqual([
      'LITELLM_MASTER_KEY<-llm-gateway-keys/LITELLM_MASTER_KEY',
      'LITELLM_MASTER_KEY<-llm-gateway-keys/LITELLM_MASTER_KEY',
      'OPENAI_API_KEY<-llm-gateway-keys/LITELLM_MASTER_KEY',
      'OPENAI_API_KEY<-llm-gateway-keys/OPENAI_API_KEY',
      'PERPLEXITY_API_KEY<-llm-gateway-keys/PERPLEXITY_API_KEY',
      'REDIS_URL<-llm-gateway-redis/url',
      'WEBUI_SECRET_KEY<-open-webui-keys/WEBUI_SECRET_KEY',
    ])
    expect(one(docs, 'Deployment', NAMES.gateway).spec.template.metadata.annotations).not.toHaveProperty('checksum/secret')
  })

  test('the ConfigMap holds no credential: only os.environ references', () => {
    for (const files of [[], ['ci/full-values.yaml']]) {
      const config = one(renderOk({ files }), 'ConfigMap', NAMES.gateway).data!['config.yaml']!
      expect(config).toContain('master_key: os.environ/LITELLM_MASTER_KEY')
      expect(config).not.toMatch(/(api_key|master_key|secret_access_key|password):\s*(?!os\.environ\/)\S/)
    }
  })
})

test('no values file of the chart carries a credential', () => {
  const files = ['values.yaml', ...new Bun.Glob('ci/*.yaml').scanSync(CHART)]
  const credential = /(sk-[A-Za-z0-9]{8,}|AKIA[0-9A-Z]{16}|pplx-[A-Za-z0-9]{8,}|-----BEGIN [A-Z ]*PRIVATE KEY|(?:password|masterKey|secret_key|api_key)\s*:\s*["']?(?!os\.environ\/)[A-Za-z0-9+/_-]{6,})/
  for (const f of files) expect({ file: f, match: readFileSync(join(CHART, f), 'utf8').match(credential)?.[0] }).toEqual({ file: f, match: undefined })
})

describe.skipIf(NO_HELM)('ServiceAccount (IRSA)', () => {
  test('the role ARN becomes the eks.amazonaws.com/role-arn annotation and no API token is mounted', () => {
    const sa = one(renderOk({ files: ['ci/full-values.yaml'] }), 'ServiceAccount')
    expect({ annotations: sa.metadata.annotations, automount: (sa as any).automountServiceAccountToken }).toEqual({
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/llm-gateway-bedrock' },
      automount: false,
    })
  })

  test('without a role there is no annotation; the gateway pods use the ServiceAccount, other pods do not', () => {
    const docs = renderOk({ set: { 'openWebui.enabled': true, 'redis.enabled': true } })
    expect(one(docs, 'ServiceAccount').metadata.annotations).toBeUndefined()
    const accounts = docs.filter((d) => d.kind === 'Deployment' || d.kind === 'Pod').map((d) => [d.metadata.name, podSpec(d).serviceAccountName])
    expect(accounts.sort()).toEqual([
      [NAMES.gateway, NAMES.gateway],
      [NAMES.openWebui, undefined],
      [NAMES.redis, undefined],
      [NAMES.test, undefined],
    ])
  })

  test('serviceAccount.create=false uses the named (or default) account', () => {
    const docs = renderOk({ files: ['ci/minimal-values.yaml'] })
    expect(find(docs, 'ServiceAccount')).toEqual([])
    expect(podSpec(one(docs, 'Deployment', NAMES.gateway)).serviceAccountName).toBe('default')
  })
})
