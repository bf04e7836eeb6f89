/**
 * Spend log retention through a running gateway: with
 * maximum_spend_logs_retention_period set, rows older than the period leave
 * the spend log on the configured interval, rows inside it (stream and
 * non-stream requests alike) stay, and a key's spend and budget do not move.
 * Runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL.
 */
import { afterEach, describe, expect, test } from 'bun:test'
import type { SpendRow } from '../src/keys/types.ts'
import { KEY_STORES, freshKeyStore, jsonOf, startGateway, type TestGateway } from './utils.ts'

const DAY = 86_400_000

let gw: TestGateway | undefined
afterEach(async () => {
  await gw?.stop()
  gw = undefined
})

describe.each(KEY_STORES)('spend log retention on %s', (kind) => {
  test('deletes rows older than the period on schedule, keeps the rest and leaves key spend alone', async () => {
    gw = await startGateway({
      keyStore: await freshKeyStore(kind),
      yaml: `
model_list:
  - model_name: echo
    litellm_params: { model: mock/echo, input_cost_per_token: 0.0001, output_cost_per_token: 0.0003 }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  maximum_spend_logs_retention_period: 1d
  maximum_spend_logs_retention_interval: 1s
`,
    })
    const g = gw
    const { key, token } = await jsonOf(await g.post('/key/generate', { key_alias: 'kept' }))
    for (const stream of [false, true]) {
      const res = await fetch(`${g.url}/v1/chat/completions`, {
        method: 'POST', headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'echo', stream, messages: [{ role: 'user', content: `today, stream ${stream}` }] }),
      })
      expect(res.status).toBe(200)
      await res.text()
    }
    const spendBefore = (await jsonOf(await fetch(`${g.url}/key/info?key=${token}`, { headers: g.headers() }))).info.spend
    expect(spendBefore).toBeGreaterThan(0)
    // History from before the period (and one row inside it), as earlier days would have left it.
    const now = Date.now()
    const row = (requestId: string, ageMs: number): SpendRow => ({
      requestId, keyHashPrefix: token, keyAlias: 'kept', model: 'echo', deployment: 'echo#0', provider: 'mock', promptTokens: 10,
      completionTokens: 5, cachedTokens: 0, cost: 0.5, latencyMs: 3, status: 200, stream: false, guardrails: '', createdAt: now - ageMs,
    })
    await g.services.keys.store.recordSpend([row('old-2d', 2 * DAY), row('old-30d', 30 * DAY), row('old-90d', 90 * DAY), row('recent-1h', 3_600_000)], new Map())
    const ids = async () => (await jsonOf(await fetch(`${g.url}/spend/logs?key=${token}&limit=1000`, { headers: g.headers() }))).map((r: { request_id: string }) => r.request_id).sort()
    expect(await ids()).toHaveLength(6)

    const deadline = Date.now() + 5000
    while ((await ids()).some((id: string) => id.startsWith('old-')) && Date.now() < deadline) await Bun.sleep(100)
    const left = await ids()
    expect(left.filter((id: string) => id.startsWith('old-'))).toEqual([])
    expect(left).toHaveLength(3)
    expect(left).toContain('recent-1h')
    expect((await jsonOf(await fetch(`${g.url}/key/info?key=${token}`, { headers: g.headers() }))).info.spend).toBeCloseTo(spendBefore, 12)
    expect(g.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'spend logs deleted')).toEqual([expect.objectContaining({ rows: 3 })])
    const metrics = await (await fetch(`${g.url}/metrics`, { headers: g.headers() })).text()
    expect(metrics).toContain('# TYPE llmgw_spend_logs_deleted_total counter\nllmgw_spend_logs_deleted_total 3\n')
    expect(metrics).toContain('llmgw_spend_log_retention_failures_total 0\n')
    const lastPass = Number(/^llmgw_spend_log_retention_last_success_timestamp_seconds (\S+)$/m.exec(metrics)?.[1])
    expect(lastPass * 1000).toBeGreaterThanOrEqual(now)
    expect(lastPass * 1000).toBeLessThanOrEqual(Date.now())
  })
})
