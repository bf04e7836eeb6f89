import { expect, test } from 'bun:test'
import { createLogger, type LogLevel } from './log.ts'

function capture(level: LogLevel = 'info') {
  const lines: Array<{ level: LogLevel; obj: Record<string, unknown> }> = []
  const log = createLogger({ level, sink: (line, l) => lines.push({ level: l, obj: JSON.parse(line) }) })
  return { log, lines }
}

test('masks the value of every field whose name says it is secret, and keeps the others', () => {
  const { log, lines } = capture()
  log.info('upstream call', { api_key: 'sk-live-1', Authorization: 'Bearer x', master_key: 'm', db_password: 'p', refresh_token: 't', model: 'nova', prompt_tokens: 12 })
  expect(lines[0]!.obj).toMatchObject({ level: 'info', msg: 'upstream call', api_key: '[REDACTED]', Authorization: '[REDACTED]', master_key: '[REDACTED]', db_password: '[REDACTED]', refresh_token: '[REDACTED]', model: 'nova', prompt_tokens: 12 })
  expect(JSON.stringify(lines)).not.toContain('sk-live-1')
  expect(typeof lines[0]!.obj.time).toBe('string')
})

test('drops lines below the configured level', () => {
  const { log, lines } = capture('warn')
  log.debug('d')
  log.info('i')
  log.warn('w')
  log.error('e')
  expect(lines.map((l) => [l.level, l.obj.msg])).toEqual([['warn', 'w'], ['error', 'e']])
})
