/**
 * A promise rejected with nothing awaiting it is a bug, but it must not take
 * the gateway down: Bun exits on one by default, dropping every request and
 * stream in flight and the spend rows not yet written. The guard logs each
 * one (error level; message and name only, like every error line) and counts
 * it for /metrics; the process goes on. Thrown exceptions are not caught
 * here: after one of those the process state is unknown.
 */
import { describeError, type Logger } from '../observability/log.ts'

/** The log message of each one (harden/ looks for it in a spawned gateway's output). */
export const UNHANDLED_REJECTION = 'unhandled rejection'

export interface RejectionGuard {
  /** Unhandled rejections seen since startup. */
  readonly count: number
}

export function guardRejections(log: Logger): RejectionGuard {
  const guard = { count: 0 }
  process.on('unhandledRejection', (reason) => {
    guard.count++
    log.error(UNHANDLED_REJECTION, describeError(reason))
  })
  return guard
}
