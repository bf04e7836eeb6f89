/**
 * SIGTERM with open streams, as Kubernetes sends it: readiness turns false at
 * once while new requests are still served for the delay; then the listener
 * closes; short streams finish normally within the grace period; long ones
 * end with a terminal gateway_shutting_down event and [DONE]; the process
 * exits 0 with the upstream requests closed.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import { waitUntil, type Emulator } from './emulators/script.ts'
import { spawnGateway } from './spawn.ts'
import { chunksOf } from './utils.ts'

let emu: Emulator
beforeAll(async () => {
  emu = await startOpenAICompatibleEmulator()
})
afterAll(() => emu.stop())

test('SIGTERM drains: readiness off, delay, grace, terminal events, exit 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-drain-'))
  const config = join(dir, 'config.yaml')
  writeFileSync(config, `
model_list:
  - model_name: llm
    litellm_params: { model: openai/llm, api_key: k, api_base: "${emu.url}/v1" }
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  shutdown_delay_seconds: 0.5
  shutdown_grace_seconds: 1
`)
  emu.script(
    { match: 'short', text: 'short answer', chunkChars: 2, chunkDelayMs: 50 },
    { match: 'long', text: 'x'.repeat(400), chunkChars: 2, chunkDelayMs: 50 },
  )
  const gw = await spawnGateway(['--config', config], { LITELLM_MASTER_KEY: 'sk-drain' })
  const open = (content: string) =>
    fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-drain' }, body: JSON.stringify({ model: 'llm', stream: true, messages: [{ role: 'user', content }] }) })
      .then((r) => r.text())
  const streams = [open('short'), ...Array.from({ length: 5 }, () => open('long'))]
  await waitUntil(() => emu.requests.length === 6, 5000)

  gw.proc.kill('SIGTERM')
  await waitUntil(() => gw.stdout().includes('"msg":"draining"'), 2000)
  expect((await fetch(`${gw.url}/health/readiness`)).status).toBe(503)
  expect((await fetch(`${gw.url}/v1/models`, { headers: { authorization: 'Bearer sk-drain' } })).status).toBe(200)

  const bodies = await Promise.all(streams)
  const short = bodies[0]!
  expect(short).toContain('"finish_reason":"stop"')
  for (const body of bodies.slice(1)) {
    const data = body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6))
    expect(data.at(-1)).toBe('[DONE]')
    expect(JSON.parse(data.at(-2)!).error).toMatchObject({ code: 'gateway_shutting_down', type: 'service_unavailable_error' })
    expect(chunksOf(data.slice(0, -2)).some((c) => c.choices[0]?.finish_reason === 'stop')).toBe(false)
  }
  expect(await gw.proc.exited).toBe(0)
  await waitUntil(() => emu.requests.slice(1).every((r) => r.aborted), 2000)
  await expect(fetch(`${gw.url}/healthz`)).rejects.toThrow()
}, 20_000)
