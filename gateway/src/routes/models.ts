/**
 * GET /v1/models (alias /models): the public model aliases, never the upstream
 * ids or credentials. A virtual key with a model allowlist sees only its models.
 */
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin.ts'
import type { GatewayServices } from '../services.ts'

export function modelsRoutes(s: GatewayServices) {
  const startedAt = Math.floor(Date.now() / 1000)
  const list = ({ principal }: { principal: import('../auth/principal.ts').Principal }) => {
    const allowed = principal.kind === 'key' && principal.key.models.length > 0 ? new Set(principal.key.models) : undefined
    return {
      object: 'list',
      data: s.router.modelNames().filter((id) => !allowed || allowed.has(id)).map((id) => ({ id, object: 'model', created: startedAt, owned_by: 'llm-gateway' })),
    }
  }
  return new Elysia({ name: 'routes.models' }).use(authPlugin(s)).get('/v1/models', list).get('/models', list)
}
