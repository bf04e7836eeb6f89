/**
 * Structured JSON logs, one object per line on stdout (stderr for errors).
 * Callers pass plain fields; nothing here ever receives a key, a prompt or a
 * credential, and any field whose name says it is secret is masked anyway.
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

/**
 * Lines are batched and written once per turn of the event loop (one write
 * call instead of one per line), and flushed synchronously at exit, so a
 * busy gateway does not spend its time in write(2). Errors go out at once.
 */
let pending: string[] = []
let scheduled = false
/**
 * Set when stdout fails for good (EPIPE: whatever read it has gone). From then
 * on info and warn lines are dropped, which is said once on stderr; the
 * gateway goes on serving. Errors still go to stderr.
 */
let stdoutFailed = false
function flush(): void {
  scheduled = false
  if (pending.length === 0) return
  const text = pending.join('')
  pending = []
  if (!stdoutFailed) process.stdout.write(text)
}
process.on('exit', flush)
process.stdout.on('error', (err: Error) => {
  if (stdoutFailed) return
  stdoutFailed = true
  createLogger().error('log output failed: stdout is closed, info and warn lines are dropped from now on', describeError(err))
})
// With stderr gone too there is nowhere left to say anything; writing on must not fail a request.
process.stderr.on('error', () => undefined)

const defaultSink: LogSink = (line, level) => {
  if (level === 'error') {
    flush()
    process.stderr.write(`${line}\n`)
    return
  }
  pending.push(`${line}\n`)
  if (!scheduled) {
    scheduled = true
    setImmediate(flush)
  }
}

/** Field names seen so far and whether they name a secret (the set of names is small and fixed). */
const secretName = new Map<string, boolean>()
function isSecretName(k: string): boolean {
  let v = secretName.get(k)
  if (v === undefined) {
    v = SECRET_FIELD.test(k)
    if (secretName.size < 10_000) secretName.set(k, v)
  }
  return v
}

/** Copies `fields` onto `line`, masking the value of every field whose name says it is secret. */
function addRedacted(line: Record<string, unknown>, fields: Record<string, unknown>): void {
  for (const k in fields) line[k] = isSecretName(k) ? '[REDACTED]' : fields[k]
}

export function createLogger(opts: { level?: LogLevel; sink?: LogSink } = {}): Logger {
  const min = ORDER[opts.level ?? 'info']
  const sink = opts.sink ?? defaultSink
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, msg }
    if (fields) addRedacted(line, fields)
    sink(JSON.stringify(line), level)
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
