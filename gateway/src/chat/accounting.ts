/**
 * Limits and money around one chat request: budget and rate-limit admission
 * before the provider call (key rpm/tpm, deployment rpm/tpm; tokens are
 * admitted on an estimate of the input and corrected from the provider's
 * usage afterwards), then the cost from usage, the spend row and the key's
 * pending spend. OpenAI's x-ratelimit-* headers go on every answer.
 */
import type { Principal } from '../auth/principal.ts'
import { errors } from '../errors/gateway-error.ts'
import type { SpendRow } from '../keys/types.ts'
import type { LimitItem } from '../limits/types.ts'
import type { ChatRequest, Usage } from '../openai/types.ts'
import type { Deployment } from '../providers/types.ts'
import type { GatewayServices } from '../services.ts'
import { costOf, priceOf } from '../spend/pricing.ts'
import { textOf } from '../openai/text.ts'

const MINUTE = 60_000

export interface SettleInfo {
  requestId: string
  status: number
  stream: boolean
  latencyMs: number
  /** Characters of completion text sent, for an estimate when the provider reported no usage. */
  completionChars?: number
  guardrails: string
}

export interface Accounting {
  /** x-ratelimit-* headers for the answer. */
  headers: Record<string, string>
  /** Records the request's cost (from usage, or an estimate) and returns it in USD. */
  settle(usage: Usage | undefined, info: SettleInfo): number
}

/** Rough input size in tokens: 4 characters a token. */
export function estimateInputTokens(req: ChatRequest): number {
  let chars = 0
  for (const m of req.messages) chars += textOf(m.content).length
  return Math.ceil(chars / 4)
}

export async function admitRequest(s: GatewayServices, p: Principal, d: Deployment, req: ChatRequest): Promise<Accounting> {
  if (p.kind === 'key') s.keys.checkBudget(p.key)
  const estimate = estimateInputTokens(req)
  const items: Array<LimitItem & { kind: 'requests' | 'tokens'; scope: 'key' | 'deployment' }> = []
  const add = (scope: 'key' | 'deployment', id: string, kind: 'requests' | 'tokens', limit: unknown) => {
    if (typeof limit === 'number' && limit >= 0) items.push({ counter: `${scope}:${id}:${kind === 'requests' ? 'rpm' : 'tpm'}`, limit, cost: kind === 'requests' ? 1 : estimate, windowMs: MINUTE, kind, scope })
  }
  if (p.kind === 'key') {
    add('key', p.key.keyHash.slice(0, 16), 'requests', p.key.rpmLimit)
    add('key', p.key.keyHash.slice(0, 16), 'tokens', p.key.tpmLimit)
  }
  add('deployment', d.id, 'requests', d.params.rpm)
  add('deployment', d.id, 'tokens', d.params.tpm)

  const admittedAt = Date.now()
  const headers: Record<string, string> = {}
  if (items.length > 0) {
    const a = await s.limiter.admit(items, admittedAt)
    for (const kind of ['requests', 'tokens'] as const) {
      const i = items.findIndex((it) => it.kind === kind)
      const c = a.counters[i]
      if (i < 0 || !c) continue
      headers[`x-ratelimit-limit-${kind}`] = String(c.limit)
      headers[`x-ratelimit-remaining-${kind}`] = String(Math.max(0, c.remaining))
      headers[`x-ratelimit-reset-${kind}`] = `${Math.ceil(c.resetMs / 1000)}s`
    }
    if (!a.admitted) {
      if (a.refusedBy === 'store_unavailable') throw errors.storeUnavailable('rate-limit store')
      const i = items.findIndex((it) => it.counter === a.refusedBy)
      const it = items[i]!
      const c = a.counters[i]!
      s.limitRejections.inc(it.scope, it.kind)
      throw errors.rateLimited(`Rate limit reached for ${it.scope === 'key' ? 'this key' : `the model '${d.modelName}'`}: ${it.limit} ${it.kind} per minute.`, c.resetMs / 1000, headers)
    }
  }

  const tokenItems = items.filter((it) => it.kind === 'tokens')
  const { price, known } = priceOf(d)
  return {
    headers,
    settle(usage, info) {
      const u = usage ?? estimatedUsage(estimate, info.completionChars ?? 0)
      for (const it of tokenItems) void s.limiter.adjust(it.counter, MINUTE, u.total_tokens - estimate, admittedAt).catch(() => undefined)
      const cost = costOf(price, u)
      if (!known && !s.unpricedWarned.has(d.id)) {
        s.unpricedWarned.add(d.id)
        s.log.warn('no price for deployment; its spend is recorded as 0', { deployment: d.id })
      }
      const row: SpendRow = {
        requestId: info.requestId, keyHashPrefix: p.kind === 'key' ? p.key.keyHash.slice(0, 16) : 'master', keyAlias: p.kind === 'key' ? p.key.keyAlias : 'master',
        model: req.model, deployment: d.id, provider: d.provider, promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens,
        cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0, cost, latencyMs: info.latencyMs, status: info.status, stream: info.stream,
        guardrails: info.guardrails, createdAt: Date.now(),
      }
      if (p.kind === 'key') s.keys.addPending(p.key.keyHash, cost)
      s.spend.enqueue(row, p.kind === 'key' ? p.key.keyHash : undefined)
      return cost
    },
  }
}

function estimatedUsage(prompt: number, completionChars: number): Usage {
  const completion = Math.ceil(completionChars / 4)
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
}
