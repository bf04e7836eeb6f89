/**
 * The gateway process as started from a shell: config errors stop it with
 * exit code 2 and one line per problem; without a master key it generates
 * one, prints it once and binds to loopback only; SIGTERM exits 0.
 */
import { describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAIN, cleanEnv, spawnGateway } from './spawn.ts'

function runMain(args: string[], env: Record<string, string | undefined> = {}) {
  // A gateway that should have stopped but serves instead is killed after 15 s (exit code null).
  const r = Bun.spawnSync(['bun', MAIN, '--port', '0', ...args], { env: cleanEnv(env), stdin: 'ignore', timeout: 15_000 })
  return { code: r.exitCode, stdout: r.stdout.toString(), stderr: r.stderr.toString() }
}

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'gw-config-')), 'config.yaml')
  writeFileSync(path, text)
  return path
}

describe('startup', () => {
  test('a malformed config stops startup with exit code 2 and the path of each bad field, without a stack trace', () => {
    const path = configFile(`
model_list:
  - model_name: a
    litellm_params:
      modle: mock/echo
  - model_name: b
    litellm_params:
      model: azure/gpt-4
litellm_settings:
  drop_params: "sometimes"
`)
    const r = runMain(['--config', path])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(path)
    expect(r.stderr).toContain('model_list[0].litellm_params.modle')
    expect(r.stderr).toContain('model_list[1].litellm_params.model')
    expect(r.stderr).toContain('litellm_settings.drop_params')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  test('a missing config file stops startup with exit code 2 naming the file', () => {
    const r = runMain(['--config', '/nonexistent/config.yaml'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('/nonexistent/config.yaml')
  })

  test('a bad flag stops startup with exit code 2 and the usage', () => {
    const r = runMain(['--frobnicate'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('Usage:')
  })

  test('without a master key it prints a generated key once, binds to 127.0.0.1 and that key works', async () => {
    await using gw = await spawnGateway(['--host', '0.0.0.0'], {})
    expect(gw.url).toStartWith('http://127.0.0.1:')
    const key = /\n {2}(sk-[A-Za-z0-9_-]{43})\n/.exec(gw.stdout())?.[1]
    expect(key).toBeDefined()
    expect(gw.stdout().split(key!).length - 1).toBe(1)
    const ok = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'mock-echo', messages: [{ role: 'user', content: 'embedded default works' }] }),
    })
    expect(((await ok.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('embedded default works')
    expect((await fetch(`${gw.url}/v1/models`)).status).toBe(401)
    // The process guards against unhandled rejections and reports them (none here).
    expect(await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${key}` } })).text()).toContain('\nllmgw_unhandled_rejections_total 0\n')
  })

  test('the embedded default lists the seven original models plus mock-echo, Bedrock and Perplexity ones unavailable without their variables', async () => {
    await using gw = await spawnGateway([], { LITELLM_MASTER_KEY: 'sk-main-test' })
    const ready = (await (await fetch(`${gw.url}/health/readiness`)).json()) as { models: Array<{ model_name: string; status: string; reason?: string }> }
    expect(ready.models.map((m) => `${m.model_name}:${m.status}`)).toEqual([
      'nova-micro:unavailable', 'nova-lite:unavailable', 'nova-pro:unavailable', 'llama3-2-1b:unavailable', 'llama3-2-3b:unavailable',
      'perplexity-sonar:unavailable', 'perplexity-sonar-pro:unavailable', 'mock-echo:available',
    ])
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: 'Bearer sk-main-test' },
      body: JSON.stringify({ model: 'nova-micro', messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('AWS_REGION')
  })

  test('a second gateway on a port a gateway already serves exits with code 1 and one line naming the address; the first keeps serving', async () => {
    await using first = await spawnGateway(['--host', '127.0.0.1'], { LITELLM_MASTER_KEY: 'sk-main-test' })
    const port = new URL(first.url).port
    const r = runMain(['--port', port, '--host', '127.0.0.1'], { LITELLM_MASTER_KEY: 'sk-main-test' })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`Cannot listen on 127.0.0.1:${port}: the port is in use`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(r.stderr).not.toContain('node_modules')
    expect((await fetch(`${first.url}/health/liveliness`)).status).toBe(200)
  })

  test('a port held by another program stops startup with exit code 1 and the reason, without a stack trace or a generated key', () => {
    using other = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('not the gateway') })
    const r = runMain(['--port', String(other.port), '--host', '127.0.0.1'], { LITELLM_MASTER_KEY: 'sk-main-test' })
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe(`Cannot listen on 127.0.0.1:${other.port}: the port is in use (another gateway or program listens there; choose another with --port or PORT)`)
    // Without a master key: no generated key is offered by a gateway that never listened.
    const keyless = runMain(['--port', String(other.port), '--host', '127.0.0.1'])
    expect(keyless.code).toBe(1)
    expect(keyless.stdout).not.toContain('Generated one for this run')
  })

  test('when whatever reads its stdout goes away, it says so once on stderr and goes on serving (no unhandled rejection)', async () => {
    const gw = await spawnGateway(['--host', '127.0.0.1'], { LITELLM_MASTER_KEY: 'sk-main-test' })
    await gw.closeStdout() // the log reader is gone: the next write gets EPIPE
    const statuses: number[] = []
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${gw.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk-main-test', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'mock-echo', messages: [{ role: 'user', content: 'hi' }], stream: i % 2 === 1 }),
      })
      await r.text()
      statuses.push(r.status)
    }
    await Bun.sleep(100)
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer sk-main-test' } })).text()
    expect(await gw.stop('SIGINT')).toBe(0)
    const stderr = await gw.stderr()
    expect(statuses).toEqual(Array(20).fill(200))
    expect(metrics).toContain('llmgw_unhandled_rejections_total 0')
    expect(stderr.match(/log output failed: stdout is closed/g)).toHaveLength(1)
    expect(stderr).not.toContain('unhandled rejection')
  })

  test('SIGINT stops the gateway with exit code 0', async () => {
    const gw = await spawnGateway([], { LITELLM_MASTER_KEY: 'sk-main-test' })
    expect(await gw.stop('SIGINT')).toBe(0)
  })
})
