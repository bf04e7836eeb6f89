/** Saturating non-stream load: the most requests per second each target serves. */
import { withGuardrails, type Scenario } from './types.ts'

/** No rate: 64 connections send as fast as answers come back. */
export const throughput: Scenario = {
  name: 'throughput',
  description: 'saturating non-stream chat (64 connections, no rate): maximum throughput per target',
  mode: 'http',
  mock: { tokens: 16 },
  gateway: {},
  load: { connections: 64 },
  passthrough: true,
  peers: true,
}

/**
 * The same with the keyword and PII guardrails on input and output: the
 * "full gateway" of the 80 %-of-the-floor goal (auth, guardrails, metrics,
 * request and spend logs). No peers: they run without guardrails.
 */
export const throughputGuardrails = withGuardrails(
  throughput,
  'saturating non-stream chat with the keyword and PII guardrails (pre_call + post_call): the full gateway against the Bun floor',
  { passthrough: true },
)
