/**
 * What the router knows about each deployment: in-flight calls (least-busy),
 * a latency average (latency-based-routing), and recent failures. A
 * deployment that fails `allowedFails` times within a minute is cooled down:
 * skipped for `cooldownMs`. Only provider faults count (throttling, 5xx,
 * timeouts, connection errors), never a caller's bad request.
 */
export interface HealthOptions {
  /** Failures within a minute before cooldown (LiteLLM's allowed_fails). Default 3. */
  allowedFails?: number
  /** Cooldown length, ms (LiteLLM's cooldown_time). Default 5 000. */
  cooldownMs?: number
  now?: () => number
  onCooldown?: (deploymentId: string) => void
}

interface State {
  inFlight: number
  /** Exponentially weighted latency, ms; undefined until the first success. */
  latencyMs?: number
  failures: number[]
  cooldownUntil: number
}

const WINDOW = 60_000

export class DeploymentHealth {
  readonly #states = new Map<string, State>()
  readonly #o: Required<Omit<HealthOptions, 'onCooldown'>> & Pick<HealthOptions, 'onCooldown'>

  constructor(o: HealthOptions = {}) {
    this.#o = { allowedFails: 3, cooldownMs: 5000, now: Date.now, ...o }
  }

  #state(id: string): State {
    let s = this.#states.get(id)
    if (!s) this.#states.set(id, (s = { inFlight: 0, failures: [], cooldownUntil: 0 }))
    return s
  }

  started(id: string): void {
    this.#state(id).inFlight++
  }

  /** A call ended; `latencyMs` when it succeeded, `failed` when it counts towards cooldown. */
  finished(id: string, outcome: { latencyMs?: number; failed?: boolean }): void {
    const s = this.#state(id)
    s.inFlight = Math.max(0, s.inFlight - 1)
    if (outcome.latencyMs !== undefined) s.latencyMs = s.latencyMs === undefined ? outcome.latencyMs : 0.8 * s.latencyMs + 0.2 * outcome.latencyMs
    if (!outcome.failed) return
    const now = this.#o.now()
    s.failures = s.failures.filter((t) => now - t < WINDOW)
    s.failures.push(now)
    if (s.failures.length >= this.#o.allowedFails && s.cooldownUntil <= now) {
      s.cooldownUntil = now + this.#o.cooldownMs
      s.failures = []
      this.#o.onCooldown?.(id)
    }
  }

  /** ms left in the deployment's cooldown; 0 when it serves. */
  coolingFor(id: string): number {
    return Math.max(0, (this.#states.get(id)?.cooldownUntil ?? 0) - this.#o.now())
  }

  inFlight(id: string): number {
    return this.#states.get(id)?.inFlight ?? 0
  }

  latency(id: string): number | undefined {
    return this.#states.get(id)?.latencyMs
  }
}
