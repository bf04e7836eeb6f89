import { describe, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { generateKey, KeyDigest } from '../auth/keys.ts'
import { errors } from '../errors/gateway-error.ts'
import { errorPlugin } from '../errors/plugin.ts'
import type { KeyService } from '../keys/service.ts'
import type { KeyRecord } from '../keys/types.ts'
import { createTelemetry } from '../observability/metrics.ts'
import { createLogger } from '../observability/log.ts'
import { metricsRoutes } from './metrics.ts'

const MASTER = generateKey()
const VIRTUAL = generateKey()

const record: KeyRecord = {
  keyHash: 'f'.repeat(64), keyAlias: 'team-a', models: [], rpmLimit: null, tpmLimit: null, maxBudget: null, budgetDuration: null,
  budgetResetAt: null, expiresAt: null, metadata: {}, guardrails: [], spend: 0, createdAt: 0, updatedAt: 0,
}

/** Only the one method authentication calls: the virtual key is known, anything else is a 401. */
const keys = {
  authenticate: async (key: string) => {
    if (key === VIRTUAL) return record
    throw errors.unauthorized()
  },
} as unknown as KeyService

function app(open: boolean) {
  const telemetry = createTelemetry()
  telemetry.startRequest({ requestId: 'r1', route: 'chat.completions', model: 'gpt-4o', stream: false, keyAlias: 'team-a' }).end({ status: 200 })
  const s = { master: new KeyDigest(MASTER), keys }
  return new Elysia().use(errorPlugin(createLogger({ sink: () => {} }))).use(metricsRoutes(s, telemetry, { open }))
}

const scrape = (a: ReturnType<typeof app>, key?: string) =>
  a.handle(new Request('http://localhost/metrics', key ? { headers: { authorization: `Bearer ${key}` } } : {}))

describe('GET /metrics', () => {
  test.each([
    ['protected', 'the master key', false, MASTER, 200],
    ['protected', 'a virtual key', false, VIRTUAL, 403],
    ['protected', 'an unknown key', false, 'sk-unknown-0000', 401],
    ['protected', 'no key', false, undefined, 401],
    ['open', 'no key', true, undefined, 200],
  ])('%s: answers %s with the right status', async (_, __, open, key, status) => {
    const res = await scrape(app(open), key)
    expect(res.status).toBe(status)
  })

  test('serves the text exposition with its content type', async () => {
    const res = await scrape(app(false), MASTER)
    const body = await res.text()
    expect({
      type: res.headers.get('content-type'),
      hasRequests: body.includes('llmgw_requests_total{model="gpt-4o",route="chat.completions",stream="false",status_class="2xx",error_type="none"} 1\n'),
    }).toEqual({ type: 'text/plain; version=0.0.4; charset=utf-8', hasRequests: true })
  })

  test('a virtual key gets the OpenAI error envelope, not metrics', async () => {
    const res = await scrape(app(false), VIRTUAL)
    const body = (await res.json()) as { error?: { code?: string } }
    expect({ status: res.status, code: body.error?.code }).toEqual({ status: 403, code: 'admin_only' })
  })
})
