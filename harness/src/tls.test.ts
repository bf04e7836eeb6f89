import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_POLICY } from './guardrail-policy.ts'
import { tlsModern } from './suites/production-transport.ts'
import type { SuiteContext } from './suites/context.ts'
import { inspectTls } from './tls.ts'

const openssl = Bun.which('openssl')

/** A throwaway self-signed certificate for "localhost", made per run (no key material in the repository). */
function selfSigned(dir: string): { cert: string; key: string } {
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=localhost']
  const run = Bun.spawnSync([openssl!, ...args, '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stderr: 'pipe' })
  if (!run.success) throw new Error(run.stderr.toString())
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') }
}

describe.skipIf(!openssl)('TLS inspection', () => {
  let dir: string
  let pem: { cert: string; key: string }
  let server: ReturnType<typeof Bun.serve>
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'harness-tls-'))
    pem = selfSigned(dir)
    server = Bun.serve({ port: 0, hostname: '127.0.0.1', tls: { cert: pem.cert, key: pem.key }, fetch: () => new Response('ok') })
  })
  afterAll(async () => {
    await server.stop(true)
    rmSync(dir, { recursive: true, force: true })
  })
  const signal = () => AbortSignal.timeout(5000)
  const ctx = (base: string, tlsCa?: string): SuiteContext => ({
    ep: { base, key: 'k' },
    models: [],
    guardrailModels: [],
    policy: DEFAULT_POLICY,
    oversizeBytes: 1,
    timeoutMs: 5000,
    ...(tlsCa !== undefined ? { tlsCa } : {}),
  })

  test('reads the protocol and validity of a trusted certificate', async () => {
    const info = await inspectTls(new URL(`https://localhost:${server.port}`), { signal: signal(), ca: pem.cert })
    expect(info).toMatchObject({ protocol: 'TLSv1.3', authorized: true })
    expect(info.validTo!.getTime()).toBeGreaterThan(Date.now())
  })

  test('a self-signed certificate does not verify', async () => {
    const info = await inspectTls(new URL(`https://localhost:${server.port}`), { signal: signal() })
    expect(info).toMatchObject({ authorized: false, authorizationError: expect.stringContaining('SELF_SIGNED') })
  })

  test('the production check passes a trusted certificate and fails an untrusted or misnamed one', async () => {
    const named = `https://localhost:${server.port}`
    expect(await tlsModern(ctx(named, pem.cert), signal())).toEqual({ status: 'pass', note: expect.stringMatching(/^TLSv1\.3, certificate valid for [12] more days/) })
    await expect(tlsModern(ctx(named), signal())).rejects.toThrow(`the certificate does not verify for localhost: DEPTH_ZERO_SELF_SIGNED_CERT`)
    await expect(tlsModern(ctx(`https://127.0.0.1:${server.port}`, pem.cert), signal())).rejects.toThrow(/does not verify for 127\.0\.0\.1: ERR_TLS_CERT_ALTNAME_INVALID/)
  })

  test('http endpoints are skipped with a note', async () => {
    expect(await tlsModern(ctx('http://localhost:4000'), signal())).toMatchObject({ status: 'skip' })
  })
})
