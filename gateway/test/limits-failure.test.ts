/**
 * Rate limits when Redis is unreachable, through the whole gateway: the
 * documented rate_limit_failure_mode decides, quickly, and the outage is logged.
 */
import { describe, expect, test } from 'bun:test'
import { jsonOf, startGateway } from './utils.ts'

const DEAD_REDIS = 'redis://127.0.0.1:9' // nothing listens on the discard port

describe.each(['fail_open', 'fail_closed'] as const)('with Redis down and %s', (mode) => {
  test(mode === 'fail_open' ? 'limited keys keep being served and the outage is logged' : 'limited keys get 503 store_unavailable with retry-after', async () => {
    await using gw = await startGateway({
      redis: DEAD_REDIS,
      yaml: `
model_list:
  - model_name: echo
    litellm_params: { model: mock/echo }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  rate_limit_failure_mode: ${mode}
`,
    })
    const { key } = await jsonOf(await gw.post('/key/generate', { rpm_limit: 100 }))
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'x' }] }) })
    if (mode === 'fail_open') {
      expect(res.status).toBe(200)
    } else {
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      expect((await jsonOf(res)).error.code).toBe('store_unavailable')
    }
    expect(gw.logs.some((l) => l.includes('"level":"warn"') && /redis/i.test(l))).toBe(true)
    // Requests without limits never touch Redis.
    expect((await gw.post('/v1/chat/completions', { model: 'echo', messages: [{ role: 'user', content: 'x' }] })).status).toBe(200)
  })
})
