/** Saturating non-stream load: the most requests per second each target serves. */
import type { Scenario } from './types.ts'

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
