// The Dockerfile cannot be built here (no Docker engine): its contract is checked by reading it.
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO } from './render.ts'

const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8')
// Instructions with their continuation lines joined, comments dropped.
const instructions = dockerfile.replace(/\\\n\s*/g, '').split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'))
const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => ({ from: m[1], name: m[2] }))
const bunVersion = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).packageManager.replace('bun@', '')
const dockerignore = readFileSync(join(REPO, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
const stage = (name: string) => {
  const start = dockerfile.indexOf(`AS ${name}\n`)
  const next = dockerfile.indexOf('\nFROM ', start)
  return dockerfile.slice(start, next < 0 ? undefined : next)
}

describe('Dockerfile', () => {
  test('multi-stage: dependencies on the Bun image, runtime on distroless Bun, the gateway last (the default target)', () => {
    expect(stages).toEqual([
      { from: '${BUN_IMAGE}', name: 'deps' },
      { from: '${BUN_RUNTIME_IMAGE}', name: 'runtime' },
      { from: 'runtime', name: 'harness' },
      { from: 'runtime', name: 'gateway' },
    ])
  })

  test(`the base images are oven/bun ${bunVersion} (package.json), the runtime one distroless`, () => {
    const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (BUN_\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]))
    expect(args.BUN_IMAGE).toMatch(new RegExp(`^oven/bun:${bunVersion.replaceAll('.', '\\.')}(@sha256:[0-9a-f]{64})?$`))
    expect(args.BUN_RUNTIME_IMAGE).toMatch(new RegExp(`^oven/bun:${bunVersion.replaceAll('.', '\\.')}-distroless(@sha256:[0-9a-f]{64})?$`))
  })

  test('production dependencies only, from the frozen lockfile, for the gateway workspace only', () => {
    expect(stage('deps')).toContain('RUN bun install --frozen-lockfile --production --omit=peer')
    const copied = [...stage('deps').matchAll(/^COPY (.+) \S+$/gm)].map((m) => m[1])
    expect(copied).toEqual(['package.json bun.lock bunfig.toml', 'gateway/package.json'])
  })

  test('the gateway runs as UID 1000 through an exec-form ENTRYPOINT (SIGTERM reaches Bun), with a HEALTHCHECK and no shell', () => {
    const gateway = stage('gateway')
    expect(stage('runtime')).toContain('USER 1000:1000')
    expect(gateway).toContain('ENTRYPOINT ["/usr/local/bin/bun", "gateway/src/main.ts"]')
    expect(gateway).toContain('STOPSIGNAL SIGTERM')
    expect(gateway).toMatch(/HEALTHCHECK .*\\\n\s+CMD \["\/usr\/local\/bin\/bun", "--eval", ".*\/health\/liveliness/)
    expect(gateway).toContain('BUN_CONFIG_MAX_HTTP_REQUESTS=4096')
    // Exec form everywhere: no /bin/sh -c between Docker and Bun (distroless has no shell).
    expect(instructions.filter((l) => /^(ENTRYPOINT|CMD|HEALTHCHECK)/.test(l) && !/(ENTRYPOINT|CMD) \[/.test(l))).toEqual([])
  })

  test('the images hold no tests, emulators or test kit: only the gateway (or harness) sources are copied', () => {
    const copies = (s: string) => [...stage(s).matchAll(/^COPY (?!--from)(.+) \S+$/gm)].map((m) => m[1])
    expect({ gateway: copies('gateway'), harness: copies('harness') }).toEqual({
      gateway: ['gateway/package.json', 'gateway/src'],
      harness: ['harness/package.json', 'harness/src'],
    })
    expect(dockerignore).toEqual(['*', '!package.json', '!bun.lock', '!bunfig.toml', '!gateway/package.json', '!gateway/src/', '!harness/package.json', '!harness/src/', '**/*.test.ts', '**/fixtures/', '**/node_modules/'])
  })

  test('the harness image runs the conformance CLI (health and production by default)', () => {
    expect(stage('harness')).toContain('ENTRYPOINT ["/usr/local/bin/bun", "harness/src/cli.ts"]')
    expect(stage('harness')).toContain('CMD ["--suite", "health,production"]')
  })

  test('the HEALTHCHECK command is valid JavaScript that Bun runs', () => {
    const cmd = JSON.parse(/CMD (\[.*\])$/m.exec(stage('gateway'))![1]!)
    expect(cmd.slice(0, 2)).toEqual(['/usr/local/bin/bun', '--eval'])
    // No server on this port: the check must fail (exit 1), not crash on a syntax error.
    const p = Bun.spawnSync(['bun', '--eval', cmd[2]], { env: { ...process.env, PORT: '9' }, stderr: 'pipe' })
    expect({ exitCode: p.exitCode, stderr: p.stderr.toString() }).toEqual({ exitCode: 1, stderr: '' })
  })
})
