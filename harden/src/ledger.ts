/**
 * The cross-cutting checks of areas 10 and 11, shared by every runner in one
 * process: each non-2xx answer is validated with `envelopeProblem`, and each
 * text the suite saw (bodies, headers, logs, /metrics, spend rows) is scanned
 * for the canary secrets. The CLI reports the totals.
 */
import { envelopeProblem } from '../../gateway/test/utils.ts'
import { CanaryScan } from './canary.ts'

export const ledger = {
  canary: new CanaryScan(),
  nonOk: 0,
  envelopeViolations: [] as string[],
  /** Non-envelope answers that are known limits (reported as findings, not counted as violations). */
  knownNonEnvelope: [] as string[],
  /** `unhandled rejection` log lines of spawned gateways (they go on after one). */
  gatewayRejections: [] as string[],
}

/** Records one answer: envelope check for non-2xx, canary scan of body and headers. Returns the body text. */
export function seeAnswer(where: string, status: number, headers: Headers | Record<string, string>, body: string): string | undefined {
  ledger.canary.scan(`${where} headers`, JSON.stringify(headers instanceof Headers ? [...headers] : headers))
  ledger.canary.scan(`${where} body`, body)
  if (status < 400) return undefined
  ledger.nonOk++
  const problem = envelopeProblem(body)
  if (problem) ledger.envelopeViolations.push(`${where} -> ${status}: ${problem}`)
  return problem
}

/** Reads a Response's body and records it (see `seeAnswer`). */
export async function see(where: string, res: Response): Promise<{ status: number; text: string; problem: string | undefined }> {
  const text = await res.text()
  return { status: res.status, text, problem: seeAnswer(where, res.status, res.headers, text) }
}

/** Snapshot of the ledger counts, to report one area's share. */
export function ledgerMark(): { nonOk: number; violations: number; leaks: number; scanned: number } {
  return { nonOk: ledger.nonOk, violations: ledger.envelopeViolations.length, leaks: ledger.canary.leaks.length, scanned: ledger.canary.scanned }
}
