/** Composition root: builds the services and mounts the plugins and routes. No logic lives here. */
import { Elysia } from 'elysia'
import { KeyDigest } from './auth/keys.ts'
import type { LoadedConfig } from './config/load.ts'
import { emptyGuardrailSet, type GuardrailSet } from './guardrails/config.ts'
import { errorPlugin } from './errors/plugin.ts'
import { requestIdFrom } from './openai/ids.ts'
import type { Logger } from './observability/log.ts'
import { createProviderRegistry, type ProviderRegistry } from './providers/registry.ts'
import { chatCompletionsRoutes } from './routes/chat-completions.ts'
import { healthRoutes } from './routes/health.ts'
import { modelsRoutes } from './routes/models.ts'
import { Router } from './routing/router.ts'
import type { GatewayServices } from './services.ts'

export interface AppOptions {
  config: LoadedConfig
  /** The master key in effect (configured or generated at startup). */
  masterKey: string
  log: Logger
  providers?: Partial<ProviderRegistry>
  /** Built by guardrails/config.ts from config.guardrails. Default: none. */
  guardrails?: GuardrailSet
}

export function buildServices(o: AppOptions): GatewayServices {
  return {
    config: o.config,
    router: new Router(o.config.deployments),
    providers: createProviderRegistry(o.providers),
    master: new KeyDigest(o.masterKey),
    guardrails: o.guardrails ?? emptyGuardrailSet(),
    log: o.log,
    lifecycle: { draining: false },
  }
}

export function createApp(s: GatewayServices) {
  return new Elysia({ name: 'llm-gateway' })
    .onRequest(({ request, set }) => {
      set.headers['x-request-id'] = requestIdFrom(request.headers.get('x-request-id'))
    })
    .use(errorPlugin(s.log))
    .use(healthRoutes(s))
    .use(modelsRoutes(s))
    .use(chatCompletionsRoutes(s))
}

export type GatewayApp = ReturnType<typeof createApp>
