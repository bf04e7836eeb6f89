/**
 * The two profiles. `ci` runs under `bun test harden` and `make harden` (well
 * under a minute of work per area on 2 cores); `long` is `bun run harden
 * --long` and `make soak`. Every loop in the suite is bounded by these numbers.
 */
export interface Profile {
  name: 'ci' | 'long'
  /** Fixed fast-check seed. */
  seed: number
  /** Area 1: fuzzed requests in process (app.handle), and over a real socket. */
  fuzzInProcess: number
  fuzzSocket: number
  /** Area 4: mutated SSE inputs; eventstream streams through the AWS SDK. */
  sseInputs: number
  eventstreamStreams: number
  /** Area 5: runs per fault kind for Bedrock (eventstream) and the OpenAI-compatible (SSE) upstream. */
  faultRunsBedrock: number
  faultRunsSse: number
  /** Area 6: disconnects per point (before headers, before first token, mid-stream) and mode. */
  disconnectsPerCase: number
  /** Area 7: open-loop overload duration, seconds. */
  overloadSeconds: number
  /** Area 8: slow-client run, seconds, and slow connections. */
  slowSeconds: number
  slowConnections: number
  /** Area 9: hostile Authorization values. */
  authValues: number
  /** Area 12: soak minutes (0: not run). */
  soakMinutes: number
}

export const CI: Profile = {
  name: 'ci',
  seed: 20_251_010,
  fuzzInProcess: 50_000,
  fuzzSocket: 1_000,
  sseInputs: 100_000,
  eventstreamStreams: 600,
  faultRunsBedrock: 200,
  faultRunsSse: 100,
  disconnectsPerCase: 20,
  overloadSeconds: 5,
  slowSeconds: 12,
  slowConnections: 200,
  authValues: 3_000,
  soakMinutes: 0,
}

export const LONG: Profile = {
  ...CI,
  name: 'long',
  fuzzInProcess: 1_000_000,
  fuzzSocket: 10_000,
  sseInputs: 1_000_000,
  eventstreamStreams: 5_000,
  faultRunsBedrock: 1_000,
  faultRunsSse: 1_000,
  disconnectsPerCase: 200,
  overloadSeconds: 60,
  slowSeconds: 120,
  slowConnections: 1_000,
  authValues: 10_000,
  soakMinutes: 10,
}
