import { expect, test } from 'bun:test'

/** Runs `body` in a fresh Bun process with the guard installed; returns its output and exit code. */
function runGuarded(body: string) {
  const script = `
import { guardRejections } from ${JSON.stringify(`${import.meta.dir}/rejection-guard.ts`)}
import { createLogger } from ${JSON.stringify(`${import.meta.dir}/../observability/log.ts`)}
const guard = guardRejections(createLogger({ level: 'info' }))
${body}
setTimeout(() => console.log(JSON.stringify({ alive: true, count: guard.count })), 50)
`
  const p = Bun.spawnSync([process.execPath, '-e', script], { stdout: 'pipe', stderr: 'pipe' })
  return { code: p.exitCode, out: p.stdout.toString(), err: p.stderr.toString() }
}

test('an unhandled rejection is logged and counted, and the process goes on', () => {
  const r = runGuarded(`Promise.reject(new TypeError('lost promise')); void (async () => { throw new Error('second one') })()`)
  expect(r.code).toBe(0)
  const errors = r.err.trim().split('\n').map((l) => JSON.parse(l))
  expect(errors).toEqual([
    expect.objectContaining({ level: 'error', msg: 'unhandled rejection', error: 'lost promise', error_name: 'TypeError' }),
    expect.objectContaining({ level: 'error', msg: 'unhandled rejection', error: 'second one', error_name: 'Error' }),
  ])
  expect(JSON.parse(r.out.trim())).toEqual({ alive: true, count: 2 })
})

test('without the guard Bun would have exited: the same script fails unguarded', () => {
  const p = Bun.spawnSync([process.execPath, '-e', `Promise.reject(new Error('lost promise')); setTimeout(() => console.log('alive'), 50)`], { stdout: 'pipe', stderr: 'pipe' })
  expect(p.exitCode).not.toBe(0)
  expect(p.stdout.toString()).not.toContain('alive')
})
