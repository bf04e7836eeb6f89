/** Many streams open at once: the gateway's memory per open stream, and that none fails. */
import type { Scenario } from './types.ts'

/** 1,000 streams at once, each 20 tokens 250 ms apart (about 5 s open). Gateway only, one round. */
export const openStreams: Scenario = {
  name: 'open-streams',
  description: '1,000 concurrent open streams (20 tokens, 250 ms apart): gateway RSS peak, no errors',
  mode: 'stream',
  mock: { tokens: 20, tokenIntervalMs: 250 },
  gateway: {},
  load: { connections: 1000, total: 1000, rounds: 1 },
  passthrough: false,
  peers: false,
  direct: false,
  streamTimeoutMs: 120_000,
}
