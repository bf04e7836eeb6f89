/** Shared by the area tests: runs one area with the CI profile; the failure message lists its problems and figures. */
import { expect } from 'bun:test'
import { runArea } from '../src/areas.ts'
import { CI } from '../src/profile.ts'
import { renderTable } from '../src/report.ts'

export async function expectAreaHolds(name: string): Promise<void> {
  const r = await runArea(name, CI)
  const table = renderTable([r], { profile: 'CI (short)', date: new Date().toISOString(), bun: Bun.version, cores: navigator.hardwareConcurrency })
  expect(r.problems.length === 0 ? '' : table).toBe('')
}
