import { expect, test } from 'bun:test'
import { BLOCKED_KEYWORDS, checkFeatures, gatewayConfig } from './gateway-config.ts'

test('without features the config routes mock-model to the mock, reads the master key from the environment and stores in the given file', () => {
  expect(gatewayConfig('http://127.0.0.1:9', {}, '/tmp/run/gateway.sqlite')).toEqual({
    model_list: [{ model_name: 'mock-model', litellm_params: { model: 'openai/mock-model', api_base: 'http://127.0.0.1:9/v1', api_key: 'mock-upstream-key' } }],
    general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY', sqlite_path: '/tmp/run/gateway.sqlite' },
  })
})

test('guardrails add the keyword and PII guardrails on input and output, on by default', () => {
  expect(gatewayConfig('http://m', { guardrails: true }, 'g.sqlite').guardrails).toEqual([
    { guardrail_name: 'kw', litellm_params: { guardrail: 'keyword', mode: ['pre_call', 'post_call'], default_on: true, keywords: BLOCKED_KEYWORDS } },
    { guardrail_name: 'pii', litellm_params: { guardrail: 'pii', mode: ['pre_call', 'post_call'], default_on: true } },
  ])
})

/** A stand-in gateway answering the feature probes. */
function fakeGateway(opts: { blocks: boolean; keyStatus: number; key?: string }) {
  return Bun.serve({
    port: 0,
    async fetch(req) {
      const path = new URL(req.url).pathname
      if (path === '/key/generate') return Response.json(opts.key ? { key: opts.key } : { error: 'nope' }, { status: opts.keyStatus })
      const body = await req.text()
      return new Response('{}', { status: opts.blocks && body.includes(BLOCKED_KEYWORDS[0]!) ? 400 : 200 })
    },
  })
}

test.each([
  ['guardrails that block the keyword', { guardrails: true }, { blocks: true, keyStatus: 404 }, { ok: true, headers: { authorization: 'Bearer mk' } }],
  ['guardrails not active yet', { guardrails: true }, { blocks: false, keyStatus: 404 }, { ok: false, reason: 'guardrails not active: a request with a blocked keyword was answered 200' }],
  ['a generated virtual key', { virtualKey: true }, { blocks: false, keyStatus: 200, key: 'sk-virtual' }, { ok: true, headers: { authorization: 'Bearer sk-virtual' } }],
  ['no key endpoint yet', { virtualKey: true }, { blocks: false, keyStatus: 404 }, { ok: false, reason: 'virtual keys not available: POST /key/generate answered 404' }],
  ['a key endpoint that fails', { virtualKey: true }, { blocks: false, keyStatus: 500 }, { ok: false, reason: 'POST /key/generate answered 500 without a key: {"error":"nope"}' }],
] as const)('checkFeatures: %s', async (_name, features, gw, want) => {
  await using server = fakeGateway(gw)
  expect(await checkFeatures(`http://127.0.0.1:${server.port}`, 'mk', features)).toEqual(want)
})
