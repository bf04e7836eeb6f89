/** Streaming chat at a fixed rate of new streams: time to first token and its overhead. */
import { withGuardrails, type Scenario } from './types.ts'

/** Guardrails off. The mock sends 16 tokens 1 ms apart after 2 ms. */
export const stream: Scenario = {
  name: 'stream',
  description: 'stream chat, 200 new streams/s (at most 64 open): TTFT and its overhead over direct',
  mode: 'stream',
  mock: { tokens: 16, latencyMs: 2, tokenIntervalMs: 1 },
  gateway: {},
  load: { rate: 200, connections: 64 },
  passthrough: true,
  peers: true,
}

/** The same with the keyword and PII guardrails scanning input and the streamed output. */
export const streamGuardrails = withGuardrails(stream, 'stream chat with the keyword and PII guardrails on input and streamed output: TTFT overhead')
