/// <reference types="k6" />
/**
 * The load scenarios for k6, for operators who test a deployed gateway from
 * inside the cluster (k6 runs TypeScript directly). It cannot start a mock or
 * a direct reference, so it reports absolute figures, not overheads; point
 * the gateway at a mock deployment to measure the gateway alone.
 *
 *   k6 run -e BASE_URL=http://llm-gateway:4000 -e API_KEY=sk-... -e SCENARIO=chat load/src/k6/chat.ts
 *
 * Environment: BASE_URL (required), API_KEY (required), MODEL (default
 * mock-model), SCENARIO = chat | stream | throughput | open-streams (default
 * chat), RATE (requests or streams per second; default 1000 for chat, 200 for
 * stream), DURATION (default 60s), VUS (default 64; open streams for
 * open-streams, default 1000), P99_MS (threshold on request p99, default 1000).
 *
 * Streams: the gateway sends headers with its first chunk, so k6's
 * time-to-first-byte (`http_req_waiting`) is the time to first token; it is
 * also recorded as the `ttft` trend.
 */
import { check } from 'k6'
import http from 'k6/http'
import { Rate, Trend } from 'k6/metrics'
import type { Options, Scenario } from 'k6/options'

const env = (name: string, fallback?: string): string => {
  const v = __ENV[name] ?? fallback
  if (v === undefined) throw new Error(`set -e ${name}=...`)
  return v
}

const BASE_URL = env('BASE_URL').replace(/\/$/, '')
const API_KEY = env('API_KEY')
const MODEL = env('MODEL', 'mock-model')
const SCENARIO = env('SCENARIO', 'chat')
const DURATION = env('DURATION', '60s')
const STREAM = SCENARIO === 'stream' || SCENARIO === 'open-streams'

const ttft = new Trend('ttft', true)
const badStreams = new Rate('bad_streams')

/** k6 scenario definitions, one per load scenario of `bun run load`. */
function scenarioFor(name: string): Scenario {
  const vus = Number(env('VUS', name === 'open-streams' ? '1000' : '64'))
  switch (name) {
    case 'chat':
    case 'stream':
      return {
        executor: 'constant-arrival-rate',
        rate: Number(env('RATE', name === 'chat' ? '1000' : '200')),
        timeUnit: '1s',
        duration: DURATION,
        preAllocatedVUs: vus,
        maxVUs: vus * 4,
      }
    case 'throughput':
      return { executor: 'constant-vus', vus, duration: DURATION }
    case 'open-streams':
      return { executor: 'per-vu-iterations', vus, iterations: 1, maxDuration: '5m' }
    default:
      throw new Error(`SCENARIO must be chat, stream, throughput or open-streams, got ${name}`)
  }
}

/** One k6 scenario (SCENARIO), with thresholds that fail the run on any failed request or bad stream. */
export const options: Options = {
  scenarios: { [SCENARIO]: scenarioFor(SCENARIO) },
  thresholds: {
    http_req_failed: ['rate==0'],
    http_req_duration: [`p(99)<${env('P99_MS', '1000')}`],
    ...(STREAM ? { bad_streams: ['rate==0'] } : {}),
  },
  discardResponseBodies: !STREAM,
}

const body = JSON.stringify({
  model: MODEL,
  messages: [{ role: 'user', content: 'Say hello in one short sentence, please.' }],
  ...(STREAM ? { stream: true } : {}),
})
const params = { headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` }, timeout: '120s' }

/** One request (or one whole stream) per iteration. */
export default function (): void {
  const res = http.post(`${BASE_URL}/v1/chat/completions`, body, params)
  check(res, { 'status is 200': (r) => r.status === 200 })
  if (!STREAM) return
  ttft.add(res.timings.waiting)
  const text = typeof res.body === 'string' ? res.body : ''
  badStreams.add(res.status !== 200 || !text.trimEnd().endsWith('data: [DONE]') || text.includes('data: {"error"'))
}
