/**
 * Limits and keys that hold across replicas: three real gateway processes
 * share one PostgreSQL (keys, spend) and one Redis (rate-limit counters).
 * 300 concurrent requests on a key with rpm_limit 50, spread round-robin
 * across the three, admit exactly 50. A key deleted on one replica stops
 * working on the others within the key cache's TTL. Needs the services that
 * scripts/services.sh starts (TEST_DATABASE_URL, TEST_REDIS_URL).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnGateway, type SpawnedGateway } from './spawn.ts'
import { freshPostgres, jsonOf } from './utils.ts'

const ready = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL)
if (!ready) console.warn('replicas.test.ts: TEST_DATABASE_URL / TEST_REDIS_URL not set (run scripts/services.sh start); skipped')
const MASTER = 'sk-replicas-master-key'

describe.skipIf(!ready)('three replicas sharing PostgreSQL and Redis', () => {
  const replicas: SpawnedGateway[] = []

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-replicas-'))
    const config = join(dir, 'config.yaml')
    writeFileSync(config, `
model_list:
  - model_name: echo
    litellm_params: { model: mock/echo }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  key_cache_ttl_seconds: 1
`)
    const env = { LITELLM_MASTER_KEY: MASTER, DATABASE_URL: await freshPostgres(), REDIS_URL: process.env.TEST_REDIS_URL, BUN_CONFIG_MAX_HTTP_REQUESTS: '1024' }
    for (let i = 0; i < 3; i++) replicas.push(await spawnGateway(['--config', config, '--host', '127.0.0.1'], env))
  }, 30_000)
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()))
  })

  const generate = async (fields: Record<string, unknown>) =>
    jsonOf(await fetch(`${replicas[0]!.url}/key/generate`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: JSON.stringify(fields) }))
  const chat = (url: string, key: string) =>
    fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] }) })

  test('300 concurrent requests on a key with rpm_limit 50, round-robin over three replicas, admit exactly 50', async () => {
    const { key } = await generate({ rpm_limit: 50 })
    const statuses = await Promise.all(Array.from({ length: 300 }, (_, i) => chat(replicas[i % 3]!.url, key).then(async (r) => (await r.text(), r.status))))
    expect({ admitted: statuses.filter((s) => s === 200).length, limited: statuses.filter((s) => s === 429).length }).toEqual({ admitted: 50, limited: 250 })
  }, 30_000)

  test('a key deleted on one replica is refused by the others within the cache TTL', async () => {
    const { key } = await generate({})
    expect((await Promise.all(replicas.map((r) => chat(r.url, key).then((x) => x.status))))).toEqual([200, 200, 200])
    await fetch(`${replicas[0]!.url}/key/delete`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` }, body: JSON.stringify({ keys: [key] }) })
    expect((await chat(replicas[0]!.url, key)).status).toBe(401)
    const deadline = Date.now() + 5000
    let statuses: number[] = []
    while (Date.now() < deadline) {
      statuses = await Promise.all(replicas.map((r) => chat(r.url, key).then((x) => x.status)))
      if (statuses.every((s) => s === 401)) break
      await Bun.sleep(100)
    }
    expect(statuses).toEqual([401, 401, 401])
  })
})
