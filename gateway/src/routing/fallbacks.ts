/**
 * Fallback model groups, from `router_settings` (which wins) or
 * `litellm_settings`: `fallbacks` for provider failures, `context_window_fallbacks`
 * when the input is too long, `content_policy_fallbacks` when the provider
 * refuses on content. Each maps a model name to the ordered models to try.
 */
import type { GatewayConfig } from '../config/schema.ts'
import type { GatewayError } from '../errors/gateway-error.ts'

export type FallbackKind = 'generic' | 'context_window' | 'content_policy'
type Lists = ReadonlyArray<Record<string, string[]>> | undefined

export class Fallbacks {
  readonly #maps: Record<FallbackKind, Map<string, string[]>>

  constructor(config: Pick<GatewayConfig, 'router_settings' | 'litellm_settings'>) {
    const r = config.router_settings
    const l = config.litellm_settings
    const build = (a: Lists, b: Lists) => {
      const m = new Map<string, string[]>()
      for (const entry of a ?? b ?? []) for (const [k, v] of Object.entries(entry)) m.set(k, v)
      return m
    }
    this.#maps = {
      generic: build(r.fallbacks, l.fallbacks),
      context_window: build(r.context_window_fallbacks, l.context_window_fallbacks),
      content_policy: build(r.content_policy_fallbacks, l.content_policy_fallbacks),
    }
  }

  /** Every model name fallbacks refer to (for validation against model_list). */
  referenced(): Array<{ kind: FallbackKind; from: string; to: string }> {
    return (Object.entries(this.#maps) as Array<[FallbackKind, Map<string, string[]>]>).flatMap(([kind, m]) =>
      [...m].flatMap(([from, tos]) => tos.map((to) => ({ kind, from, to }))))
  }

  /** Models to try after `model` failed with `err`; empty when the error calls for none. */
  after(model: string, err: GatewayError): { kind: FallbackKind; models: string[] } {
    const kind = kindOf(err)
    return kind ? { kind, models: this.#maps[kind].get(model) ?? [] } : { kind: 'generic', models: [] }
  }
}

/** Which list an error calls for: only provider faults trigger fallbacks, never a caller's own mistake. */
export function kindOf(err: GatewayError): FallbackKind | undefined {
  if (err.domain !== 'provider' && err.code !== 'model_cooling_down' && err.code !== 'rate_limited_deployment') return undefined
  if (err.code === 'provider_context_length_exceeded') return 'context_window'
  if (err.code === 'provider_content_policy') return 'content_policy'
  if (err.code === 'provider_invalid_request') return undefined
  return 'generic'
}
