/**
 * A scenario is data: what the mock does, how the gateway is configured, what
 * load is offered and to which targets. measure.ts runs any of them.
 */
import type { MockOptions } from '../mock-upstream.ts'

/** The model name every target serves (the mock's, the gateway's alias, the peers'). */
export const MODEL = 'mock-model'

/** A chat request body for every target. Plain text that trips no guardrail. */
export function chatBody(stream: boolean): string {
  return JSON.stringify({
    model: MODEL,
    messages: [{ role: 'user', content: 'Say hello in one short sentence, please.' }],
    ...(stream ? { stream: true } : {}),
  })
}

/** Gateway features a scenario turns on. */
export interface GatewayFeatures {
  /** The keyword and PII guardrails, pre_call and post_call, default_on. */
  guardrails?: boolean
  /** Requests use a virtual key from `POST /key/generate` (with a rate limit) instead of the master key. */
  virtualKey?: boolean
}

/** Offered load; CLI flags override these defaults. */
export interface ScenarioLoad {
  /** Requests (or streams) started per second; absent = saturating. */
  rate?: number
  /** autocannon connections (saturating), the most requests in flight (fixed rate), or the most streams open at once. */
  connections: number
  /** Exactly this many streams, all at once (open-streams). */
  total?: number
  /** Rounds override (open-streams runs once). */
  rounds?: number
}

/** One benchmark scenario. */
export interface Scenario {
  name: string
  description: string
  mode: 'http' | 'stream'
  mock: MockOptions
  gateway: GatewayFeatures
  load: ScenarioLoad
  /** Which targets besides direct and the gateway. */
  passthrough: boolean
  peers: boolean
  /** Run direct as the reference. Default true. */
  direct?: boolean
  /** Per-stream deadline (ms). */
  streamTimeoutMs?: number
}

/**
 * `base` with the keyword and PII guardrails on: named `<base>-guardrails`,
 * against direct only (peers run without guardrails), unless `over` says otherwise.
 */
export function withGuardrails(base: Scenario, description: string, over: Partial<Scenario> = {}): Scenario {
  return { ...base, name: `${base.name}-guardrails`, description, gateway: { ...base.gateway, guardrails: true }, passthrough: false, peers: false, ...over }
}
