/**
 * Resolves a public model name to the order in which its deployments are
 * tried. Several `model_list` entries with the same `model_name` are
 * deployments of one model. Strategies (`router_settings.routing_strategy`):
 * - `simple-shuffle`: random, weighted by `litellm_params.weight` (default 1);
 * - `least-busy`: fewest calls in flight first (ties shuffled);
 * - `latency-based-routing`: lowest recent latency first; deployments never
 *   measured go first, so every one gets measured.
 * `litellm_params.order` ranks deployments above the strategy: every
 * deployment of order 1 comes before any of order 2, and so on; deployments
 * without an order come last. The strategy orders each rank. Unavailable
 * deployments (missing environment) and deployments in cooldown are left out,
 * so a cooling rank hands its traffic to the next one.
 */
import { errors } from '../errors/gateway-error.ts'
import type { Deployment } from '../providers/types.ts'
import type { DeploymentHealth } from './health.ts'

export type Strategy = 'simple-shuffle' | 'least-busy' | 'latency-based-routing'

export class Router {
  private readonly groups = new Map<string, Deployment[]>()

  constructor(
    deployments: readonly Deployment[],
    readonly health: DeploymentHealth,
    private readonly strategy: Strategy = 'simple-shuffle',
    private readonly random: () => number = Math.random,
  ) {
    for (const d of deployments) {
      const group = this.groups.get(d.modelName)
      if (group) group.push(d)
      else this.groups.set(d.modelName, [d])
    }
  }

  /** Public model names in config order. */
  modelNames(): string[] {
    return [...this.groups.keys()]
  }

  has(model: string): boolean {
    return this.groups.has(model)
  }

  deploymentsOf(model: string): readonly Deployment[] | undefined {
    return this.groups.get(model)
  }

  /**
   * The deployments of `model` in the order to try them. 404 when the model is
   * unknown; 503 (with the reason, or the cooldown's retry-after) when none can serve.
   */
  candidates(model: string): Deployment[] {
    const group = this.groups.get(model)
    if (!group) throw errors.modelNotFound(model)
    const available = group.filter((d) => d.unavailableReason === undefined)
    if (available.length === 0) throw errors.modelUnavailable(model, group[0]?.unavailableReason ?? 'no deployment configured')
    const serving = available.filter((d) => this.health.coolingFor(d.id) === 0)
    if (serving.length === 0) {
      const wait = Math.min(...available.map((d) => this.health.coolingFor(d.id)))
      throw errors.modelCoolingDown(model, wait)
    }
    return this.order(serving)
  }

  private order(ds: Deployment[]): Deployment[] {
    if (ds.length === 1 || !ds.some((d) => d.params.order !== undefined)) return this.byStrategy(ds)
    const ranks = new Map<number, Deployment[]>()
    for (const d of ds) {
      const r = rankOf(d)
      const rank = ranks.get(r)
      if (rank) rank.push(d)
      else ranks.set(r, [d])
    }
    if (ranks.size === 1) return this.byStrategy(ds)
    return [...ranks.keys()].sort((a, b) => a - b).flatMap((r) => this.byStrategy(ranks.get(r)!))
  }

  private byStrategy(ds: Deployment[]): Deployment[] {
    if (ds.length === 1) return ds
    if (this.strategy === 'least-busy') return this.shuffle(ds).sort((a, b) => this.health.inFlight(a.id) - this.health.inFlight(b.id))
    if (this.strategy === 'latency-based-routing') {
      return this.shuffle(ds).sort((a, b) => (this.health.latency(a.id) ?? -1) - (this.health.latency(b.id) ?? -1))
    }
    return this.weightedShuffle(ds)
  }

  private shuffle(ds: Deployment[]): Deployment[] {
    const out = [...ds]
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1))
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }

  /** Weighted sampling without replacement: the first pick follows the weights, then the rest. */
  private weightedShuffle(ds: Deployment[]): Deployment[] {
    const left = [...ds]
    const out: Deployment[] = []
    while (left.length > 0) {
      const weights = left.map(weightOf)
      let r = this.random() * weights.reduce((a, b) => a + b, 0)
      let i = 0
      for (; i < left.length - 1; i++) {
        r -= weights[i]!
        if (r < 0) break
      }
      out.push(left.splice(i, 1)[0]!)
    }
    return out
  }
}

/** `litellm_params.order` (a positive integer); none ranks last. */
function rankOf(d: Deployment): number {
  const o = d.params.order
  return typeof o === 'number' && Number.isFinite(o) ? o : Number.POSITIVE_INFINITY
}

function weightOf(d: Deployment): number {
  const w = d.params.weight
  return typeof w === 'number' && w > 0 ? w : 1
}
