/** GET /v1/models (alias /models): the public model aliases, never the upstream ids or credentials. */
import { Elysia } from 'elysia'
import { authPlugin } from '../auth/plugin.ts'
import type { GatewayServices } from '../services.ts'

export function modelsRoutes(s: GatewayServices) {
  const startedAt = Math.floor(Date.now() / 1000)
  const list = () => ({
    object: 'list',
    data: s.router.modelNames().map((id) => ({ id, object: 'model', created: startedAt, owned_by: 'llm-gateway' })),
  })
  return new Elysia({ name: 'routes.models' }).use(authPlugin(s.master)).get('/v1/models', list).get('/models', list)
}
