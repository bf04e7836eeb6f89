/**
 * The areas of the suite, in run order, and `runArea`, which wraps a runner
 * with the cross-cutting checks of areas 10 (canary secrets) and 11 (error
 * envelopes), and the unhandled rejections a spawned gateway logged: what the
 * ledger gained during the run is added to its problems. `ledgerSummary` gives the two areas' own rows for the table.
 */
import { runAuthFuzz } from './auth-fuzz.ts'
import { runBodyLimits } from './body-limits.ts'
import { runDecoders } from './decoders.ts'
import { runDisconnects } from './disconnects.ts'
import { runFaults } from './faults.ts'
import { runFuzz } from './fuzz.ts'
import { ledger } from './ledger.ts'
import { runOverload } from './overload.ts'
import type { Profile } from './profile.ts'
import { fig, type AreaResult } from './report.ts'
import { runSlowClients } from './slow-clients.ts'
import { runSoak } from './soak.ts'
import { runSsrf } from './ssrf.ts'
import { startDecoy } from './decoy.ts'

export interface RunOptions {
  /** Soak duration, minutes (the soak runs only in the long profile). */
  minutes: number
}

export const AREAS: Record<string, (p: Profile, o: RunOptions) => Promise<AreaResult>> = {
  fuzz: (p) => runFuzz(p),
  ssrf: () => runSsrf(),
  body: () => runBodyLimits(),
  decoders: (p) => runDecoders(p),
  faults: (p) => runFaults(p),
  disconnects: (p) => runDisconnects(p),
  overload: (p) => runOverload(p),
  slow: (p) => runSlowClients(p),
  auth: (p) => runAuthFuzz(p),
  soak: (_p, o) => runSoak(o.minutes),
}

export async function runArea(name: string, p: Profile, o: RunOptions = { minutes: p.soakMinutes }): Promise<AreaResult> {
  const run = AREAS[name]
  if (!run) throw new Error(`unknown area ${name}; areas: ${Object.keys(AREAS).join(', ')}`)
  const leaks = ledger.canary.leaks.length
  const violations = ledger.envelopeViolations.length
  const rejections = ledger.gatewayRejections.length
  const r = await run(p, o)
  const newLeaks = ledger.canary.leaks.slice(leaks)
  const newViolations = ledger.envelopeViolations.slice(violations)
  const newRejections = ledger.gatewayRejections.slice(rejections)
  return {
    ...r,
    problems: [
      ...r.problems,
      ...newLeaks.map((l) => `canary leak: ${l}`),
      ...newViolations.map((v) => `not an envelope: ${v}`),
      ...newRejections.map((l) => `gateway logged: ${l}`),
    ],
  }
}

/** Rows for areas 10 and 11, from everything the run saw. */
export async function ledgerSummary(): Promise<AreaResult[]> {
  const decoy = await startDecoy()
  const leaks = ledger.canary.leaks
  const v = ledger.envelopeViolations
  return [
    {
      area: '10 canary secrets',
      figures: [
        fig('texts scanned (answers, headers, logs, /metrics, spend rows, key list, process output)', ledger.canary.scanned),
        fig('canary forms found (plain, base64, base64url, URL-encoded)', leaks.length, '0', leaks.length === 0),
        fig(`decoy metadata server (${decoy.url}) hits, whole run`, decoy.hits(), '0', decoy.hits() === 0),
      ],
      problems: [...leaks.slice(0, 20), ...(decoy.hits() > 0 ? [`decoy hit ${decoy.hits()} times`] : [])],
      findings: [],
      ms: 0,
    },
    {
      area: '11 error envelopes',
      figures: [
        fig('non-2xx answers validated with envelopeProblem', ledger.nonOk),
        fig('not in the envelope', v.length, '0', v.length === 0),
        fig("Bun's own answers before any gateway code (no envelope possible; findings)", ledger.knownNonEnvelope.length),
      ],
      problems: v.slice(0, 20),
      findings: [],
      ms: 0,
    },
  ]
}
