/**
 * The streaming output stage: post_call guardrails on a live stream, without
 * buffering the answer. Text deltas go through the span scanner (built-in
 * detectors, exact for any chunking) and then through each custom hook's
 * bounded window; what comes out is sent at once, the rest is held back at
 * most a window. On a flag: the upstream is aborted, held text is dropped,
 * and the stream ends per the guardrail's action: `block` -> an error event
 * (or a plain HTTP 400 when nothing was sent yet), `passthrough` -> the
 * violation message and finish_reason content_filter. Tool-call deltas and
 * provider extras pass through unchanged; monitor guardrails audit the whole
 * text at the end (capped) without holding anything back.
 */
import type { StreamEvent } from '../../providers/types.ts'
import { PASS, flag, runHook, type Decision, type GuardContext } from '../decision.ts'
import type { Guardrail } from '../guardrail.ts'
import { StreamScanner } from '../stream-scanner.ts'
import type { ScanStep } from '../types.ts'
import { violationError } from '../violation.ts'
import { AsyncWindowGuard, type WindowStep } from './async-window.ts'
import { auditMonitors } from './input.ts'

const MONITOR_CAP = 1 << 20

export interface StreamGuardOptions {
  guards: readonly Guardrail[]
  cx: GuardContext
  /** Aborts the upstream call (a flag ends it at once). */
  abortUpstream: () => void
}

export async function* guardStream(events: AsyncIterable<StreamEvent>, o: StreamGuardOptions): AsyncGenerator<StreamEvent> {
  const enforcing = o.guards.filter((g) => g.action !== 'monitor')
  const detectors = enforcing.flatMap((g) => g.detectors)
  const scanner = detectors.length > 0 ? new StreamScanner(detectors) : undefined
  const windows = enforcing.filter((g) => g.hooks.checkOutput).map((g) => ({ g, w: new AsyncWindowGuard(g) }))
  const monitored = o.guards.some((g) => g.action === 'monitor')
  let audit = ''
  let released = false
  let ended = false

  /** Runs text through the scanner then every hook window; returns what may be sent, or the flag. */
  const pass = async (text: string, final: boolean): Promise<{ text: string; decision: Decision }> => {
    let out = text
    if (scanner) {
      let step: ScanStep = text ? scanner.push(text) : { release: '' }
      if (!step.flagged && final) step = merge(step, scanner.end())
      if (step.flagged) {
        const g = o.cx.set.byName.get(step.flagged.detector)!
        return { text: '', decision: flag(o.cx, g, 'stream_output', step.flagged.entity) }
      }
      out = step.release
    }
    for (const { g, w } of windows) {
      let step: WindowStep = { release: '' }
      const d = await runHook(o.cx, g, 'stream_output', async () => {
        step = out ? await w.push(out) : { release: '' }
        if (!step.verdict && final) step = mergeWindow(step, await w.end())
        return step.verdict
      })
      if (d.kind !== 'pass') return { text: '', decision: d }
      out = step.release
    }
    return { text: out, decision: PASS }
  }

  const stop = (d: Exclude<Decision, { kind: 'pass' }>): StreamEvent[] => {
    o.abortUpstream()
    if (d.kind === 'block') throw violationError(d.guardrail, d.entity)
    const text = released ? `\n\n${d.guardrail.violationMessage}` : d.guardrail.violationMessage
    return [{ type: 'delta', text }, { type: 'finish', reason: 'content_filter' }]
  }

  for await (const e of events) {
    if (e.type === 'usage') {
      yield e
      continue
    }
    if (ended) continue
    if (e.type === 'finish') {
      ended = true
      const r = await pass('', true)
      if (r.decision.kind !== 'pass') {
        yield* stop(r.decision)
        return
      }
      if (r.text) yield { type: 'delta', text: r.text }
      if (monitored) auditMonitors(o.guards, audit, o.cx, 'stream_output')
      yield e
      continue
    }
    if (!e.text) {
      yield e
      continue
    }
    if (monitored && audit.length < MONITOR_CAP) audit += e.text
    const r = await pass(e.text, false)
    if (r.decision.kind !== 'pass') {
      yield* stop(r.decision)
      return
    }
    if (r.text || e.toolCalls || e.extra) {
      released ||= r.text.length > 0
      const out: StreamEvent = { type: 'delta', text: r.text }
      if (e.toolCalls) out.toolCalls = e.toolCalls
      if (e.extra) out.extra = e.extra
      yield out
    }
  }
  // An upstream that ends without a finish is reported by the relay; held text is dropped with it.
}

function merge(a: ScanStep, b: ScanStep): ScanStep {
  return a.flagged ? a : { release: a.release + b.release, ...(b.flagged ? { flagged: b.flagged } : {}) }
}

function mergeWindow(a: WindowStep, b: WindowStep): WindowStep {
  return a.verdict ? a : { release: a.release + b.release, ...(b.verdict ? { verdict: b.verdict } : {}) }
}
