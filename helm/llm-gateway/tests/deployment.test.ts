import { describe, expect, test } from 'bun:test'
import { NAMES, NO_HELM, one, podSpec, renderOk, yaml } from './render.ts'

const gateway = (opts: Parameters<typeof renderOk>[0] = {}) => one(renderOk(opts), 'Deployment', NAMES.gateway)
const container = (opts: Parameters<typeof renderOk>[0] = {}) => podSpec(gateway(opts)).containers[0]

describe.skipIf(NO_HELM)('gateway Deployment', () => {
  test('probes: startup and readiness on /health/readiness, liveness on /health/liveliness', () => {
    const c = container()
    expect({ startup: c.startupProbe.httpGet, readiness: c.readinessProbe.httpGet, liveness: c.livenessProbe.httpGet }).toEqual({
      startup: { path: '/health/readiness', port: 'http' },
      readiness: { path: '/health/readiness', port: 'http' },
      liveness: { path: '/health/liveliness', port: 'http' },
    })
  })

  test.each([
    { preStop: 15, delay: 5, drain: 65, grace: 90 },
    { preStop: 10, delay: 0, drain: 300, grace: 315 },
  ])('grace period $grace s = preStop $preStop s + delay $delay s + drain $drain s + 5 s, and the gateway gets the same timings', ({ preStop, delay, drain, grace }) => {
    const docs = renderOk({ set: { 'drain.preStopSleepSeconds': preStop, 'drain.shutdownDelaySeconds': delay, 'drain.shutdownGraceSeconds': drain } })
    const spec = podSpec(one(docs, 'Deployment', NAMES.gateway))
    expect({ grace: spec.terminationGracePeriodSeconds, preStop: spec.containers[0].lifecycle.preStop }).toEqual({ grace, preStop: { sleep: { seconds: preStop } } })
    const config = yaml.load(one(docs, 'ConfigMap', NAMES.gateway).data!['config.yaml']!) as any
    expect(config.general_settings).toEqual({ master_key: 'os.environ/LITELLM_MASTER_KEY', shutdown_delay_seconds: delay, shutdown_grace_seconds: drain })
  })

  test('rolling updates never take a pod away before its replacement is ready', () => {
    expect(gateway().spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } })
  })

  test('a config change changes the checksum annotation, so the pods roll', () => {
    const before = gateway().spec.template.metadata.annotations['checksum/config']
    const after = gateway({ set: { 'config.litellm_settings.num_retries': 5 } }).spec.template.metadata.annotations['checksum/config']
    expect(before).toMatch(/^[0-9a-f]{64}$/)
    expect(after).not.toBe(before)
  })

  test('the master key always comes from the Secret, and Bun may run 4096 upstream requests', () => {
    const env = Object.fromEntries(container().env.map((e: any) => [e.name, e.value ?? e.valueFrom]))
    expect(env).toEqual({
      HOST: '0.0.0.0',
      PORT: '4000',
      LOG_LEVEL: 'info',
      BUN_CONFIG_MAX_HTTP_REQUESTS: '4096',
      LITELLM_MASTER_KEY: { secretKeyRef: { name: NAMES.gateway, key: 'LITELLM_MASTER_KEY' } },
      PERPLEXITY_API_KEY: { secretKeyRef: { name: NAMES.gateway, key: 'PERPLEXITY_API_KEY', optional: true } },
    })
  })

  test('Redis and PostgreSQL URLs come from Secrets', () => {
    const env = (opts: Parameters<typeof renderOk>[0]) => Object.fromEntries(container(opts).env.map((e: any) => [e.name, e.valueFrom]))
    expect(env({ files: ['ci/full-values.yaml'] })).toMatchObject({
      REDIS_URL: { secretKeyRef: { name: NAMES.redis, key: 'REDIS_URL' } },
      DATABASE_URL: { secretKeyRef: { name: 'llm-gateway-database', key: 'DATABASE_URL' } },
    })
    expect(env({ files: ['ci/existing-secrets-values.yaml'] })).toMatchObject({ REDIS_URL: { secretKeyRef: { name: 'llm-gateway-redis', key: 'url' } } })
    expect(env({})).not.toHaveProperty('REDIS_URL')
  })

  test('config is mounted read-only; /tmp and /app/.data are size-limited emptyDirs', () => {
    const spec = podSpec(gateway())
    expect({ args: spec.containers[0].args, mounts: spec.containers[0].volumeMounts, volumes: spec.volumes }).toEqual({
      args: ['--config', '/etc/llm-gateway/config.yaml'],
      mounts: [
        { name: 'config', mountPath: '/etc/llm-gateway', readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'data', mountPath: '/app/.data' },
      ],
      volumes: [
        { name: 'config', configMap: { name: NAMES.gateway } },
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        { name: 'data', emptyDir: { sizeLimit: '256Mi' } },
      ],
    })
  })

  test('three replicas spread over zones and nodes by default', () => {
    const d = gateway()
    expect(d.spec.replicas).toBe(3)
    expect(podSpec(d).topologySpreadConstraints.map((t: any) => [t.topologyKey, t.maxSkew, t.whenUnsatisfiable])).toEqual([
      ['topology.kubernetes.io/zone', 1, 'ScheduleAnyway'],
      ['kubernetes.io/hostname', 1, 'ScheduleAnyway'],
    ])
  })

  test('image by tag, or by digest when one is given', () => {
    expect(container().image).toBe('llm-gateway/gateway:0.1.0')
    expect(container({ files: ['ci/full-values.yaml'] }).image).toBe(
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/llm-gateway/gateway@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    )
  })

  test('every resource carries the full app.kubernetes.io label set', () => {
    for (const d of renderOk({ files: ['ci/full-values.yaml'] })) {
      expect({ kind: d.kind, labels: Object.keys(d.metadata.labels ?? {}) }).toEqual({
        kind: d.kind,
        labels: expect.arrayContaining([
          'app.kubernetes.io/component',
          'app.kubernetes.io/instance',
          'app.kubernetes.io/managed-by',
          'app.kubernetes.io/name',
          'app.kubernetes.io/part-of',
          'app.kubernetes.io/version',
          'helm.sh/chart',
        ]),
      })
    }
  })

  test('names are cut to 63 characters, suffixes included', () => {
    const long = 'a'.repeat(63)
    const docs = renderOk({ set: { fullnameOverride: long, 'openWebui.enabled': true, 'redis.enabled': true } })
    for (const d of docs) expect(d.metadata.name.length).toBeLessThanOrEqual(63)
    expect(docs.map((d) => d.metadata.name)).toContain(`${'a'.repeat(52)}-open-webui`)
  })
})

describe.skipIf(NO_HELM)('ConfigMap', () => {
  test('holds the config as config.yaml, and extra files beside it', () => {
    const cm = one(renderOk({ files: ['ci/full-values.yaml'] }), 'ConfigMap', NAMES.gateway)
    expect(Object.keys(cm.data!).sort()).toEqual(['config.yaml', 'custom_guardrail.ts'])
  })
})
