// docker-compose.yml cannot run here (no Docker engine): its contract is checked by parsing it.
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO, yaml } from './render.ts'

const text = readFileSync(join(REPO, 'docker-compose.yml'), 'utf8')
const compose = yaml.load(text) as any
const services = compose.services as Record<string, any>
const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
const deployment = readme.slice(readme.indexOf('## Deployment'))
const defaultConfig = readFileSync(join(REPO, 'gateway/src/config/default.yaml'), 'utf8')

describe('docker-compose.yml', () => {
  test('services: gateway and Open WebUI always, Redis and PostgreSQL behind profiles', () => {
    expect(Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.profiles ?? []]))).toEqual({
      gateway: [],
      'open-webui': [],
      redis: ['redis'],
      postgres: ['postgres'],
    })
  })

  test('ports are published on 127.0.0.1 only: gateway 4000, Open WebUI 3000 -> 8080', () => {
    const ports = Object.fromEntries(Object.entries(services).map(([name, s]) => [name, s.ports ?? []]))
    expect(ports).toEqual({
      gateway: ['127.0.0.1:${GATEWAY_PORT:-4000}:4000'],
      'open-webui': ['127.0.0.1:${WEBUI_PORT:-3000}:8080'],
      redis: [],
      postgres: [],
    })
  })

  test('the gateway is built from the Dockerfile and hardened like the chart', () => {
    const g = services.gateway
    expect({ build: g.build, user: g.user, read_only: g.read_only, tmpfs: g.tmpfs, cap_drop: g.cap_drop, security_opt: g.security_opt }).toEqual({
      build: { context: '.', target: 'gateway' },
      user: '1000:1000',
      read_only: true,
      tmpfs: ['/tmp:size=64m'],
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
    })
    expect(g.volumes).toEqual(['${GATEWAY_CONFIG:-./gateway/src/config/default.yaml}:/etc/llm-gateway/config.yaml:ro', 'gateway-data:/app/.data'])
    expect(g.environment.BUN_CONFIG_MAX_HTTP_REQUESTS).toBe('4096')
    expect(g.environment.LITELLM_MASTER_KEY).toStartWith('${LITELLM_MASTER_KEY:?')
  })

  test('Open WebUI is pinned and points at the gateway /v1 with the master key, arena on', () => {
    const o = services['open-webui']
    expect(o.image).toMatch(/^ghcr\.io\/open-webui\/open-webui:v\d+\.\d+\.\d+$/)
    expect(o.environment).toMatchObject({
      OPENAI_API_BASE_URL: 'http://gateway:4000/v1',
      OPENAI_API_KEY: expect.stringMatching(/^\$\{LITELLM_MASTER_KEY:\?/),
      ENABLE_OLLAMA_API: 'false',
      ENABLE_EVALUATION_ARENA_MODELS: 'true',
    })
    expect(o.depends_on).toEqual({ gateway: { condition: 'service_healthy' } })
  })

  test('the arena models are valid JSON and name models of the default config', () => {
    const arena = JSON.parse(services['open-webui'].environment.EVALUATION_ARENA_MODELS)
    expect(arena.map((a: any) => Object.keys(a).sort())).toEqual([['id', 'meta', 'name']])
    for (const id of arena[0].meta.model_ids) expect(defaultConfig).toContain(`model_name: ${id}`)
  })

  test('images are pinned to a version, never latest', () => {
    for (const [name, s] of Object.entries(services)) if (s.image && name !== 'gateway') expect(s.image).toMatch(/:v?\d+\.\d+(\.\d+)?(-[a-z]+)?$/)
  })

  test('every named volume is declared, and every declared volume is used', () => {
    const used = new Set(Object.values(services).flatMap((s: any) => (s.volumes ?? []).map((v: string) => v.split(':')[0]).filter((v: string) => /^[a-z][a-z0-9-]*$/.test(v))))
    expect([...used].sort()).toEqual(Object.keys(compose.volumes).sort())
  })

  test('the optional services have health checks the gateway waits for', () => {
    expect(services.gateway.depends_on).toEqual({ redis: { condition: 'service_healthy', required: false }, postgres: { condition: 'service_healthy', required: false } })
    expect(services.redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping'])
    expect(services.postgres.healthcheck.test[1]).toBe('pg_isready')
  })

  test('README "Deployment" documents every variable the file reads', () => {
    const variables = [...new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!))].sort()
    expect(variables.length).toBeGreaterThan(10)
    expect(variables.filter((v) => !deployment.includes(`\`${v}\``))).toEqual([])
  })
})
