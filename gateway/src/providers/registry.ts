/** Maps a deployment's provider prefix to its adapter; adapters are created once and shared. */
import type { Provider, ProviderName } from './types.ts'
import { createBedrockProvider } from './bedrock/index.ts'
import { createMockProvider } from './mock/index.ts'
import { createOpenAICompatibleProvider } from './openai-compatible/index.ts'
import { createPerplexityProvider } from './perplexity/index.ts'

export type ProviderRegistry = Record<ProviderName, Provider>

export function createProviderRegistry(overrides: Partial<ProviderRegistry> = {}): ProviderRegistry {
  return {
    bedrock: overrides.bedrock ?? createBedrockProvider(),
    perplexity: overrides.perplexity ?? createPerplexityProvider(),
    openai: overrides.openai ?? createOpenAICompatibleProvider({ name: 'openai' }),
    mock: overrides.mock ?? createMockProvider(),
  }
}
