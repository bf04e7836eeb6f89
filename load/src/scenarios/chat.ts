/** Non-stream chat at a fixed rate: the latency the gateway adds to every call. */
import { withGuardrails, type Scenario } from './types.ts'

/** Guardrails off: auth, validation, routing, logging, the upstream call. */
export const chat: Scenario = {
  name: 'chat',
  description: 'non-stream chat at a fixed rate (default 1,000 rps): added latency over a direct call',
  mode: 'http',
  mock: { tokens: 16 },
  gateway: {},
  load: { rate: 1000, connections: 32 },
  passthrough: true,
  peers: true,
}

/** The same with the keyword and PII guardrails on input and output. */
export const chatGuardrails = withGuardrails(chat, 'non-stream chat at a fixed rate with the keyword and PII guardrails (pre_call + post_call)')
