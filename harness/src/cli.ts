/**
 * `bun run harness …`: parses the command line, runs the selected suites,
 * prints or writes the report. Exit codes: 0 all selected checks passed,
 * 1 a check failed (an unreachable endpoint included), 2 usage error.
 */
import { HELP, parseCli, type CliOptions } from './args.ts'
import { loadPolicy, PolicyError } from './policy-file.ts'
import { render, renderTable } from './report.ts'
import { runHarness } from './runner.ts'
import type { HarnessOptions } from './types.ts'

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2

/** Runs the CLI and returns its exit code; output goes to the given writers. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  io: { out(text: string): void; err(text: string): void } = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
): Promise<number> {
  const parsed = parseCli(argv, env)
  if (parsed.kind === 'help') {
    io.out(HELP)
    return EXIT_OK
  }
  if (parsed.kind === 'usage-error') {
    io.err(`harness: ${parsed.message}\nRun with --help for usage.\n`)
    return EXIT_USAGE
  }
  const options = parsed.options
  let harness: HarnessOptions
  try {
    harness = await toHarnessOptions(options)
  } catch (err) {
    if (!(err instanceof PolicyError)) throw err
    io.err(`harness: --guardrail-policy ${options.guardrailPolicy}:\n${err.problems.map((p) => `  ${p}`).join('\n')}\n`)
    return EXIT_USAGE
  }
  const report = await runHarness(harness)
  if (options.out !== undefined) {
    try {
      await Bun.write(options.out, render(report, options.report))
    } catch (err) {
      io.out(renderTable(report))
      io.err(`harness: cannot write ${options.out}: ${err instanceof Error ? err.message : String(err)}\n`)
      return EXIT_FAILED
    }
    io.out(renderTable(report))
  } else {
    io.out(render(report, options.report))
  }
  return report.ok ? EXIT_OK : EXIT_FAILED
}

async function toHarnessOptions(o: CliOptions): Promise<HarnessOptions> {
  return {
    endpoint: o.endpoint,
    key: o.key,
    suites: o.suites,
    timeoutMs: o.timeoutMs,
    oversizeBytes: o.oversizeBytes,
    ...(o.models !== undefined ? { models: o.models } : {}),
    ...(o.guardrailModels !== undefined ? { guardrailModels: o.guardrailModels } : {}),
    ...(o.guardrailPolicy !== undefined ? { policy: await loadPolicy(o.guardrailPolicy) } : {}),
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2), process.env)
}
