import { describe, expect, test } from 'bun:test'
import type { Deployment } from '../providers/types.ts'
import { Router } from './router.ts'

const dep = (id: string, modelName: string, extra: Partial<Deployment> = {}): Deployment => ({
  id, modelName, provider: 'mock', upstreamModel: 'echo', params: {}, ...extra,
})

describe('Router', () => {
  test('lists public model names once each, in config order', () => {
    const r = new Router([dep('a#0', 'a'), dep('b#1', 'b'), dep('a#2', 'a')])
    expect(r.modelNames()).toEqual(['a', 'b'])
  })

  test('answers an unknown model with 404 model_not_found', () => {
    expect(() => new Router([dep('a#0', 'a')]).pick('nope')).toThrow(expect.objectContaining({ status: 404, code: 'model_not_found' }))
  })

  test('answers a model whose deployments are all unavailable with 503 and the reason', () => {
    const r = new Router([dep('a#0', 'a', { unavailableReason: 'environment variable AWS_REGION is not set' })])
    expect(() => r.pick('a')).toThrow(expect.objectContaining({ status: 503, code: 'model_unavailable', message: expect.stringContaining('AWS_REGION') }))
  })

  test('skips unavailable deployments of a model', () => {
    const r = new Router([dep('a#0', 'a', { unavailableReason: 'x' }), dep('a#1', 'a')])
    expect(r.pick('a').id).toBe('a#1')
  })

  test.each([
    [0.0, 'a#0'],
    [0.24, 'a#0'],
    [0.26, 'a#1'],
    [0.99, 'a#1'],
  ])('weights simple-shuffle by litellm_params.weight (random %p picks %s)', (rnd, id) => {
    const r = new Router([dep('a#0', 'a', { params: { weight: 1 } }), dep('a#1', 'a', { params: { weight: 3 } })], () => rnd)
    expect(r.pick('a').id).toBe(id)
  })
})
