/**
 * The rate-limiter contract. A limiter admits a request against several
 * counters at once (the key's requests and tokens, the deployment's requests
 * and tokens): either every counter has room and all are charged, or none is
 * charged. Windows are fixed, aligned to the epoch (e.g. each wall-clock
 * minute), so a burst of N concurrent requests against a limit of L admits
 * exactly L whatever the number of replicas sharing the store.
 */

export interface LimitItem {
  /** Counter name, e.g. `key:<hash>:rpm` or `deployment:<id>:tpm`. */
  counter: string
  /** Largest total per window. */
  limit: number
  /** What this request adds (1 for requests, the estimated tokens for tokens). */
  cost: number
  /** Window length, ms (60 000 for per-minute limits). */
  windowMs: number
}

export interface CounterState {
  counter: string
  limit: number
  /** Left in the current window after this admission (or as it stands, when refused). */
  remaining: number
  /** ms until the current window ends. */
  resetMs: number
}

export interface Admission {
  admitted: boolean
  /** One entry per item, in order. */
  counters: CounterState[]
  /** The first item that had no room, when refused. */
  refusedBy?: string
}

export interface Limiter {
  readonly kind: 'memory' | 'redis'
  /** Atomically checks and charges every item; charges nothing when any item is full. */
  admit(items: readonly LimitItem[], now?: number): Promise<Admission>
  /**
   * Corrects a counter after the fact (token usage known after the call):
   * adds `delta` (may be negative) to the window the request was admitted in.
   */
  adjust(counter: string, windowMs: number, delta: number, admittedAt: number): Promise<void>
  close(): Promise<void>
}

/** How to behave when the shared store cannot be reached. */
export type FailureMode = 'fail_open' | 'fail_closed'
