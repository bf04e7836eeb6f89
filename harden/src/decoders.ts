/** Area 4, decoder fuzzing: the SSE decoder (decoders-sse.ts) and the Bedrock eventstream path (decoders-eventstream.ts). */
import { runEventstreamDecoder } from './decoders-eventstream.ts'
import { runSseDecoder } from './decoders-sse.ts'
import type { Profile } from './profile.ts'
import { Problems, type AreaResult } from './report.ts'
import { watchUnhandled } from './sys.ts'

export async function runDecoders(p: Profile): Promise<AreaResult> {
  const started = performance.now()
  const problems = new Problems()
  const findings: string[] = []
  const { value: figures, unhandled } = await watchUnhandled(async () => [
    ...(await runSseDecoder(p, problems)),
    ...(await runEventstreamDecoder(p, problems, findings)),
  ])
  for (const u of unhandled) problems.add(u)
  return { area: '4 decoder fuzz', figures, problems: problems.list(), findings, ms: performance.now() - started }
}
