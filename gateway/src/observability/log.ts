/**
 * Structured JSON logs, one object per line on stdout (stderr for errors).
 * Callers pass plain fields; nothing here ever receives a key, a prompt or a
 * credential, and `redact` masks any field whose name says it is secret.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }
const SECRET_FIELD = /authorization|api[_-]?key|secret|password|token$|master[_-]?key|credential/i

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

export type LogSink = (line: string, level: LogLevel) => void

const defaultSink: LogSink = (line, level) => {
  if (level === 'error') process.stderr.write(`${line}\n`)
  else process.stdout.write(`${line}\n`)
}

export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) out[k] = SECRET_FIELD.test(k) ? '[REDACTED]' : v
  return out
}

export function createLogger(opts: { level?: LogLevel; sink?: LogSink } = {}): Logger {
  const min = ORDER[opts.level ?? 'info']
  const sink = opts.sink ?? defaultSink
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return
    sink(JSON.stringify({ time: new Date().toISOString(), level, msg, ...(fields ? redact(fields) : {}) }), level)
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  }
}

export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: String(err).slice(0, 500) }
  const cause = (err as { cause?: unknown }).cause
  return {
    error: err.message.slice(0, 500),
    error_name: err.name,
    ...(cause instanceof Error ? { cause: cause.message.slice(0, 500), cause_name: cause.name } : {}),
  }
}
