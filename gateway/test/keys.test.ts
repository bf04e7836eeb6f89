/**
 * Virtual keys through the whole gateway: the admin API (master only), keys
 * shown once and stored hashed, 401 for unknown, deleted and expired keys,
 * 403 outside the model allowlist, key-forced guardrails, per-key rate limits
 * with OpenAI's headers, budgets (429 before any provider call) and their
 * scheduled reset. Runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { hashKey } from '../src/keys/service.ts'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import type { Emulator } from './emulators/script.ts'
import { KEY_STORES, freshKeyStore, jsonOf, startGateway, type TestGateway } from './utils.ts'

if (!process.env.TEST_DATABASE_URL) console.warn('keys.test.ts: TEST_DATABASE_URL is not set (run scripts/services.sh start); PostgreSQL cases skipped')

describe.each(KEY_STORES)('keys on %s', (kind) => {
  let gw: TestGateway
  let emu: Emulator

  beforeAll(async () => {
    emu = await startOpenAICompatibleEmulator()
    gw = await startGateway({
      keyStore: await freshKeyStore(kind),
      yaml: `
model_list:
  - model_name: priced
    litellm_params: { model: openai/priced, api_key: k, api_base: "${emu.url}/v1", input_cost_per_token: 0.001, output_cost_per_token: 0.002 }
  - model_name: other
    litellm_params: { model: mock/echo }
guardrails:
  - guardrail_name: no-secrets
    litellm_params: { guardrail: keyword, keywords: [classified] }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  key_cache_ttl_seconds: 0.2
`,
    })
  })
  afterAll(async () => {
    await gw.stop()
    await emu.stop()
  })

  const admin = (path: string, body?: unknown) =>
    body === undefined ? fetch(gw.url + path, { headers: gw.headers() }) : gw.post(path, body)
  const generate = async (fields: Record<string, unknown> = {}) => {
    const res = await admin('/key/generate', fields)
    expect(res.status).toBe(200)
    return (await jsonOf(res)) as { key: string; token: string } & Record<string, unknown>
  }
  const chat = (key: string, body: Record<string, unknown> = {}) =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'priced', messages: [{ role: 'user', content: 'hello' }], ...body }),
    })

  test('generates a key shown once, stores only its SHA-256, and answers with the key\'s info', async () => {
    const k = await generate({ key_alias: 'team-a', models: ['priced'], rpm_limit: 10, metadata: { team: 'a' } })
    expect(k.key).toMatch(/^sk-[A-Za-z0-9_-]{43}$/)
    expect(k).toMatchObject({ key_alias: 'team-a', models: ['priced'], rpm_limit: 10, metadata: { team: 'a' }, spend: 0, token: hashKey(k.key).slice(0, 16) })
    const stored = await gw.services.keys.store.listKeys()
    expect(JSON.stringify(stored)).not.toContain(k.key)
    expect(stored.some((r) => r.keyHash === hashKey(k.key))).toBe(true)
    const info = await jsonOf(await admin(`/key/info?key=${k.key}`))
    expect(info.info).toMatchObject({ key_alias: 'team-a', spend: 0 })
    expect(JSON.stringify(await jsonOf(await admin('/key/list')))).not.toContain(k.key)
  })

  test('the admin API needs the master key: a virtual key gets 403, no key 401', async () => {
    const k = await generate()
    const asKey = await fetch(`${gw.url}/key/generate`, { method: 'POST', headers: { authorization: `Bearer ${k.key}` }, body: '{}' })
    expect(asKey.status).toBe(403)
    expect((await jsonOf(asKey)).error).toMatchObject({ type: 'permission_error', code: 'admin_only' })
    expect((await fetch(`${gw.url}/key/list`)).status).toBe(401)
    expect((await fetch(`${gw.url}/spend/logs`, { headers: { authorization: `Bearer ${k.key}` } })).status).toBe(403)
  })

  test.each([
    ['an unknown field', { frobnicate: 1 }, 'frobnicate'],
    ['an unknown model', { models: ['gpt-17'] }, 'models'],
    ['an unknown guardrail', { guardrails: ['nope'] }, 'guardrails'],
    ['a bad duration', { budget_duration: 'fortnight' }, 'budget_duration'],
    ['a negative budget', { max_budget: -1 }, 'max_budget'],
  ])('refuses to generate a key with %s (400 naming the field)', async (_n, body, param) => {
    const res = await admin('/key/generate', body)
    expect(res.status).toBe(400)
    expect((await jsonOf(res)).error.param).toBe(param)
  })

  test('a virtual key works for chat, and unknown, deleted and expired keys get 401', async () => {
    const k = await generate()
    expect((await chat(k.key)).status).toBe(200)
    expect((await chat('sk-not-a-real-key')).status).toBe(401)
    await admin('/key/delete', { keys: [k.key] })
    expect((await chat(k.key)).status).toBe(401)
    const expired = await generate({ expires: new Date(Date.now() - 1000).toISOString() })
    const res = await chat(expired.key)
    expect(res.status).toBe(401)
    expect((await jsonOf(res)).error.message).toContain('expired')
  })

  test('a model outside the key\'s allowlist gets 403, and /v1/models lists only its models', async () => {
    const k = await generate({ models: ['other'] })
    const res = await chat(k.key)
    expect(res.status).toBe(403)
    expect((await jsonOf(res)).error).toMatchObject({ type: 'permission_error', code: 'model_not_allowed' })
    const models = await jsonOf(await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${k.key}` } }))
    expect(models.data.map((m: { id: string }) => m.id)).toEqual(['other'])
  })

  test('guardrails forced on a key run on every request of that key', async () => {
    const k = await generate({ guardrails: ['no-secrets'] })
    const res = await chat(k.key, { messages: [{ role: 'user', content: 'the classified plan' }] })
    expect(res.status).toBe(400)
    expect((await jsonOf(res)).error.param).toBe('no-secrets')
    expect((await chat(gw.key, { messages: [{ role: 'user', content: 'the classified plan' }] })).status).toBe(200)
  })

  test('an update takes effect at once on this replica', async () => {
    const k = await generate({ models: ['other'] })
    expect((await chat(k.key)).status).toBe(403)
    await admin('/key/update', { key: k.token, models: [] })
    expect((await chat(k.key)).status).toBe(200)
  })

  test.each([false, true])('rpm_limit admits exactly the limit, then 429 with retry-after and x-ratelimit headers (stream: %p)', async (stream) => {
    const k = await generate({ rpm_limit: 3 })
    const results = await Promise.all(Array.from({ length: 8 }, () => chat(k.key, { stream })))
    const ok = results.filter((r) => r.status === 200)
    const limited = results.filter((r) => r.status === 429)
    expect([ok.length, limited.length]).toEqual([3, 5])
    expect(ok.map((r) => r.headers.get('x-ratelimit-limit-requests'))).toEqual(['3', '3', '3'])
    expect(ok.map((r) => r.headers.get('x-ratelimit-remaining-requests')).sort()).toEqual(['0', '1', '2'])
    const r = limited[0]!
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(r.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+s$/)
    expect((await jsonOf(r)).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' })
    await Promise.all(results.filter((x) => !x.bodyUsed).map((x) => x.text()))
  })

  test('tpm_limit refuses once the tokens of the minute are spent, counting provider usage', async () => {
    const k = await generate({ tpm_limit: 30 })
    emu.script({ text: 'x'.repeat(100), usage: { input: 5, output: 25 } })
    expect((await chat(k.key)).status).toBe(200)
    const res = await chat(k.key)
    expect(res.status).toBe(429)
    expect(res.headers.get('x-ratelimit-limit-tokens')).toBe('30')
    emu.reset()
  })

  test('a key at its budget gets 429 budget_exceeded before any provider call, and budget_duration resets it', async () => {
    const k = await generate({ max_budget: 0.05, budget_duration: '2s' })
    emu.script({ text: 'ok', usage: { input: 10, output: 25 } }) // 10*0.001 + 25*0.002 = 0.06
    expect((await chat(k.key)).status).toBe(200)
    const before = emu.requests.length
    const res = await chat(k.key)
    expect(res.status).toBe(429)
    expect((await jsonOf(res)).error).toMatchObject({ code: 'budget_exceeded', type: 'rate_limit_error' })
    expect(emu.requests.length).toBe(before)
    await Bun.sleep(2100)
    expect((await chat(k.key)).status).toBe(200)
    emu.reset()
  })
})
