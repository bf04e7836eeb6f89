/**
 * models: every model answers a short prompt, without and with streaming.
 * Each answer's shape is validated (ids, `object`, `choices`,
 * `finish_reason`, usage; for streams also the SSE framing and `[DONE]`), and
 * latency, time to first token and usage are reported.
 */
import { failWith, pass } from '../check.ts'
import { describeStatus, exchange, metricsOf, type ChatRequest, type Exchange } from '../exchange.ts'
import type { Check } from '../types.ts'
import type { SuiteContext } from './context.ts'

/** The short prompt every model answers. */
export const SHORT_PROMPT = 'Reply with one short sentence: what is 2 + 2?'
const MAX_TOKENS = 32

export function modelsSuite(ctx: SuiteContext): Check[] {
  if (ctx.models.length === 0) return [noModels('models/discovery', ctx)]
  return ctx.models.flatMap((model): Check[] => [
    { id: `models/${model}/chat`, group: model, name: 'Answers a short prompt', run: (signal) => answers(ctx, model, false, signal) },
    { id: `models/${model}/stream`, group: model, name: 'Answers a short prompt while streaming', run: (signal) => answers(ctx, model, true, signal) },
  ])
}

/** The failing check a suite reports when there is no model to exercise. */
export function noModels(id: string, ctx: SuiteContext): Check {
  return { id, name: 'Models to test', run: async () => failWith(`no models to test: ${ctx.discoveryError ?? 'none given'}; pass --models`) }
}

/** The request both modes send; streams ask for the usage chunk. */
export function shortRequest(model: string, stream: boolean): ChatRequest {
  return {
    model,
    messages: [{ role: 'user', content: SHORT_PROMPT }],
    stream,
    extra: { max_tokens: MAX_TOKENS, ...(stream ? { stream_options: { include_usage: true } } : {}) },
  }
}

async function answers(ctx: SuiteContext, model: string, stream: boolean, signal: AbortSignal) {
  const x = await exchange(ctx.ep, shortRequest(model, stream), signal)
  const metrics = metricsOf(x)
  const problems = stream ? streamProblems(x) : completionProblems(x)
  if (problems.length > 0) failWith(problems.join('; '), metrics)
  return pass(undefined, metrics)
}

/** What is wrong with a non-stream answer to the short prompt. */
export function completionProblems(x: Exchange): string[] {
  if (x.status !== 200) return [`expected 200, got ${describeStatus(x)}`]
  if (x.streamed) return ['a non-stream request was answered with an event stream']
  const view = x.completion!
  const problems = [...view.problems]
  if (view.text.trim() === '') problems.push('the answer has no text')
  return problems
}

/** What is wrong with a streamed answer to the short prompt (framing first). */
export function streamProblems(x: Exchange): string[] {
  if (x.status !== 200) return [`expected 200, got ${describeStatus(x)}`]
  if (!x.streamed) return [`stream: true was answered with content-type ${x.headers.get('content-type') ?? 'none'}, not text/event-stream`]
  const view = x.stream!
  const problems = [...x.sse!.problems, ...view.problems]
  if (view.errorFrame) problems.push(`the stream carried an error: ${view.errorFrame.type}: ${view.errorFrame.message}`)
  if (view.text.trim() === '') problems.push('the stream carried no content')
  if (view.usage === undefined) problems.push('no usage chunk although stream_options.include_usage was true')
  return problems
}
