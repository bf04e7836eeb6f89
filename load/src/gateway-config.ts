/**
 * The gateway under test: its config (pure; JSON is valid YAML, so no YAML
 * library), how to start it, and the checks that decide whether a scenario's
 * features are really active (guardrails, virtual keys) before it is timed.
 */
import { join } from 'node:path'
import type { ServiceSpec } from './processes.ts'
import { MODEL, type GatewayFeatures } from './scenarios/types.ts'

/** Keywords the keyword guardrail blocks; the benchmark's requests and replies contain none. */
export const BLOCKED_KEYWORDS = ['forbidden-benchmark-word', 'another-banned-term']

/** The gateway's config for a mock at `mockUrl` (base URL, no path), keeping keys and spend in the SQLite file `sqlitePath`. */
export function gatewayConfig(mockUrl: string, features: GatewayFeatures, sqlitePath: string): Record<string, unknown> {
  const config: Record<string, unknown> = {
    model_list: [
      { model_name: MODEL, litellm_params: { model: `openai/${MODEL}`, api_base: `${mockUrl}/v1`, api_key: 'mock-upstream-key' } },
    ],
    // The key comes from the environment (gatewaySpec sets it), never from a file.
    general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY', sqlite_path: sqlitePath },
  }
  if (features.guardrails) {
    const litellm = (guardrail: string, extra: Record<string, unknown> = {}) => ({
      guardrail,
      mode: ['pre_call', 'post_call'],
      default_on: true,
      ...extra,
    })
    config.guardrails = [
      { guardrail_name: 'kw', litellm_params: litellm('keyword', { keywords: BLOCKED_KEYWORDS }) },
      { guardrail_name: 'pii', litellm_params: litellm('pii') },
    ]
  }
  return config
}

const GATEWAY_MAIN = join(import.meta.dir, '../../gateway/src/main.ts')

/**
 * How to start the gateway: as deployed (the image, the chart and `make run`
 * set BUN_CONFIG_MAX_HTTP_REQUESTS=4096), pinned to CPU 0, request logs at
 * info level written to `<logDir>/gateway.out.log` (a file, as in
 * production; not discarded, which would hide the cost of logging).
 */
export function gatewaySpec(configPath: string, masterKey: string, logDir: string): ServiceSpec {
  return {
    name: 'gateway',
    cmd: ['bun', GATEWAY_MAIN, '--config', configPath, '--port', '0', '--host', '127.0.0.1'],
    env: { LITELLM_MASTER_KEY: masterKey, LOG_LEVEL: 'info', BUN_CONFIG_MAX_HTTP_REQUESTS: '4096' },
    cpu: 0,
    logDir,
    readyLog: /"msg":"listening","url":"([^"]+)"/,
  }
}

/** Either headers to send, or why the scenario cannot run yet. */
export type FeatureCheck = { ok: true; headers: Record<string, string> } | { ok: false; reason: string }

/**
 * Makes sure the scenario measures what it says. Guardrails: a request with
 * a blocked keyword must be refused, or the guardrails are not active yet.
 * Virtual key: `POST /key/generate` must hand out a key (404 = not built yet).
 */
export async function checkFeatures(gatewayUrl: string, masterKey: string, features: GatewayFeatures): Promise<FeatureCheck> {
  const auth = { authorization: `Bearer ${masterKey}` }
  if (features.guardrails) {
    const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: `say ${BLOCKED_KEYWORDS[0]}` }] }),
    })
    await res.body?.cancel()
    if (res.ok) return { ok: false, reason: 'guardrails not active: a request with a blocked keyword was answered 200' }
  }
  if (features.virtualKey) {
    const res = await fetch(`${gatewayUrl}/key/generate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ models: [MODEL], rpm_limit: 10_000_000, tpm_limit: 10_000_000_000 }),
    })
    const text = await res.text()
    if (res.status === 404) return { ok: false, reason: 'virtual keys not available: POST /key/generate answered 404' }
    const key = res.ok ? (safeJson(text) as { key?: unknown } | undefined)?.key : undefined
    if (typeof key !== 'string') return { ok: false, reason: `POST /key/generate answered ${res.status} without a key: ${text.slice(0, 120)}` }
    return { ok: true, headers: { authorization: `Bearer ${key}` } }
  }
  return { ok: true, headers: auth }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
