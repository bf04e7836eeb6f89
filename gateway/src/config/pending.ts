/**
 * Keys the schema validates (their types are known, so typos and wrong types
 * are still caught) but that do not act yet in this release. Each one written
 * in a config gives one startup warning, so nobody believes a fallback or a
 * cooldown protects them when it does not. Remove an entry when its feature lands.
 */
const PENDING: ReadonlyArray<[section: string, key: string]> = [
  ['router_settings', 'retry_policy'],
]

/** Per-deployment keys (litellm_params / model_info) that do not act yet. */
const PENDING_MODEL_KEYS: ReadonlyArray<[part: string, key: string]> = []

/** Routing strategies that act today; others are accepted and fall back to simple-shuffle. */
const ACTIVE_STRATEGIES = new Set(['simple-shuffle', 'least-busy', 'latency-based-routing'])

export function pendingKeyWarnings(explicit: Record<string, unknown>): string[] {
  const warnings: string[] = []
  const section = (name: string) => explicit[name] as Record<string, unknown> | undefined
  for (const [name, key] of PENDING) {
    if (section(name)?.[key] !== undefined) warnings.push(`${name}.${key}: accepted but not active yet in llm-gateway; ignored`)
  }
  const models = Array.isArray(explicit.model_list) ? (explicit.model_list as Array<Record<string, unknown>>) : []
  models.forEach((entry, i) => {
    for (const [part, key] of PENDING_MODEL_KEYS) {
      const obj = entry?.[part] as Record<string, unknown> | undefined
      if (obj?.[key] !== undefined) warnings.push(`model_list[${i}].${part}.${key}: accepted but not active yet in llm-gateway; ignored`)
    }
  })
  const strategy = section('router_settings')?.routing_strategy
  if (typeof strategy === 'string' && !ACTIVE_STRATEGIES.has(strategy)) {
    warnings.push(`router_settings.routing_strategy: "${strategy}" is not active yet in llm-gateway; using simple-shuffle`)
  }
  return warnings
}
