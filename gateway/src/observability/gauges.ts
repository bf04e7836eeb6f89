/** Series read at scrape time from the services' own state. */
import type { GatewayServices } from '../services.ts'

export function registerServiceGauges(s: GatewayServices): void {
  const t = s.telemetry
  t.registerGauge('guardrail_actions_total', 'Guardrail outcomes by guardrail, stage and action.', () =>
    s.guardrails.metrics.snapshot().map((c) => ({ labels: { guardrail: c.guardrail, stage: c.stage, action: c.action }, value: c.count })))
  t.registerGauge('deployments_cooling_down', 'Deployments currently skipped after repeated failures.', () => [
    { labels: {}, value: s.config.deployments.filter((d) => s.router.health.coolingFor(d.id) > 0).length },
  ])
  t.registerGauge('retry_budget_exhausted_total', 'Retries refused because the retry budget was spent.', () => [{ labels: {}, value: s.retryBudget.exhausted }])
  t.registerGauge('spend_rows_pending', 'Spend rows waiting for the background writer.', () => [{ labels: {}, value: s.spend.pending }])
  t.registerGauge('spend_rows_dropped_total', 'Spend rows dropped because the writer queue was full.', () => [{ labels: {}, value: s.spend.dropped }])
  t.registerGauge('draining', '1 while the gateway is shutting down.', () => [{ labels: {}, value: s.lifecycle.draining ? 1 : 0 }])
  const r = s.retention
  if (r) {
    t.registerGauge('spend_logs_deleted_total', 'Spend log rows deleted by retention.', () => [{ labels: {}, value: r.deleted }])
    t.registerGauge('spend_log_retention_failures_total', 'Spend log retention passes that failed.', () => [{ labels: {}, value: r.failures }])
    t.registerGauge('spend_log_retention_last_success_timestamp_seconds', 'When the last spend log retention pass finished without error (0: none yet).', () => [{ labels: {}, value: r.lastSuccessAt / 1000 }])
  }
  const limiterStats = (s.limiter as { stats?: () => { failures: number; outage: boolean } }).stats
  if (limiterStats) {
    t.registerGauge('rate_limit_store_failures_total', 'Calls to the shared rate-limit store that failed or timed out.', () => [{ labels: {}, value: limiterStats().failures }])
    t.registerGauge('rate_limit_store_up', '0 while the shared rate-limit store is unreachable.', () => [{ labels: {}, value: limiterStats().outage ? 0 : 1 }])
  }
}
