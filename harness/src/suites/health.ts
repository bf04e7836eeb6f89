/**
 * health: the liveliness and readiness endpoints answer (skipped, with a
 * note, when the gateway has neither path), and `GET /v1/models` is a valid
 * list holding the expected models.
 */
import { ensure, pass, skip } from '../check.ts'
import { describeAnswer, fetchAnswer, isRecord, type Endpoint } from '../http.ts'
import type { Check } from '../types.ts'
import type { SuiteContext } from './context.ts'

/** Paths tried in order: LiteLLM's and ours first, then the Kubernetes-style ones. */
export const LIVELINESS_PATHS = ['/health/liveliness', '/healthz', '/livez']
export const READINESS_PATHS = ['/health/readiness', '/readyz']

export function healthSuite(ctx: SuiteContext): Check[] {
  return [
    { id: 'health/liveliness', name: 'Liveliness endpoint answers', run: (signal) => probe(ctx.ep, LIVELINESS_PATHS, 'liveliness', signal) },
    { id: 'health/readiness', name: 'Readiness endpoint answers', run: (signal) => probe(ctx.ep, READINESS_PATHS, 'readiness', signal) },
    { id: 'health/models-listed', name: '/v1/models lists the expected models', run: (signal) => modelsListed(ctx, signal) },
  ]
}

/** The first path that exists must answer 2xx; none existing (404/405) is a skip. */
async function probe(ep: Endpoint, paths: string[], what: string, signal: AbortSignal) {
  const missing: string[] = []
  for (const path of paths) {
    const answer = await fetchAnswer(ep, path, { signal })
    if (answer.status === 404 || answer.status === 405) {
      missing.push(path)
      continue
    }
    ensure(answer.status >= 200 && answer.status < 300, () => `GET ${path} answered ${describeAnswer(answer)}`)
    return pass(`GET ${path} ${answer.status}`, { latencyMs: answer.latencyMs })
  }
  return skip(`no ${what} endpoint (${missing.join(', ')} answer 404)`)
}

async function modelsListed(ctx: SuiteContext, signal: AbortSignal) {
  const answer = await fetchAnswer(ctx.ep, '/v1/models', { signal })
  ensure(answer.status === 200, () => `GET /v1/models answered ${describeAnswer(answer)}`)
  const body = answer.json
  ensure(isRecord(body) && body.object === 'list' && Array.isArray(body.data), 'the body is not {"object":"list","data":[…]}')
  const data = body.data as unknown[]
  ensure(
    data.every((m) => isRecord(m) && typeof m.id === 'string' && m.object === 'model'),
    'an entry of data is not {"id": string, "object": "model"}',
  )
  const ids = data.map((m) => (m as { id: string }).id)
  const expected = ctx.expectedModels ?? []
  const missing = expected.filter((m) => !ids.includes(m))
  ensure(missing.length === 0, () => `missing: ${missing.join(', ')} (listed: ${ids.join(', ') || 'none'})`)
  ensure(ids.length > 0, 'the list is empty')
  return pass(`${ids.length} listed: ${ids.join(', ')}`, { latencyMs: answer.latencyMs })
}
