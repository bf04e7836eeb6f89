import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseProcStatus, startService, StartupError, watchMemory } from './processes.ts'

const dir = mkdtempSync(join(tmpdir(), 'load-proc-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('parseProcStatus reads VmRSS and VmHWM in MiB', () => {
  const text = 'Name:\tbun\nVmPeak:\t  999 kB\nVmHWM:\t   204800 kB\nVmRSS:\t   102400 kB\n'
  expect(parseProcStatus(text)).toEqual({ rssMb: 100, peakMb: 200 })
})

test('parseProcStatus gives undefined without VmRSS (a zombie)', () => {
  expect(parseProcStatus('Name:\tbun\nState:\tZ (zombie)\n')).toBeUndefined()
})

const LISTEN = `const s = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('ok') }); console.log(JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:' + s.port }))`

test('startService waits for the ready line, reads memory from /proc and stops the child', async () => {
  const svc = await startService({ name: 'ok', cmd: ['bun', '-e', LISTEN], logDir: dir, readyLog: /"url":"([^"]+)"/ }, false)
  expect(await (await fetch(svc.url)).text()).toBe('ok')
  const watch = watchMemory(svc, 10)
  const mem = watch.stop()
  expect(mem.hwmMb).toBeGreaterThan(1)
  await svc.stop()
  expect(svc.memory()).toBeUndefined()
})

test('a child that exits before it is ready gives a StartupError with its exit code and first stderr line', async () => {
  const cmd = ['bun', '-e', 'console.error(""); console.error("config: model_list[0]: bad"); console.error("second"); process.exit(2)']
  const err = await startService({ name: 'bad', cmd, logDir: dir, readyLog: /url/ }, false).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(StartupError)
  expect({ code: (err as StartupError).exitCode, line: (err as StartupError).firstLine }).toEqual({ code: 2, line: 'config: model_list[0]: bad' })
})

test('a log left by an earlier run in the same directory never gives a stale URL', async () => {
  await Bun.write(join(dir, 'again.out.log'), '{"msg":"listening","url":"http://127.0.0.1:9"}\n'.repeat(3))
  const svc = await startService({ name: 'again', cmd: ['bun', '-e', LISTEN], logDir: dir, readyLog: /"url":"([^"]+)"/ }, false)
  expect(svc.url).not.toBe('http://127.0.0.1:9')
  await svc.stop()
})
