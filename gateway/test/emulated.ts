/**
 * The Bedrock and Perplexity emulators together, with the YAML that points
 * deployments at them, for end-to-end tests that need both providers.
 */
import { startBedrockEmulator } from './emulators/bedrock.ts'
import { startOpenAICompatibleEmulator } from './emulators/openai-compatible.ts'
import type { Emulator } from './emulators/script.ts'
import { startGateway, upstreams, useGatewayAndUpstream, type TestGateway } from './utils.ts'

/** Inline YAML `litellm_params` for a Bedrock deployment served by the emulator at `url`. */
export function bedrockParams(url: string, model = 'amazon.nova-micro-v1:0', extra = ''): string {
  return `{ model: "bedrock/${model}", aws_region_name: us-east-1, aws_bedrock_runtime_endpoint: "${url}", aws_access_key_id: AKIAIOSFODNN7EXAMPLE, aws_secret_access_key: emulator-secret${extra} }`
}

/** Inline YAML `litellm_params` for a Perplexity deployment served by the emulator at `url`. */
export function perplexityParams(url: string, model = 'sonar', apiKey = 'pplx-x'): string {
  return `{ model: perplexity/${model}, api_key: ${apiKey}, api_base: "${url}" }`
}

export interface Emulated {
  bedrock: Emulator
  perplexity: Emulator
  /** `model_list` entries: a Bedrock model and a Perplexity model under the given names. */
  modelList(bedrockName: string, perplexityName: string): string
  reset(): void
  stop(): Promise<void>
}

export async function startEmulated(): Promise<Emulated> {
  const bedrock = await startBedrockEmulator()
  const perplexity = await startOpenAICompatibleEmulator({ flavor: 'perplexity' })
  return {
    ...upstreams(bedrock, perplexity),
    bedrock,
    perplexity,
    modelList: (b, p) => `model_list:
  - model_name: ${b}
    litellm_params: ${bedrockParams(bedrock.url)}
  - model_name: ${p}
    litellm_params: ${perplexityParams(perplexity.url)}`,
  }
}

export interface EmulatedGateway {
  readonly gw: TestGateway
  readonly bedrock: Emulator
  readonly perplexity: Emulator
}

/**
 * For a test file: both emulators and a gateway on the YAML that `yaml` builds
 * from them, started before all its tests and stopped after; the emulators'
 * scripts are reset before each test. Read the fields inside tests (they are
 * set once `beforeAll` has run).
 */
export function useEmulatedGateway(yaml: (e: Emulated) => string): EmulatedGateway {
  const ctx = {} as { gw: TestGateway; bedrock: Emulator; perplexity: Emulator }
  useGatewayAndUpstream(async () => {
    const emulated = await startEmulated()
    ctx.bedrock = emulated.bedrock
    ctx.perplexity = emulated.perplexity
    ctx.gw = await startGateway({ yaml: yaml(emulated) })
    return { gw: ctx.gw, upstream: emulated }
  })
  return ctx
}
