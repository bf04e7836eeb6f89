/**
 * The gateway under test, in process: the real app on a real socket
 * (gateway/test/utils.ts `startGateway`), wired to the Bedrock and Perplexity
 * emulators, with the canary secrets (canary.ts) as its master key, provider
 * key, AWS credentials and Redis password (an unreachable Redis, limits fail
 * open), and one virtual key with an rpm limit so the limiter runs.
 * `app` is a second Elysia app over the same services for `app.handle`.
 * `close()` is the final audit: logs, /metrics and spend rows are scanned for
 * the canaries, the decoy must have 0 hits, and startGateway's own envelope
 * check runs on stop.
 */
import { createApp, type GatewayApp } from '../../gateway/src/app.ts'
import { startBedrockEmulator } from '../../gateway/test/emulators/bedrock.ts'
import { startOpenAICompatibleEmulator } from '../../gateway/test/emulators/openai-compatible.ts'
import type { Emulator } from '../../gateway/test/emulators/script.ts'
import { startGateway, type TestGateway } from '../../gateway/test/utils.ts'
import { CANARY, CANARY_REDIS_URL } from './canary.ts'
import { startDecoy } from './decoy.ts'
import { ledger } from './ledger.ts'

export interface WorldOptions {
  /** Extra `general_settings` lines (YAML, two-space indented). */
  general?: string
  /** Extra `model_list` entries (YAML, starting with `  - model_name:`). */
  models?: string
  /** Bun's idle timeout, seconds. */
  idleTimeout?: number
  /** Bun's request body cap (default: startGateway's 8 MiB, like main.ts for a 1 MiB limit). */
  maxRequestBodySize?: number
}

export interface World {
  gw: TestGateway
  app: GatewayApp
  bedrock: Emulator
  pplx: Emulator
  virtualKey: string
  /** Requests the emulators received. */
  upstreamCalls(): number
  /** Authorization header for the master key. */
  master: Record<string, string>
  /** Ends the run; returns the audit's problems (canary leaks, decoy hits, envelope violations). */
  close(): Promise<string[]>
}

export function worldYaml(bedrockUrl: string, pplxUrl: string, o: WorldOptions = {}): string {
  return `
model_list:
  - model_name: mock-echo
    litellm_params: { model: mock/echo }
  - model_name: mock-fixed
    litellm_params: { model: mock/fixed, mock_response: "The quick brown fox jumps over the lazy dog.", mock_chunk_chars: 7 }
  - model_name: nova
    litellm_params: { model: "bedrock/amazon.nova-micro-v1:0", aws_region_name: us-east-1, aws_bedrock_runtime_endpoint: "${bedrockUrl}", aws_access_key_id: ${CANARY.awsAccessKeyId}, aws_secret_access_key: "${CANARY.awsSecret}" }
  - model_name: sonar
    litellm_params: { model: perplexity/sonar, api_key: os.environ/CANARY_PPLX, api_base: "${pplxUrl}" }
${o.models ?? ''}
router_settings:
  allowed_fails: 1000000
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  rate_limit_failure_mode: fail_open
${o.general ?? ''}
`
}

export async function startWorld(o: WorldOptions = {}): Promise<World> {
  const decoy = await startDecoy()
  const decoyBefore = decoy.hits()
  const bedrock = await startBedrockEmulator()
  const pplx = await startOpenAICompatibleEmulator({ flavor: 'perplexity', apiKey: CANARY.perplexity })
  const gw = await startGateway({
    yaml: worldYaml(bedrock.url, pplx.url, o),
    env: { LITELLM_MASTER_KEY: CANARY.master, CANARY_PPLX: CANARY.perplexity },
    redis: CANARY_REDIS_URL,
    ...(o.idleTimeout !== undefined ? { idleTimeout: o.idleTimeout } : {}),
    ...(o.maxRequestBodySize !== undefined ? { maxRequestBodySize: o.maxRequestBodySize } : {}),
  })
  const master = { authorization: `Bearer ${CANARY.master}` }
  const gen = await fetch(`${gw.url}/key/generate`, { method: 'POST', headers: master, body: JSON.stringify({ key_alias: 'harden', rpm_limit: 1_000_000 }) })
  const virtualKey = ((await gen.json()) as { key: string }).key
  ledger.canary.track(virtualKey)

  const close = async (): Promise<string[]> => {
    const problems: string[] = []
    const get = async (path: string) => (await fetch(gw.url + path, { headers: master })).text()
    await gw.services.spend.flush()
    ledger.canary.scan('/metrics', await get('/metrics'))
    ledger.canary.scan('spend rows', await get('/spend/logs?limit=1000'))
    ledger.canary.scan('key list', await get('/key/list'))
    ledger.canary.scan('gateway logs', gw.logs.join('\n'))
    if (decoy.hits() !== decoyBefore) problems.push(`decoy metadata server got ${decoy.hits() - decoyBefore} connections`)
    try {
      await gw.stop(2000)
    } catch (err) {
      problems.push(String((err as Error).message).slice(0, 2000))
    }
    await Promise.all([bedrock.stop(), pplx.stop()])
    return problems
  }
  return {
    gw, bedrock, pplx, virtualKey, master,
    app: createApp(gw.services),
    upstreamCalls: () => bedrock.requests.length + pplx.requests.length,
    close,
  }
}
