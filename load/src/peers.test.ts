import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bindMock, parseTargetFlag, readTargetsFile, startPeers } from './peers.ts'

const dir = mkdtempSync(join(tmpdir(), 'load-peers-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test.each([
  ['portkey=http://127.0.0.1:8787/v1', { name: 'portkey', url: 'http://127.0.0.1:8787/v1' }],
  ['my_peer-2=https://example.test/v1/', { name: 'my_peer-2', url: 'https://example.test/v1' }],
])('parseTargetFlag(%p)', (flag, want) => {
  expect(parseTargetFlag(flag)).toEqual(want)
})

test.each(['http://no-name', 'name=ftp://x', 'bad name=http://x'])('parseTargetFlag rejects %p', (flag) => {
  expect(() => parseTargetFlag(flag)).toThrow('--target expects NAME=URL')
})

test('bindMock fills {{mock_url}} in the url, headers, command and env', () => {
  const spec = { name: 'p', url: 'http://h/v1', headers: { 'x-host': '{{mock_url}}/v1' }, command: ['run', '--up={{mock_url}}'], env: { UP: '{{mock_url}}' } }
  expect(bindMock(spec, 'http://127.0.0.1:9')).toEqual({
    name: 'p',
    url: 'http://h/v1',
    headers: { 'x-host': 'http://127.0.0.1:9/v1' },
    command: ['run', '--up=http://127.0.0.1:9'],
    env: { UP: 'http://127.0.0.1:9' },
  })
})

test('readTargetsFile reads an array of targets and names the bad entry', () => {
  const good = join(dir, 'good.json')
  writeFileSync(good, JSON.stringify([{ name: 'a', url: 'http://a/v1' }]))
  expect(readTargetsFile(good)).toEqual([{ name: 'a', url: 'http://a/v1' }])
  const bad = join(dir, 'bad.json')
  writeFileSync(bad, JSON.stringify([{ name: 'a', url: 'http://a/v1' }, { url: 'x' }]))
  expect(() => readTargetsFile(bad)).toThrow(`${bad}[1]: needs "name" and "url"`)
})

test('a peer that cannot start is left out with a note, not a crash', async () => {
  const peers = await startPeers([{ name: 'broken', url: 'http://127.0.0.1:9/v1', command: ['bun', '-e', 'console.error("no luck"); process.exit(3)'] }], 'http://127.0.0.1:1', dir, false)
  expect(peers.map((p) => p.problem)).toEqual(['broken left out: peer-broken did not start (exit 3): no luck'])
})
