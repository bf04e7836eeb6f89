/**
 * Spend reports, master key only: GET /spend/logs, /spend/keys, /spend/models.
 * Filters: `key` (a key or its 16-hex token), `key_alias`, `model`,
 * `start_date` and `end_date` (ISO dates or date-times; end exclusive),
 * `limit` (logs only, default 100, at most 1000). Rows pending in the spend
 * writer are flushed first, so a report includes every finished request.
 */
import { Elysia } from 'elysia'
import { adminPlugin } from '../auth/plugin.ts'
import { errors } from '../errors/gateway-error.ts'
import { hashKey } from '../keys/service.ts'
import type { SpendFilter } from '../keys/types.ts'
import type { GatewayServices } from '../services.ts'

function filterFrom(url: string): SpendFilter {
  const q = new URL(url).searchParams
  const f: SpendFilter = {}
  const key = q.get('key')
  if (key) f.keyHashPrefix = /^[0-9a-f]{16}$/.test(key) ? key : key === 'master' ? 'master' : hashKey(key).slice(0, 16)
  if (q.get('key_alias')) f.keyAlias = q.get('key_alias')!
  if (q.get('model')) f.model = q.get('model')!
  for (const [param, field] of [['start_date', 'from'], ['end_date', 'to']] as const) {
    const v = q.get(param)
    if (v === null) continue
    const at = Date.parse(v)
    if (!Number.isFinite(at)) throw errors.invalidRequest(`'${param}' must be an ISO 8601 date.`, param)
    f[field] = at
  }
  const limit = q.get('limit')
  if (limit !== null) {
    const n = Number(limit)
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw errors.invalidRequest("'limit' must be a whole number from 1 to 1000.", 'limit')
    f.limit = n
  } else f.limit = 100
  return f
}

const iso = (ms: number) => new Date(ms).toISOString()

export function spendRoutes(s: GatewayServices) {
  return new Elysia({ name: 'routes.spend' })
    .use(adminPlugin(s))
    .get('/spend/logs', async ({ request }) => {
      const f = filterFrom(request.url)
      await s.spend.flush()
      return (await s.keys.store.spendLogs(f)).map((r) => ({
        request_id: r.requestId, key: r.keyHashPrefix, key_alias: r.keyAlias, model: r.model, deployment: r.deployment, provider: r.provider,
        prompt_tokens: r.promptTokens, completion_tokens: r.completionTokens, cached_tokens: r.cachedTokens, spend: r.cost,
        latency_ms: r.latencyMs, status: r.status, stream: r.stream, guardrails: r.guardrails, created_at: iso(r.createdAt),
      }))
    })
    .get('/spend/keys', async ({ request }) => {
      await s.spend.flush()
      return (await s.keys.store.spendBy('key_hash_prefix', filterFrom(request.url))).map((g) => ({
        key: g.group, key_alias: g.keyAlias, requests: g.requests, prompt_tokens: g.promptTokens, completion_tokens: g.completionTokens, spend: g.cost,
      }))
    })
    .get('/spend/models', async ({ request }) => {
      await s.spend.flush()
      return (await s.keys.store.spendBy('model', filterFrom(request.url))).map((g) => ({
        model: g.group, requests: g.requests, prompt_tokens: g.promptTokens, completion_tokens: g.completionTokens, spend: g.cost,
      }))
    })
}
