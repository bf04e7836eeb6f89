/**
 * What the rest of the gateway reads from a validated config: the deployments
 * of model_list, and the effective settings where LiteLLM accepts a key in two
 * places (router_settings wins over litellm_settings, as LiteLLM documents;
 * a conflict is reported as a warning).
 */
import { fixedDurationMs } from '../keys/duration.ts'
import type { Deployment, ProviderName } from '../providers/types.ts'
import { pendingKeyWarnings } from './pending.ts'
import { joinIndex, repr } from './problems.ts'
import type { GatewayConfig, ModelEntry, RoutingStrategy } from './schema.ts'

export interface EffectiveSettings {
  /** litellm_settings.drop_params. Default: false. */
  dropParams: boolean
  /** router_settings.timeout ?? litellm_settings.request_timeout, in ms. Default: 600 000. */
  requestTimeoutMs: number
  /** router_settings.num_retries ?? litellm_settings.num_retries. Default: 0. */
  numRetries: number
  /** router_settings.retry_policy: retries per error class, over num_retries. Default: none. */
  retryPolicy: Readonly<Record<string, number | undefined>>
  /** general_settings.max_request_size_mb in bytes (MiB). Default: 1 048 576. */
  maxRequestBodyBytes: number
  /** general_settings.stream_keepalive_seconds in ms. Default: 5 000. */
  streamKeepaliveMs: number
  /** router_settings.routing_strategy. Default: simple-shuffle. */
  routingStrategy: RoutingStrategy
  /** general_settings.stream_idle_timeout_seconds in ms. Default: 60 000. */
  streamIdleTimeoutMs: number
  /** router_settings.allowed_fails. Default: 3. */
  allowedFails: number
  /** router_settings.cooldown_time in ms. Default: 5 000. */
  cooldownMs: number
  /**
   * general_settings.maximum_spend_logs_retention_period and _interval, in ms:
   * spend log rows older than `maxAgeMs` are deleted every `everyMs` (default
   * a day). Default: none (rows are kept).
   */
  spendLogRetention?: { maxAgeMs: number; everyMs: number }
}

/** Deployments in model_list order; ids must be unique (problems are reported through `addProblem`). */
export function buildDeployments(
  entries: ModelEntry[],
  unavailable: ReadonlyMap<number, string[]>,
  addProblem: (path: string, line: string) => void,
): Deployment[] {
  const firstIndexById = new Map<string, number>()
  return entries.map((entry, index) => {
    const id = entry.model_info?.id ?? `${entry.model_name}#${index}`
    const earlier = firstIndexById.get(id)
    if (earlier === undefined) firstIndexById.set(id, index)
    else {
      const path = `${joinIndex('model_list', index)}.model_info.id`
      addProblem(path, `${path}: expected an id unique within model_list, got ${repr(id)} (also the id of model_list[${earlier}])`)
    }
    const { model } = entry.litellm_params
    const slash = model.indexOf('/')
    const deployment: Deployment = {
      id,
      modelName: entry.model_name,
      provider: model.slice(0, slash) as ProviderName,
      upstreamModel: model.slice(slash + 1),
      params: { ...entry.litellm_params },
      ...(entry.model_info ? { info: { ...entry.model_info } } : {}),
    }
    if (deployment.provider === 'mock' && deployment.upstreamModel !== 'echo' && typeof entry.litellm_params.mock_response !== 'string') {
      const path = `${joinIndex('model_list', index)}.litellm_params.mock_response`
      addProblem(path, `${path}: expected the reply text of mock model ${repr(model)} (only mock/echo needs none), got nothing`)
    }
    const missing = unavailable.get(index)
    if (missing) deployment.unavailableReason = missingReason(missing)
    return deployment
  })
}

function missingReason(names: string[]): string {
  if (names.length === 1) return `environment variable ${names[0]} is not set`
  return `environment variables ${names.slice(0, -1).join(', ')} and ${names.at(-1)} are not set`
}

/** Keys accepted in both sections: [router_settings key, litellm_settings key]. */
const OVERLAPS = [
  ['num_retries', 'num_retries'],
  ['timeout', 'request_timeout'],
  ['fallbacks', 'fallbacks'],
  ['context_window_fallbacks', 'context_window_fallbacks'],
  ['content_policy_fallbacks', 'content_policy_fallbacks'],
] as const

/**
 * The effective settings of `config` (defaults applied). `explicit` is the same
 * config before defaults, to tell a key that was written from a default one.
 */
export function effectiveSettings(config: GatewayConfig, explicit: Record<string, unknown>, warnings: string[]): EffectiveSettings {
  const { litellm_settings: litellm, router_settings: router, general_settings: general } = config
  const written = (section: string, key: string) => (explicit[section] as Record<string, unknown> | undefined)?.[key]
  for (const [routerKey, litellmKey] of OVERLAPS) {
    const r = written('router_settings', routerKey)
    const l = written('litellm_settings', litellmKey)
    if (r !== undefined && l !== undefined && JSON.stringify(r) !== JSON.stringify(l)) {
      warnings.push(`router_settings.${routerKey} overrides litellm_settings.${litellmKey} (both are set, to different values)`)
    }
  }
  warnings.push(...pendingKeyWarnings(explicit))
  const retention = general.maximum_spend_logs_retention_period
  const retentionEvery = general.maximum_spend_logs_retention_interval
  if (retentionEvery !== undefined && retention === undefined) {
    warnings.push('general_settings.maximum_spend_logs_retention_interval has no effect without general_settings.maximum_spend_logs_retention_period; spend logs are kept')
  }
  return {
    dropParams: litellm.drop_params,
    requestTimeoutMs: Math.round((router.timeout ?? litellm.request_timeout) * 1000),
    numRetries: router.num_retries ?? litellm.num_retries,
    retryPolicy: router.retry_policy ?? {},
    maxRequestBodyBytes: Math.floor(general.max_request_size_mb * 1024 * 1024),
    streamKeepaliveMs: Math.round(general.stream_keepalive_seconds * 1000),
    routingStrategy: router.routing_strategy,
    streamIdleTimeoutMs: Math.round(general.stream_idle_timeout_seconds * 1000),
    allowedFails: router.allowed_fails ?? 3,
    cooldownMs: Math.round((router.cooldown_time ?? 5) * 1000),
    ...(retention !== undefined ? { spendLogRetention: { maxAgeMs: fixedDurationMs(retention), everyMs: fixedDurationMs(retentionEvery ?? '1d') } } : {}),
  }
}
