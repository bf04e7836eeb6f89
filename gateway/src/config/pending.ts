/**
 * Values the schema accepts but that do not act yet in this release: LiteLLM
 * routing strategies we have not built. Each one written in a config gives a
 * startup warning, so nobody believes it routes their traffic.
 */

/** Routing strategies that act today; others are accepted and fall back to simple-shuffle. */
const ACTIVE_STRATEGIES = new Set(['simple-shuffle', 'least-busy', 'latency-based-routing'])

export function pendingKeyWarnings(explicit: Record<string, unknown>): string[] {
  const strategy = (explicit.router_settings as Record<string, unknown> | undefined)?.routing_strategy
  if (typeof strategy === 'string' && !ACTIVE_STRATEGIES.has(strategy)) {
    return [`router_settings.routing_strategy: "${strategy}" is not active yet in llm-gateway; using simple-shuffle`]
  }
  return []
}
