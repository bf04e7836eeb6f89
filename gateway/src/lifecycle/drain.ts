/**
 * Graceful shutdown, in the order Kubernetes needs (see README, Deployment):
 * 1. readiness turns false at once, so endpoints stop routing here;
 * 2. new connections are still accepted for `delayMs` while that propagates;
 * 3. the listener closes; in-flight requests and streams may finish for `graceMs`;
 * 4. what is still open then ends: streams with a terminal `gateway_shutting_down`
 *    error event and `[DONE]`, waiting requests with a 503;
 * 5. pending spend is flushed and the stores closed.
 */
import { errors } from '../errors/gateway-error.ts'
import type { GatewayServices } from '../services.ts'

export interface DrainOptions {
  delayMs: number
  graceMs: number
  /** Stops accepting connections; resolves when the open ones are done (Bun's server.stop(false)). */
  stopListening: () => Promise<void>
  /** Closes whatever connections are still open (Bun's server.stop(true)). */
  closeConnections: () => Promise<void>
  close: () => Promise<void>
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

export async function drain(s: GatewayServices, o: DrainOptions): Promise<{ terminatedStreams: number; abortedRequests: number }> {
  s.lifecycle.draining = true
  s.log.info('draining', { delay_ms: o.delayMs, grace_ms: o.graceMs, in_flight: s.lifecycle.inflight.size, open_streams: s.lifecycle.streams.size })
  await sleep(o.delayMs)
  const idle = o.stopListening()
  const finished = await Promise.race([idle.then(() => true), sleep(o.graceMs).then(() => false)])
  let terminatedStreams = 0
  let abortedRequests = 0
  if (!finished) {
    for (const terminate of [...s.lifecycle.streams]) {
      terminate(errors.shuttingDown())
      terminatedStreams++
    }
    for (const c of [...s.lifecycle.inflight]) {
      if (c.signal.aborted) continue
      c.abort(errors.shuttingDown())
      abortedRequests++
    }
    s.log.warn('grace period over: ended open work', { streams: terminatedStreams, requests: abortedRequests })
    await Promise.race([idle, sleep(2000)])
    await o.closeConnections()
  }
  await o.close()
  return { terminatedStreams, abortedRequests }
}
