/**
 * Limits and money around one chat request. Before any provider call: the
 * key's budget and its rpm/tpm (`admitKey`, once), then each deployment's own
 * rpm/tpm as it is tried (`admitDeployment`). Tokens are admitted on an
 * estimate of the input and corrected from the provider's usage afterwards.
 * Then the cost from usage, the spend row and the key's pending spend.
 * OpenAI's x-ratelimit-* headers go on every answer.
 */
import type { Principal } from '../auth/principal.ts'
import { GatewayError, errors } from '../errors/gateway-error.ts'
import type { SpendRow } from '../keys/types.ts'
import type { Admission, LimitItem } from '../limits/types.ts'
import { textOf } from '../openai/text.ts'
import type { ChatRequest, Usage } from '../openai/types.ts'
import type { Deployment } from '../providers/types.ts'
import type { GatewayServices } from '../services.ts'
import { costOf, priceOf } from '../spend/pricing.ts'

const MINUTE = 60_000

type Item = LimitItem & { kind: 'requests' | 'tokens'; scope: 'key' | 'deployment' }

export interface SettleInfo {
  requestId: string
  status: number
  stream: boolean
  latencyMs: number
  /** Characters of completion text sent, for an estimate when the provider reported no usage. */
  completionChars?: number
  guardrails: string
}

/** Rough input size in tokens: 4 characters a token. */
export function estimateInputTokens(req: ChatRequest): number {
  let chars = 0
  for (const m of req.messages) chars += textOf(m.content).length
  return Math.ceil(chars / 4)
}

export class Accounting {
  /** x-ratelimit-* headers for the answer. */
  readonly headers: Record<string, string> = {}
  readonly #tokenItems: Array<{ counter: string; admittedAt: number }> = []
  readonly #estimate: number
  readonly #keyKinds = new Set<Item['kind']>()

  private constructor(private readonly s: GatewayServices, private readonly p: Principal, req: ChatRequest) {
    this.#estimate = estimateInputTokens(req)
  }

  /** Budget and the key's own limits; 429 when over. Immediate (no promise) when there is nothing to ask the limiter. */
  static admitKey(s: GatewayServices, p: Principal, req: ChatRequest): Accounting | Promise<Accounting> {
    const a = new Accounting(s, p, req)
    if (p.kind !== 'key') return a
    s.keys.checkBudget(p.key)
    const id = p.key.keyHash.slice(0, 16)
    const admitting = a.#admit([a.#item('key', id, 'requests', p.key.rpmLimit), a.#item('key', id, 'tokens', p.key.tpmLimit)], `this key`)
    return admitting ? admitting.then(() => a) : a
  }

  /** The deployment's own rpm/tpm; a refusal is a 429 the failover loop may route around. Undefined when it sets neither. */
  admitDeployment(d: Deployment): Promise<void> | undefined {
    return this.#admit([this.#item('deployment', d.id, 'requests', d.params.rpm), this.#item('deployment', d.id, 'tokens', d.params.tpm)], `the model '${d.modelName}'`)
  }

  /** Records the request's cost (from usage, or an estimate) against the deployment that answered; returns USD. */
  settle(d: Deployment, usage: Usage | undefined, info: SettleInfo): number {
    const { s, p } = this
    const u = usage ?? estimatedUsage(this.#estimate, info.completionChars ?? 0)
    for (const it of this.#tokenItems) void s.limiter.adjust(it.counter, MINUTE, u.total_tokens - this.#estimate, it.admittedAt).catch(() => undefined)
    const { price, known } = priceOf(d)
    const cost = costOf(price, u)
    if (!known && !s.unpricedWarned.has(d.id)) {
      s.unpricedWarned.add(d.id)
      s.log.warn('no price for deployment; its spend is recorded as 0', { deployment: d.id })
    }
    const row: SpendRow = {
      requestId: info.requestId, keyHashPrefix: p.kind === 'key' ? p.key.keyHash.slice(0, 16) : 'master', keyAlias: p.kind === 'key' ? p.key.keyAlias : 'master',
      model: d.modelName, deployment: d.id, provider: d.provider, promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens,
      cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0, cost, latencyMs: info.latencyMs, status: info.status, stream: info.stream,
      guardrails: info.guardrails, createdAt: Date.now(),
    }
    if (p.kind === 'key') s.keys.addPending(p.key.keyHash, cost)
    s.spend.enqueue(row, p.kind === 'key' ? p.key.keyHash : undefined)
    return cost
  }

  #item(scope: Item['scope'], id: string, kind: Item['kind'], limit: unknown): Item | undefined {
    if (typeof limit !== 'number' || limit < 0) return undefined
    return { counter: `${scope}:${id}:${kind === 'requests' ? 'rpm' : 'tpm'}`, limit, cost: kind === 'requests' ? 1 : this.#estimate, windowMs: MINUTE, kind, scope }
  }

  #admit(maybe: Array<Item | undefined>, who: string): Promise<void> | undefined {
    const items = maybe.filter((i): i is Item => i !== undefined)
    return items.length === 0 ? undefined : this.#admitItems(items, who)
  }

  async #admitItems(items: Item[], who: string): Promise<void> {
    const admittedAt = Date.now()
    const a = await this.s.limiter.admit(items, admittedAt)
    this.#headers(items, a)
    if (!a.admitted) {
      if (a.refusedBy === 'store_unavailable') throw errors.storeUnavailable('rate-limit store')
      const i = items.findIndex((it) => it.counter === a.refusedBy)
      const it = items[i]!
      this.s.telemetry.rateLimitRejected({ scope: it.scope, kind: it.kind })
      const err = errors.rateLimited(`Rate limit reached for ${who}: ${it.limit} ${it.kind} per minute.`, a.counters[i]!.resetMs / 1000, { ...this.headers })
      throw it.scope === 'deployment' ? deploymentLimited(err) : err
    }
    for (const it of items) if (it.kind === 'tokens') this.#tokenItems.push({ counter: it.counter, admittedAt })
  }

  /** The key's counters set the headers; a deployment's only for a kind the key does not limit. */
  #headers(items: Item[], a: Admission): void {
    items.forEach((it, i) => {
      const c = a.counters[i]
      if (!c) return
      if (it.scope === 'key') this.#keyKinds.add(it.kind)
      else if (this.#keyKinds.has(it.kind)) return
      this.headers[`x-ratelimit-limit-${it.kind}`] = String(c.limit)
      this.headers[`x-ratelimit-remaining-${it.kind}`] = String(Math.max(0, c.remaining))
      this.headers[`x-ratelimit-reset-${it.kind}`] = `${Math.ceil(c.resetMs / 1000)}s`
    })
  }
}

/** A deployment's own limit: the failover loop tries another deployment or a fallback. */
function deploymentLimited(err: GatewayError): GatewayError {
  return new GatewayError({ status: err.status, type: err.type, code: 'rate_limited_deployment', message: err.message, domain: 'policy', headers: err.headers })
}

function estimatedUsage(prompt: number, completionChars: number): Usage {
  const completion = Math.ceil(completionChars / 4)
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }
}
