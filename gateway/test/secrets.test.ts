/**
 * Canary secrets: the master key, a virtual key, the provider API key and
 * AWS credentials are canaries; every error path and some successes are
 * driven; their plain, base64 and URL-encoded forms must appear nowhere in
 * response bodies or headers, the gateway's logs, or /metrics.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startBedrockEmulator } from './emulators/bedrock.ts'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import type { Emulator } from './emulators/script.ts'
import { jsonOf, startGateway, type TestGateway } from './utils.ts'

const MASTER = 'sk-canary-master-7f3a9c1e5b2d4f60'
const PROVIDER_KEY = 'pplx-canary-provider-2b8e6d4a1c9f'
const AWS_ID = 'AKIACANARY7Q2W3E4R5T'
const AWS_SECRET = 'canary/Secret+Key9x8c7v6b5n4m3'

let gw: TestGateway
let pplx: Emulator
let bedrock: Emulator
let virtualKey = ''
const seen: string[] = []

beforeAll(async () => {
  pplx = await startOpenAICompatibleEmulator({ flavor: 'perplexity', apiKey: 'the-right-upstream-key' })
  bedrock = await startBedrockEmulator()
  gw = await startGateway({
    env: { LITELLM_MASTER_KEY: MASTER, CANARY_PPLX: PROVIDER_KEY },
    yaml: `
model_list:
  - model_name: sonar
    litellm_params: { model: perplexity/sonar, api_key: os.environ/CANARY_PPLX, api_base: "${pplx.url}" }
  - model_name: nova
    litellm_params: { model: "bedrock/amazon.nova-micro-v1:0", aws_region_name: us-east-1, aws_bedrock_runtime_endpoint: "${bedrock.url}", aws_access_key_id: ${AWS_ID}, aws_secret_access_key: "${AWS_SECRET}" }
router_settings:
  allowed_fails: 1000
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`,
  })
})
afterAll(async () => {
  await gw.stop()
  await Promise.all([pplx.stop(), bedrock.stop()])
})

async function record(res: Response): Promise<void> {
  seen.push(JSON.stringify([...res.headers.entries()]), await res.text())
}
const send = (headers: Record<string, string>, body: unknown) =>
  fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
const auth = (key: string) => ({ authorization: `Bearer ${key}` })
const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra })

test('no canary secret leaks through any error path, in bodies, headers, logs or metrics', async () => {
  virtualKey = (await jsonOf(await fetch(`${gw.url}/key/generate`, { method: 'POST', headers: auth(MASTER), body: '{}' }))).key
  bedrock.script({ match: 'deny', error: { status: 403, name: 'AccessDeniedException', message: `User arn:aws:iam::123456789012:role/gw with key ${AWS_ID} is not authorized` } })
  const cases: Array<Promise<Response>> = [
    send({}, chat('sonar')),
    send(auth(`${MASTER}x`), chat('sonar')),
    send(auth(MASTER.slice(0, -1)), chat('sonar')),
    send({ authorization: `Basic ${btoa(`user:${MASTER}`)}` }, chat('sonar')),
    send(auth(`${virtualKey}0`), chat('sonar')),
    send(auth(MASTER), `{"model": "sonar", "api_key": "${MASTER}"`),
    send(auth(MASTER), chat('sonar', { api_key: PROVIDER_KEY })),
    send(auth(MASTER), chat('sonar', { aws_secret_access_key: AWS_SECRET })),
    send(auth(MASTER), chat(`sonar-${MASTER}`)),
    send(auth(MASTER), chat('sonar')), // upstream refuses our key: provider 401
    send(auth(MASTER), chat('sonar', { stream: true })),
    send(auth(virtualKey), chat('nova', { messages: [{ role: 'user', content: 'deny me' }] })),
    send(auth(virtualKey), chat('nova', { stream: true, messages: [{ role: 'user', content: 'deny me' }] })),
    send(auth(virtualKey), chat('nova')),
    fetch(`${gw.url}/key/info?key=${encodeURIComponent(virtualKey)}`, { headers: auth(virtualKey) }),
    fetch(`${gw.url}/key/info?key=${encodeURIComponent(virtualKey)}`, { headers: auth(MASTER) }),
    fetch(`${gw.url}/key/list`, { headers: auth(MASTER) }),
    fetch(`${gw.url}/metrics`, { headers: auth(MASTER) }),
  ]
  for (const res of await Promise.all(cases)) await record(res)
  await gw.services.spend.flush()
  seen.push(...gw.logs, await (await fetch(`${gw.url}/spend/logs`, { headers: auth(MASTER) })).text())

  const all = seen.join('\n')
  for (const secret of [MASTER, virtualKey, PROVIDER_KEY, AWS_ID, AWS_SECRET]) {
    for (const form of [secret, btoa(secret), encodeURIComponent(secret)]) expect(all.includes(form) ? `${secret} leaked as ${form}` : '').toBe('')
  }
  expect(all).not.toContain('arn:aws')
  expect(all).not.toContain('123456789012')
  expect(all).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/)
})
