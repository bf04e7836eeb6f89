import { describe, expect, test } from 'bun:test'
import { errors } from '../errors/gateway-error.ts'
import { upstreamError } from '../errors/upstream.ts'
import { Fallbacks } from './fallbacks.ts'

const cfg = {
  router_settings: { fallbacks: [{ 'nova-pro': ['nova-lite', 'llama'] }], context_window_fallbacks: [{ 'nova-lite': ['nova-pro'] }] },
  litellm_settings: { fallbacks: [{ 'nova-pro': ['ignored'] }], content_policy_fallbacks: [{ 'nova-pro': ['llama'] }] },
} as never

describe('Fallbacks', () => {
  const f = new Fallbacks(cfg)
  test.each([
    ['a provider outage', upstreamError({ provider: 'bedrock', kind: 'unavailable' }), 'nova-pro', { kind: 'generic', models: ['nova-lite', 'llama'] }],
    ['throttling', upstreamError({ provider: 'bedrock', kind: 'rate_limited' }), 'nova-pro', { kind: 'generic', models: ['nova-lite', 'llama'] }],
    ['a too-long input', upstreamError({ provider: 'bedrock', kind: 'context_length_exceeded' }), 'nova-lite', { kind: 'context_window', models: ['nova-pro'] }],
    ['a content-policy refusal', upstreamError({ provider: 'bedrock', kind: 'content_policy' }), 'nova-pro', { kind: 'content_policy', models: ['llama'] }],
    ['a bad request', upstreamError({ provider: 'bedrock', kind: 'invalid_request' }), 'nova-pro', { kind: 'generic', models: [] }],
    ['a caller error', errors.invalidRequest('x'), 'nova-pro', { kind: 'generic', models: [] }],
    ['a model without fallbacks', upstreamError({ provider: 'bedrock', kind: 'unavailable' }), 'llama', { kind: 'generic', models: [] }],
  ])('after %s', (_n, err, model, expected) => {
    expect(f.after(model, err)).toEqual(expected as never)
  })

  test('router_settings wins over litellm_settings', () => {
    expect(f.referenced()).toContainEqual({ kind: 'generic', from: 'nova-pro', to: 'nova-lite' })
    expect(f.referenced()).not.toContainEqual(expect.objectContaining({ to: 'ignored' }))
  })
})
