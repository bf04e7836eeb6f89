import { describe, expect, test } from 'bun:test'
import type { Deployment } from '../providers/types.ts'
import { DeploymentHealth } from './health.ts'
import { Router } from './router.ts'

const dep = (id: string, modelName: string, extra: Partial<Deployment> = {}): Deployment => ({
  id, modelName, provider: 'mock', upstreamModel: 'echo', params: {}, ...extra,
})

describe('Router', () => {
  test('lists public model names once each, in config order', () => {
    const r = new Router([dep('a#0', 'a'), dep('b#1', 'b'), dep('a#2', 'a')], new DeploymentHealth())
    expect(r.modelNames()).toEqual(['a', 'b'])
  })

  test('answers an unknown model with 404 model_not_found', () => {
    expect(() => new Router([dep('a#0', 'a')], new DeploymentHealth()).candidates('nope')).toThrow(expect.objectContaining({ status: 404, code: 'model_not_found' }))
  })

  test('answers a model whose deployments are all unavailable with 503 and the reason', () => {
    const r = new Router([dep('a#0', 'a', { unavailableReason: 'environment variable AWS_REGION is not set' })], new DeploymentHealth())
    expect(() => r.candidates('a')).toThrow(expect.objectContaining({ status: 503, code: 'model_unavailable', message: expect.stringContaining('AWS_REGION') }))
  })

  test('skips unavailable deployments of a model', () => {
    const r = new Router([dep('a#0', 'a', { unavailableReason: 'x' }), dep('a#1', 'a')], new DeploymentHealth())
    expect(r.candidates('a').map((d) => d.id)).toEqual(['a#1'])
  })

  test.each([
    [0.0, ['a#0', 'a#1']],
    [0.24, ['a#0', 'a#1']],
    [0.26, ['a#1', 'a#0']],
    [0.99, ['a#1', 'a#0']],
  ])('simple-shuffle orders by litellm_params.weight (random %p gives %p)', (rnd, ids) => {
    const r = new Router([dep('a#0', 'a', { params: { weight: 1 } }), dep('a#1', 'a', { params: { weight: 3 } })], new DeploymentHealth(), 'simple-shuffle', () => rnd)
    expect(r.candidates('a').map((d) => d.id)).toEqual(ids)
  })

  test('least-busy puts the deployment with the fewest calls in flight first', () => {
    const health = new DeploymentHealth()
    health.started('a#0')
    health.started('a#0')
    health.started('a#1')
    const r = new Router([dep('a#0', 'a'), dep('a#1', 'a'), dep('a#2', 'a')], health, 'least-busy')
    expect(r.candidates('a').map((d) => d.id)).toEqual(['a#2', 'a#1', 'a#0'])
  })

  test('latency-based-routing tries unmeasured deployments first, then the fastest', () => {
    const health = new DeploymentHealth()
    for (const [id, ms] of [['a#0', 300], ['a#1', 100]] as const) {
      health.started(id)
      health.finished(id, { latencyMs: ms })
    }
    const r = new Router([dep('a#0', 'a'), dep('a#1', 'a'), dep('a#2', 'a')], health, 'latency-based-routing')
    expect(r.candidates('a').map((d) => d.id)).toEqual(['a#2', 'a#1', 'a#0'])
  })

  test('leaves out a deployment in cooldown, and answers 503 with retry-after when all are cooling down', () => {
    let now = 0
    const cooled: string[] = []
    const health = new DeploymentHealth({ allowedFails: 2, cooldownMs: 10_000, now: () => now, onCooldown: (id) => cooled.push(id) })
    const r = new Router([dep('a#0', 'a'), dep('a#1', 'a')], health)
    for (let i = 0; i < 2; i++) {
      health.started('a#0')
      health.finished('a#0', { failed: true })
    }
    expect(cooled).toEqual(['a#0'])
    expect(r.candidates('a').map((d) => d.id)).toEqual(['a#1'])
    for (let i = 0; i < 2; i++) health.finished('a#1', { failed: true })
    expect(() => r.candidates('a')).toThrow(expect.objectContaining({ status: 503, code: 'model_cooling_down', headers: { 'retry-after': '10' } }))
    now = 10_001
    expect(r.candidates('a')).toHaveLength(2)
  })

  test.each(['simple-shuffle', 'least-busy', 'latency-based-routing'] as const)('litellm_params.order ranks above the strategy (%p): lower order first, none last', (strategy) => {
    const ds = [dep('a#0', 'a'), dep('a#1', 'a', { params: { order: 2 } }), dep('a#2', 'a', { params: { order: 1 } }), dep('a#3', 'a', { params: { order: 2, weight: 5 } })]
    for (const rnd of [0, 0.3, 0.6, 0.99]) {
      const ids = new Router(ds, new DeploymentHealth(), strategy, () => rnd).candidates('a').map((d) => d.id)
      expect(ids[0]).toBe('a#2')
      expect(ids.slice(1, 3).sort()).toEqual(['a#1', 'a#3'])
      expect(ids[3]).toBe('a#0')
    }
  })

  test('when the first rank cools down, the next rank serves', () => {
    const health = new DeploymentHealth({ allowedFails: 1, cooldownMs: 10_000 })
    const r = new Router([dep('a#0', 'a', { params: { order: 1 } }), dep('a#1', 'a', { params: { order: 2 } })], health)
    expect(r.candidates('a').map((d) => d.id)).toEqual(['a#0', 'a#1'])
    health.finished('a#0', { failed: true })
    expect(r.candidates('a').map((d) => d.id)).toEqual(['a#1'])
  })

  test('failures older than a minute do not add up to a cooldown', () => {
    let now = 0
    const health = new DeploymentHealth({ allowedFails: 2, now: () => now })
    health.finished('a#0', { failed: true })
    now = 61_000
    health.finished('a#0', { failed: true })
    expect(health.coolingFor('a#0')).toBe(0)
  })
})
