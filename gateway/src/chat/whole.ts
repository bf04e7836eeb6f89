/** Answering without streaming: failover, during_call checks alongside, output guardrails, cost header. */
import { guardResult } from '../guardrails/pipeline.ts'
import { passthroughResult } from '../guardrails/violation.ts'
import { renderCompletion } from '../openai/render.ts'
import type { ProviderResult } from '../providers/types.ts'
import { failover, type Target } from './failover.ts'
import { logRequest } from './request-log.ts'
import { abortReason, failoverOptions, finishOverhead, traced, watchDuring, type Run } from './run.ts'

export async function serveWhole(run: Run): Promise<Response> {
  const during = watchDuring(run)
  const attempt = failover(failoverOptions(run), async (t, a) => {
    try {
      return await t.provider.complete(t.request, t.deployment, a.ctx)
    } catch (err) {
      a.controller.abort() // a failed attempt must not leave its upstream request running
      throw err
    }
  })
  let outcome: { value: ProviderResult; target: Target }
  try {
    if (during) {
      const [r, d] = await Promise.allSettled([attempt, during])
      if (r.status === 'fulfilled') settleWhole(run, r.value.target, r.value.value.usage)
      if (d.status === 'rejected') throw d.reason
      if (d.value.kind === 'passthrough') return finishWhole(run, r.status === 'fulfilled' ? r.value.target : undefined, passthroughResult(d.value.guardrail))
      if (r.status === 'rejected') throw r.reason
      outcome = r.value
    } else {
      outcome = await attempt
      settleWhole(run, outcome.target, outcome.value.usage)
    }
    const checked = await traced(run.tel, 'output', run.plan.post.length > 0, () => guardResult(outcome.value, run.plan, run.gx))
    const result = checked.decision.kind === 'passthrough' ? { ...passthroughResult(checked.decision.guardrail), usage: outcome.value.usage } : checked.result
    return finishWhole(run, outcome.target, result)
  } catch (err) {
    run.release()
    throw abortReason(run.whole.signal, err)
  }
}

function settleWhole(run: Run, t: Target, usage: ProviderResult['usage']): void {
  run.headers['x-gateway-response-cost'] = String(run.accounting.settle(t.deployment, usage, run.settleInfo(200, false)))
}

function finishWhole(run: Run, t: Target | undefined, result: ProviderResult): Response {
  const model = t?.deployment.modelName ?? run.request.model
  run.headers['x-gateway-model-used'] = model
  if (t && t.dropped.length > 0) run.headers['x-gateway-dropped-params'] = t.dropped.join(',')
  finishOverhead(run)
  run.tel.firstToken()
  run.release()
  const cost = Number(run.headers['x-gateway-response-cost'] ?? 0)
  const outcome = { usage: result.usage, finishReason: result.finishReason, clientAborted: false, completionChars: 0 }
  logRequest(run.s.log, run.call, { request: run.request, deployment: t?.deployment, status: 200, outcome, cost, guardrails: run.plan.applied.join(',') })
  run.tel.end({ status: 200, usage: result.usage, cost, modelUsed: model })
  return Response.json(renderCompletion({ id: run.id, created: run.created, model }, result), { headers: run.headers })
}
