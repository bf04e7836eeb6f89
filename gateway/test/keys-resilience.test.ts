/**
 * The database stays off the request path: with the key store hanging,
 * requests of cached keys still complete and spend waits in the writer;
 * a graceful shutdown flushes every pending spend row.
 */
import { expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KeyStore } from '../src/keys/store.ts'
import { spawnGateway } from './spawn.ts'
import { jsonOf, startGateway } from './utils.ts'

test('a hung key store does not stop requests of keys already cached', async () => {
  const gw = await startGateway({
    yaml: `
model_list:
  - model_name: echo
    litellm_params: { model: mock/echo }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  key_cache_ttl_seconds: 0.05
`,
  })
  const { key } = await jsonOf(await gw.post('/key/generate', {}))
  const ask = () => fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'still here' }] }) })
  expect((await ask()).status).toBe(200)
  const store = gw.services.keys.store
  const hang = () => new Promise<never>(() => {})
  store.getKey = hang
  store.recordSpend = hang
  await Bun.sleep(100) // the cached entry is now stale: refreshes hang forever
  const statuses = await Promise.all([ask(), ask(), ask()].map((p) => p.then((r) => r.status)))
  expect(statuses).toEqual([200, 200, 200])
  expect(gw.services.spend.pending).toBeGreaterThan(0)
  await gw.stop(100)
})

test('SIGTERM flushes every pending spend row before the process exits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-flush-'))
  const db = join(dir, 'keys.sqlite')
  const config = join(dir, 'config.yaml')
  writeFileSync(config, `
model_list:
  - model_name: echo
    litellm_params: { model: mock/echo }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  sqlite_path: ${db}
  shutdown_delay_seconds: 0
`)
  const gw = await spawnGateway(['--config', config], { LITELLM_MASTER_KEY: 'sk-flush-test' })
  const n = 25
  await Promise.all(Array.from({ length: n }, (_, i) =>
    fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-flush-test' }, body: JSON.stringify({ model: 'echo', stream: i % 2 === 0, messages: [{ role: 'user', content: `r${i}` }] }) }).then((r) => r.text()),
  ))
  expect(await gw.stop('SIGTERM')).toBe(0)
  const store = new KeyStore(db)
  expect(await store.spendLogs({ limit: 1000 })).toHaveLength(n)
  await store.close()
})
