/**
 * Spend that adds up: after mixed stream and non-stream requests, the sum of
 * the spend log equals the key's spend equals the sum of the per-request
 * costs the client was told (x-gateway-response-cost, or the SSE trailer
 * comment on streams); cached tokens are priced as such in both modes; the
 * spend reports filter by key, model and date.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { bedrockParams } from './emulated.ts'
import { startBedrockEmulator } from './emulators/bedrock.ts'
import type { Emulator } from './emulators/script.ts'
import { freshPostgres, jsonOf, startGateway, type TestGateway } from './utils.ts'

let gw: TestGateway
let bedrock: Emulator

beforeAll(async () => {
  bedrock = await startBedrockEmulator()
  gw = await startGateway({
    keyStore: (await freshPostgres()) ?? ':memory:',
    yaml: `
model_list:
  - model_name: nova-pro
    litellm_params: ${bedrockParams(bedrock.url, 'amazon.nova-pro-v1:0')}
  - model_name: echo
    litellm_params: { model: mock/echo, input_cost_per_token: 0.0001, output_cost_per_token: 0.0003 }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`,
  })
})
afterAll(async () => {
  await gw.stop()
  await bedrock.stop()
})

async function costOfResponse(res: Response): Promise<number> {
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.text()
    return Number(res.headers.get('x-gateway-response-cost'))
  }
  const m = /^: x-gateway-response-cost=([0-9.e-]+)$/m.exec(await res.text())
  if (!m) throw new Error('stream without a cost trailer')
  return Number(m[1])
}

describe('spend', () => {
  test('spend log sum = key spend = sum of the costs reported to the client, over mixed stream and non-stream requests', async () => {
    const { key, token } = await jsonOf(await gw.post('/key/generate', { key_alias: 'spender' }))
    bedrock.script({ text: 'A cached answer of some length.', usage: { input: 120, output: 40, cacheRead: 300, cacheWrite: 50 } })
    const costs: number[] = []
    for (let i = 0; i < 12; i++) {
      const res = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST', headers: { authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: i % 3 === 0 ? 'echo' : 'nova-pro', stream: i % 2 === 0, messages: [{ role: 'user', content: `request number ${i}` }] }),
      })
      expect(res.status).toBe(200)
      costs.push(await costOfResponse(res))
    }
    expect(costs.every((c) => c > 0)).toBe(true)
    const logs = await jsonOf(await fetch(`${gw.url}/spend/logs?key=${token}&limit=1000`, { headers: gw.headers() }))
    const info = await jsonOf(await fetch(`${gw.url}/key/info?key=${token}`, { headers: gw.headers() }))
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
    expect(logs).toHaveLength(12)
    expect(sum(logs.map((l: { spend: number }) => l.spend))).toBeCloseTo(sum(costs), 9)
    expect(info.info.spend).toBeCloseTo(sum(costs), 9)
  })

  test('a streamed reply costs the same as the same reply without streaming, cached tokens included', async () => {
    bedrock.script({ text: 'Same reply either way.', usage: { input: 100, output: 20, cacheRead: 400, cacheWrite: 0 } })
    const ask = (stream: boolean) => gw.post('/v1/chat/completions', { model: 'nova-pro', stream, messages: [{ role: 'user', content: 'q' }] })
    const plain = await costOfResponse(await ask(false))
    const streamed = await costOfResponse(await ask(true))
    // 100 fresh at 0.80/M + 400 cache reads at 0.20/M + 20 out at 3.20/M
    expect(plain).toBeCloseTo(100 * 0.8e-6 + 400 * 0.2e-6 + 20 * 3.2e-6, 12)
    expect(streamed).toBe(plain)
  })

  test('the reports group by key and model and filter by model and date', async () => {
    const byModel = await jsonOf(await fetch(`${gw.url}/spend/models`, { headers: gw.headers() }))
    expect(byModel.map((m: { model: string }) => m.model).sort()).toEqual(['echo', 'nova-pro'])
    const byKey = await jsonOf(await fetch(`${gw.url}/spend/keys`, { headers: gw.headers() }))
    expect(byKey.find((k: { key_alias: string }) => k.key_alias === 'spender').requests).toBe(12)
    const echoOnly = await jsonOf(await fetch(`${gw.url}/spend/logs?model=echo`, { headers: gw.headers() }))
    expect(echoOnly.every((l: { model: string }) => l.model === 'echo')).toBe(true)
    const future = await jsonOf(await fetch(`${gw.url}/spend/logs?start_date=2999-01-01`, { headers: gw.headers() }))
    expect(future).toEqual([])
    expect((await fetch(`${gw.url}/spend/logs?start_date=yesterday`, { headers: gw.headers() })).status).toBe(400)
  })
})
