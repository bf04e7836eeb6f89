/** Answering with SSE: failover up to the first event, guarded events, cost in the trailer, drain registration. */
import { toGatewayError } from '../errors/envelope.ts'
import { guardEvents } from '../guardrails/pipeline.ts'
import type { SpanHandle } from '../observability/telemetry.ts'
import { ChunkWriter } from '../openai/render.ts'
import { SSE_HEADERS } from '../openai/sse.ts'
import type { ProviderName, StreamEvent } from '../providers/types.ts'
import { startRelay, type RelayOptions } from '../streaming/relay.ts'
import { failover, type Target } from './failover.ts'
import { logRequest } from './request-log.ts'
import { abortReason, failoverOptions, finishOverhead, watchDuring, type Run } from './run.ts'

export async function serveStream(run: Run): Promise<Response> {
  const during = watchDuring(run)
  // The output guardrails run for the stream's whole life: their span ends with it.
  const outputSpan = run.plan.post.length > 0 ? run.tel.guardrailStage('stream_output') : undefined
  try {
    const { value: body, target } = await failover(failoverOptions(run), (t, a) => {
      const events = guardEvents(t.provider.stream(t.request, t.deployment, a.ctx), run.plan, run.gx, during, () => a.controller.abort())
      return startRelay({ ...relayOptions(run, events, t.deployment.modelName, t.provider.name, a.controller), ...streamAccounting(run, t, outputSpan) })
    })
    run.headers['x-gateway-model-used'] = target.deployment.modelName
    if (target.dropped.length > 0) run.headers['x-gateway-dropped-params'] = target.dropped.join(',')
    finishOverhead(run)
    return new Response(body, { headers: { ...SSE_HEADERS, ...run.headers } })
  } catch (err) {
    run.release()
    const reason = abortReason(run.whole.signal, err)
    outputSpan?.end({ errorType: toGatewayError(reason).errorType })
    throw reason
  }
}

/** Cost in the trailer comment when the stream ends; what was streamed is billed when the client leaves. */
function streamAccounting(run: Run, t: Target, outputSpan: SpanHandle | undefined): Pick<RelayOptions, 'trailer' | 'onEnd' | 'onFirstToken'> {
  let settled = false
  let cost = 0
  const settle = (o: Parameters<NonNullable<RelayOptions['onEnd']>>[0], status: number) => {
    if (settled) return
    settled = true
    cost = run.accounting.settle(t.deployment, o.usage, run.settleInfo(status, true, undefined, o.completionChars))
  }
  return {
    onFirstToken: () => run.tel.firstToken(),
    trailer: (o) => {
      settle(o, o.error?.status ?? 200)
      return `x-gateway-response-cost=${cost}`
    },
    onEnd: (o) => {
      const status = o.error ? o.error.status : o.clientAborted ? 499 : 200
      settle(o, status)
      outputSpan?.end(o.error ? { errorType: o.error.errorType } : undefined)
      run.release()
      logRequest(run.s.log, run.call, { request: run.request, deployment: t.deployment, status, outcome: o, cost, guardrails: run.plan.applied.join(',') })
      run.tel.end({ status, ...(o.error ? { errorType: o.error.errorType } : {}), ...(o.usage ? { usage: o.usage } : {}), cost, modelUsed: t.deployment.modelName, clientAborted: o.clientAborted })
    },
  }
}

export function relayOptions(run: Run, events: AsyncIterable<StreamEvent>, model: string, provider: ProviderName, upstream: AbortController): RelayOptions {
  return {
    events, upstream, provider,
    writer: new ChunkWriter({ id: run.id, created: run.created, model }),
    includeUsage: run.request.stream_options?.include_usage === true,
    keepaliveMs: run.s.config.settings.streamKeepaliveMs,
    idleTimeoutMs: run.s.config.settings.streamIdleTimeoutMs,
    register: (terminate) => {
      run.s.lifecycle.streams.add(terminate)
      return () => run.s.lifecycle.streams.delete(terminate)
    },
  }
}
