/**
 * Health endpoints (open, no key):
 * - GET /health/liveliness and /healthz: the process and its event loop are alive. Never calls a provider.
 * - GET /health/readiness: 200 when the gateway can take traffic (503 while draining), with per-model status.
 */
import { Elysia } from 'elysia'
import type { GatewayServices } from '../services.ts'

export function healthRoutes(s: GatewayServices) {
  const models = () =>
    s.config.deployments.map((d) => {
      const cooling = s.router.health.coolingFor(d.id)
      const status = d.unavailableReason !== undefined ? 'unavailable' : cooling > 0 ? 'cooling_down' : 'available'
      return {
        model_name: d.modelName,
        deployment: d.id,
        provider: d.provider,
        status,
        ...(d.unavailableReason !== undefined ? { reason: d.unavailableReason } : {}),
        ...(status === 'cooling_down' ? { cooldown_remaining_seconds: Math.ceil(cooling / 1000) } : {}),
      }
    })
  return new Elysia({ name: 'routes.health' })
    .get('/health/liveliness', () => ({ status: 'alive' }))
    .get('/healthz', () => ({ status: 'ok' }))
    .get('/health/readiness', () => {
      const body = { status: s.lifecycle.draining ? 'draining' : 'ready', models: models() }
      return Response.json(body, { status: s.lifecycle.draining ? 503 : 200 })
    })
}
