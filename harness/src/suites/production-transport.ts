/**
 * The production suite's transport checks: a stream's SSE framing, TLS 1.2+
 * with a valid certificate on https endpoints (skipped on http), and no
 * version numbers in server banners.
 */
import { ensure, failWith, pass, skip } from '../check.ts'
import { describeStatus, exchange, metricsOf } from '../exchange.ts'
import { call, type Endpoint } from '../http.ts'
import { bannersOf, type Banner } from '../leaks.ts'
import { inspectTls, MODERN_TLS } from '../tls.ts'
import type { SuiteContext } from './context.ts'
import { shortRequest } from './models.ts'

/**
 * A streamed answer is `text/event-stream`, framed as SSE, with one finish_reason, ending with `[DONE]`.
 * Models that do not answer 200 (unavailable upstream) are passed over: availability is the models suite's concern.
 */
export async function streamFraming(ctx: SuiteContext, signal: AbortSignal) {
  ensure(ctx.models.length > 0, () => `no model to stream from: ${ctx.discoveryError ?? 'none given'}; pass --models`)
  const refusals: string[] = []
  for (const model of ctx.models) {
    const x = await exchange(ctx.ep, shortRequest(model, true), signal)
    if (x.status !== 200) {
      refusals.push(`${model}: ${describeStatus(x)}`)
      continue
    }
    const metrics = metricsOf(x)
    if (!x.streamed) failWith(`${model}: stream: true was answered with content-type ${x.headers.get('content-type') ?? 'none'}`, metrics)
    const problems = [...x.sse!.problems, ...x.stream!.problems]
    if (x.stream!.errorFrame) problems.push(`the stream carried an error: ${x.stream!.errorFrame.message}`)
    if (problems.length > 0) failWith(`${model}: ${problems.join('; ')}`, metrics)
    return pass(`${model}: ${x.sse!.events.length} events, ends with [DONE]`, metrics)
  }
  return failWith(`no model answered a stream with 200: ${refusals.join('; ')}`)
}

/** On https: the negotiated protocol is TLS 1.2 or 1.3, and the certificate verifies and is in date. */
export async function tlsModern(ctx: SuiteContext, signal: AbortSignal) {
  const url = new URL(ctx.ep.base)
  if (url.protocol !== 'https:') return skip(`${url.protocol.replace(':', '')} endpoint, TLS not checked; point the harness at the https address`)
  const info = await inspectTls(url, { signal, ...(ctx.tlsCa !== undefined ? { ca: ctx.tlsCa } : {}) })
  ensure(MODERN_TLS.has(info.protocol), `negotiated ${info.protocol}; TLS 1.2 or newer is required`)
  ensure(info.authorized, () => `the certificate does not verify for ${url.hostname}: ${info.authorizationError ?? 'unknown reason'}`)
  const now = Date.now()
  ensure(!info.validFrom || info.validFrom.getTime() <= now, () => `the certificate is not valid before ${info.validFrom!.toISOString()}`)
  ensure(!info.validTo || info.validTo.getTime() > now, () => `the certificate expired on ${info.validTo!.toISOString()}`)
  const days = info.validTo ? Math.floor((info.validTo.getTime() - now) / 86_400_000) : undefined
  return pass(`${info.protocol}, certificate valid${days !== undefined ? ` for ${days} more days (until ${info.validTo!.toISOString().slice(0, 10)})` : ''}`)
}

/** No `server` / `x-powered-by` header carries a version number on ordinary, error and health answers. */
export async function noVersionBanners(ep: Endpoint, unknownModel: string, signal: AbortSignal) {
  const requests: Array<[string, Parameters<typeof call>[2]]> = [
    ['GET /v1/models', { signal }],
    ['POST /v1/chat/completions', { json: { model: unknownModel, messages: [{ role: 'user', content: 'ping' }] }, signal }],
    ['GET /v1/models (no key)', { key: null, signal }],
    ['GET /health/liveliness', { signal }],
  ]
  const seen = new Map<string, Banner & { on: string }>()
  for (const [label, init] of requests) {
    const [method, path] = label.split(' ') as [string, string]
    const res = await call(ep, path, { ...init, method })
    await res.arrayBuffer()
    for (const banner of bannersOf(res.headers)) {
      const key = `${banner.header}: ${banner.value}`
      if (!seen.has(key)) seen.set(key, { ...banner, on: label })
    }
  }
  const versioned = [...seen.values()].filter((b) => b.versioned)
  ensure(versioned.length === 0, () => versioned.map((b) => `${b.header}: ${b.value} (on ${b.on})`).join('; '))
  const bare = [...seen.keys()]
  return pass(bare.length > 0 ? `product names without versions: ${bare.join('; ')}` : 'no server banners')
}
