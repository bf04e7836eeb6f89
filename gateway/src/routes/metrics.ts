/**
 * GET /metrics: the Prometheus text exposition. Master key only (a virtual
 * key gets 403) unless `open`, for scrapers inside a trusted network that
 * cannot carry a bearer token.
 */
import { Elysia } from 'elysia'
import { adminPlugin } from '../auth/plugin.ts'
import { METRICS_CONTENT_TYPE } from '../observability/metrics.ts'
import type { Telemetry } from '../observability/telemetry.ts'
import type { GatewayServices } from '../services.ts'

export interface MetricsRouteOptions {
  /** Serve without authentication. Default in config: false. */
  open: boolean
}

export function metricsRoutes(s: Pick<GatewayServices, 'master' | 'keys'>, telemetry: Telemetry, opts: MetricsRouteOptions) {
  const scrape = async () => new Response(await telemetry.render(), { headers: { 'content-type': METRICS_CONTENT_TYPE } })
  const routes = new Elysia({ name: 'routes.metrics' })
  if (opts.open) return routes.get('/metrics', scrape)
  return routes.use(adminPlugin(s)).get('/metrics', scrape)
}
