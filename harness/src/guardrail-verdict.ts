/**
 * Judges one guardrail exchange against its expectation (pure). A response
 * "is blocked" when it is a 4xx error envelope, or a 200 whose message or
 * stream finishes with `content_filter` (or carries an in-stream error frame),
 * or a 200 whose text matches the policy's violation pattern. Whatever the
 * expectation, no flagged word may appear in anything the client received:
 * the raw body and the text reassembled from stream deltas are both searched,
 * so a word split across chunks is caught too.
 */
import { excerpt, pass } from './check.ts'
import { describeStatus, type Exchange } from './exchange.ts'
import type { GuardrailCase, GuardrailPolicy } from './guardrail-policy.ts'
import type { CheckOutcome } from './types.ts'

/** Statuses that count as a refusal when they carry an error envelope (401/403/404/413/429 do not). */
const BLOCK_STATUSES = new Set([400, 422, 451])

/** A policy compiled once for a run. */
export interface PolicyMatcher {
  /** The first flagged word in `text`, matched as a whole word, case-insensitive. */
  findWord(text: string): string | undefined
  violation?: RegExp
}

export function compilePolicy(policy: Pick<GuardrailPolicy, 'words' | 'violationPattern'>): PolicyMatcher {
  const alternatives = [...policy.words].sort((a, b) => b.length - a.length).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  const words = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'iu')
  return {
    findWord: (text) => words.exec(text)?.[0],
    ...(policy.violationPattern !== undefined ? { violation: new RegExp(policy.violationPattern, 'iu') } : {}),
  }
}

/** How the exchange was blocked, or `undefined` when it was not. */
export function blockedBy(x: Exchange, m: PolicyMatcher): string | undefined {
  if (!x.streamed && BLOCK_STATUSES.has(x.status) && x.envelope) {
    return `HTTP ${x.status} ${x.envelope.type}${x.envelope.code ? `/${x.envelope.code}` : ''}`
  }
  if (x.stream?.errorFrame) return `error frame in the stream (${x.stream.errorFrame.type}${x.stream.errorFrame.code ? `/${x.stream.errorFrame.code}` : ''})`
  const view = x.stream ?? x.completion
  if (view?.finishReasons.includes('content_filter')) return 'finish_reason "content_filter"'
  if (x.status === 200 && m.violation && view && m.violation.test(view.text)) return 'violation message'
  return undefined
}

/** The verdict for one case. */
export function judgeGuardrail(x: Exchange, kase: GuardrailCase, m: PolicyMatcher): CheckOutcome {
  const view = x.stream ?? x.completion
  const text = view?.text ?? ''
  const leaked = m.findWord(x.raw) ?? m.findWord(text)
  if (leaked !== undefined) return fail(`flagged word "${leaked}" reached the client${x.streamed ? ' in the stream' : ''}: "${excerpt(text || x.raw, 100)}"`)
  if (kase.stream && x.status === 200 && !x.streamed) {
    return fail(`stream: true was answered with a non-stream response (content-type ${x.headers.get('content-type') ?? 'none'})`)
  }
  if (x.sse && x.sse.problems.length > 0) return fail(`malformed stream: ${x.sse.problems.join('; ')}`)
  const blocked = blockedBy(x, m)
  const shape = x.status === 200 && view ? view.problems : []
  switch (kase.expect) {
    case 'blocked':
      if (blocked !== undefined) return pass(`blocked: ${blocked}`)
      return fail(`not blocked: ${describe(x)}`)
    case 'allowed':
      if (blocked !== undefined) return fail(`blocked (${blocked}) but should have been answered`)
      if (x.status !== 200) return fail(`expected an answer, got ${describe(x)}`)
      if (shape.length > 0) return fail(`malformed answer: ${shape.join('; ')}`)
      if (text.trim() === '') return fail('the answer is empty')
      return pass(`answered: "${excerpt(text, 60)}"`)
    case 'no-leak':
      if (blocked !== undefined) return pass(`blocked: ${blocked}`)
      if (x.status !== 200) return fail(`expected a block or an answer, got ${describe(x)}`)
      if (shape.length > 0) return fail(`malformed answer: ${shape.join('; ')}`)
      return pass(`answered without a flagged word: "${excerpt(text, 60)}"`)
  }
}

function describe(x: Exchange): string {
  const view = x.stream ?? x.completion
  if (x.status === 200 && view) {
    const finish = view.finishReasons.length > 0 ? view.finishReasons.join(',') : 'none'
    return `HTTP 200, finish_reason ${finish}, answer "${excerpt(view.text, 80)}"`
  }
  return describeStatus(x)
}

function fail(reason: string): CheckOutcome {
  return { status: 'fail', reason }
}
