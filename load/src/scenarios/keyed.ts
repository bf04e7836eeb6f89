/** Non-stream chat with a virtual key and its rate limiter in the path. */
import type { Scenario } from './types.ts'

/** The key comes from `POST /key/generate` with an rpm limit far above the offered rate. */
export const chatKeyed: Scenario = {
  name: 'chat-keyed',
  description: 'non-stream chat at a fixed rate with a virtual key (POST /key/generate) and its rate limiter',
  mode: 'http',
  mock: { tokens: 16 },
  gateway: { virtualKey: true },
  load: { rate: 1000, connections: 32 },
  passthrough: false,
  peers: false,
}
