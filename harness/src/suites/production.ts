/**
 * production: what an operator must see before exposing the endpoint.
 * Authentication (no key and a wrong key answer 401 with an envelope), error
 * handling (unknown model 4xx, malformed JSON 400, oversize body 413, and no
 * stack traces or secrets in any error), plus the transport checks in
 * production-transport.ts (stream framing, TLS, server banners).
 */
import { ensure, pass } from '../check.ts'
import { describeAnswer, envelopeProblem, fetchAnswer, type Answer, type Endpoint } from '../http.ts'
import { findLeaks, type KnownSecret } from '../leaks.ts'
import type { Check } from '../types.ts'
import type { SuiteContext } from './context.ts'
import { noVersionBanners, streamFraming, tlsModern } from './production-transport.ts'

export function productionSuite(ctx: SuiteContext): Check[] {
  const nonce = crypto.randomUUID().replaceAll('-', '').slice(0, 16)
  const probe = { model: ctx.models[0] ?? 'harness-probe-model', wrongKey: `sk-harness-wrong-${nonce}`, unknownModel: `harness-no-such-model-${nonce}` }
  const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 8 })
  return [
    {
      id: 'production/no-key',
      name: 'No key → 401 with an error envelope',
      run: (signal) => expectStatuses(ctx.ep, [401], [['POST /v1/chat/completions', { json: chat(probe.model), key: null }], ['GET /v1/models', { key: null }]], signal),
    },
    {
      id: 'production/wrong-key',
      name: 'Wrong key → 401 with an error envelope',
      run: (signal) =>
        expectStatuses(ctx.ep, [401], [['POST /v1/chat/completions', { json: chat(probe.model), key: probe.wrongKey }], ['GET /v1/models', { key: probe.wrongKey }]], signal),
    },
    {
      id: 'production/unknown-model',
      name: 'Unknown model → 4xx with an error envelope',
      run: (signal) => expectStatuses(ctx.ep, [400, 404, 422], [['POST /v1/chat/completions', { json: chat(probe.unknownModel) }]], signal),
    },
    {
      id: 'production/malformed-json',
      name: 'Malformed JSON → 400 with an error envelope',
      run: (signal) => expectStatuses(ctx.ep, [400], [['POST /v1/chat/completions', { body: `{"model": "${probe.model}", "messages": [` }]], signal),
    },
    { id: 'production/oversize-body', name: 'Oversize body → 413', run: (signal) => oversize(ctx, probe.unknownModel, signal) },
    {
      id: 'production/no-leaks',
      name: 'Errors leak no stack traces or secrets',
      run: (signal) => noLeaks(ctx.ep, probe, [{ label: 'the presented API key', value: ctx.ep.key }, { label: 'the wrong key the harness sent', value: probe.wrongKey }], signal),
    },
    { id: 'production/stream-framing', name: 'Streaming framing valid (SSE, [DONE])', run: (signal) => streamFraming(ctx, signal) },
    { id: 'production/tls', name: 'TLS 1.2+ with a valid certificate', run: (signal) => tlsModern(ctx, signal) },
    { id: 'production/no-version-banners', name: 'No server version banners', run: (signal) => noVersionBanners(ctx.ep, probe.unknownModel, signal) },
  ]
}

type Probe = [label: string, init: { json?: unknown; body?: string; key?: string | null }]

async function send(ep: Endpoint, label: string, init: Probe[1], signal: AbortSignal): Promise<Answer> {
  const [method, path] = label.split(' ') as [string, string]
  return fetchAnswer(ep, path, { method, ...init, signal })
}

/** Each probe must answer one of `statuses` with an OpenAI error envelope. */
async function expectStatuses(ep: Endpoint, statuses: number[], probes: Probe[], signal: AbortSignal) {
  const seen: string[] = []
  for (const [label, init] of probes) {
    const answer = await send(ep, label, init, signal)
    ensure(statuses.includes(answer.status), () => `${label} answered ${describeAnswer(answer)}, expected ${statuses.join(' or ')}`)
    const problem = envelopeProblem(answer)
    ensure(problem === undefined, () => `${label} ${answer.status}: ${problem}`)
    seen.push(`${label} ${answer.status}`)
  }
  return pass(seen.join(', '))
}

async function oversize(ctx: SuiteContext, unknownModel: string, signal: AbortSignal) {
  // An unknown model, so a gateway without a limit answers 404 instead of paying for a huge prompt.
  const head = `{"model":"${unknownModel}","messages":[{"role":"user","content":"`
  const tail = '"}]}'
  const body = head + 'x'.repeat(Math.max(0, ctx.oversizeBytes - head.length - tail.length)) + tail
  const mb = (ctx.oversizeBytes / 1024 / 1024).toFixed(1)
  let answer: Answer
  try {
    answer = await fetchAnswer(ctx.ep, '/v1/chat/completions', { body, signal })
  } catch (err) {
    if (signal.aborted) throw err
    return { status: 'fail' as const, reason: `the connection closed without an answer to a ${mb} MiB body (expected 413): ${err instanceof Error ? err.message : String(err)}` }
  }
  ensure(answer.status === 413, () => `a ${mb} MiB body was answered ${describeAnswer(answer)}, expected 413`)
  return pass(`${mb} MiB body → 413${envelopeProblem(answer) === undefined ? ' with an error envelope' : ' (no error envelope)'}`)
}

async function noLeaks(ep: Endpoint, probe: { model: string; wrongKey: string; unknownModel: string }, known: KnownSecret[], signal: AbortSignal) {
  const probes: Probe[] = [
    ['POST /v1/chat/completions', { json: { model: probe.model, messages: [{ role: 'user', content: 'ping' }] }, key: probe.wrongKey }],
    ['POST /v1/chat/completions', { json: { model: probe.model, messages: 'not-a-list', temperature: 'hot' } }],
    ['POST /v1/chat/completions', { json: { model: probe.model, messages: [{ role: 'wizard', content: 42 }] } }],
    ['POST /v1/chat/completions', { json: { model: probe.unknownModel, messages: [{ role: 'user', content: 'ping' }] } }],
    ['GET /v1/harness-no-such-route', {}],
  ]
  const statuses: string[] = []
  for (const [label, init] of probes) {
    const answer = await send(ep, label, init, signal)
    const headerText = [...answer.headers].map(([k, v]) => `${k}: ${v}`).join('\n')
    const leaks = findLeaks(`${answer.text}\n${headerText}`, known)
    ensure(leaks.length === 0, () => `${label} (HTTP ${answer.status}) leaks ${leaks.join(', ')}`)
    statuses.push(String(answer.status))
  }
  return pass(`${probes.length} error probes clean, statuses ${statuses.join(', ')}`)
}
