/**
 * Resolves a public model name to one of its deployments. Several
 * `model_list` entries with the same `model_name` are deployments of one
 * model; `simple-shuffle` picks among the available ones at random, weighted
 * by `litellm_params.weight` (default 1).
 */
import { errors } from '../errors/gateway-error.ts'
import type { Deployment } from '../providers/types.ts'

export class Router {
  private readonly groups = new Map<string, Deployment[]>()

  constructor(deployments: readonly Deployment[], private readonly random: () => number = Math.random) {
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

  deploymentsOf(model: string): readonly Deployment[] | undefined {
    return this.groups.get(model)
  }

  /** Picks a deployment for `model`; 404 when unknown, 503 (with the reason) when none is available. */
  pick(model: string): Deployment {
    const group = this.groups.get(model)
    if (!group) throw errors.modelNotFound(model)
    const available = group.filter((d) => d.unavailableReason === undefined)
    if (available.length === 0) throw errors.modelUnavailable(model, group[0]?.unavailableReason ?? 'no deployment configured')
    if (available.length === 1) return available[0]!
    const weights = available.map((d) => weightOf(d))
    let r = this.random() * weights.reduce((a, b) => a + b, 0)
    for (let i = 0; i < available.length; i++) {
      r -= weights[i]!
      if (r < 0) return available[i]!
    }
    return available[available.length - 1]!
  }
}

function weightOf(d: Deployment): number {
  const w = d.params.weight
  return typeof w === 'number' && w > 0 ? w : 1
}
