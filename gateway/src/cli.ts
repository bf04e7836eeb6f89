/**
 * Command-line options of the gateway:
 *   bun gateway/src/main.ts [--config FILE] [--port N] [--host ADDR]
 * Environment fallbacks: CONFIG_PATH, PORT (default 4000), HOST (default 0.0.0.0).
 */
import { parseArgs } from 'node:util'

export interface CliOptions {
  configPath?: string
  port: number
  host: string
  /** True when the host was chosen explicitly (flag or HOST). */
  hostExplicit: boolean
}

export class UsageError extends Error {}

export const USAGE = `Usage: bun gateway/src/main.ts [--config FILE] [--port N] [--host ADDR]

  --config FILE   LiteLLM-style YAML config (env CONFIG_PATH). Default: the embedded config
                  (the seven models of the original deployment plus mock-echo).
  --port N        Port to listen on (env PORT, default 4000).
  --host ADDR     Address to bind (env HOST, default 0.0.0.0; 127.0.0.1 when no master key is set).
  --help          Show this help.`

export function parseCli(argv: string[], env: Record<string, string | undefined>): CliOptions | 'help' {
  let values: { config?: string; port?: string; host?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }))
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  if (values.help) return 'help'
  const portText = values.port ?? env.PORT ?? '4000'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port: expected an integer 0-65535, got "${portText}"`)
  const host = values.host ?? env.HOST
  const configPath = values.config ?? (env.CONFIG_PATH || undefined)
  return { ...(configPath ? { configPath } : {}), port, host: host ?? '0.0.0.0', hostExplicit: host !== undefined }
}
