/**
 * Boot: load config -> build app -> listen; SIGTERM/SIGINT drain.
 * Exit codes: 0 after a clean drain, 2 for a bad config or bad arguments, 1 when
 * the key store cannot be opened or the address cannot be listened on.
 */
import { closeServices, createApp, createServices } from './app.ts'
import { drain } from './lifecycle/drain.ts'
import { guardRejections } from './lifecycle/rejection-guard.ts'
import { listenFailure } from './lifecycle/listen-failure.ts'
import { redactUrl, storageTargets } from './config/storage.ts'
import type { GatewayServices } from './services.ts'
import { generateKey } from './auth/keys.ts'
import { parseCli, UsageError, USAGE } from './cli.ts'
import { ConfigError, formatConfigError, loadConfig, type LoadedConfig } from './config/load.ts'
import { createLogger, describeError } from './observability/log.ts'
import { createTelemetry } from './observability/metrics.ts'
import { tracerFromEnv } from './observability/tracing.ts'
import { buildGuardrails, formatGuardrailError, GuardrailConfigError } from './guardrails/config.ts'
import { dirname, resolve } from 'node:path'

const log = createLogger({ level: (process.env.LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | undefined) ?? 'info' })
const rejections = guardRejections(log)

function fail(message: string): never {
  process.stderr.write(`${message}\n`)
  process.exit(2)
}

let opts
try {
  opts = parseCli(Bun.argv.slice(2), process.env)
} catch (err) {
  if (err instanceof UsageError) fail(`${err.message}\n\n${USAGE}`)
  throw err
}
if (opts === 'help') {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}

let config: LoadedConfig
try {
  config = opts.configPath ? loadConfig({ path: opts.configPath, env: process.env }) : loadConfig({ env: process.env })
} catch (err) {
  if (err instanceof ConfigError) fail(formatConfigError(err, opts.configPath ?? '<embedded default>'))
  fail(`Cannot load the configuration: ${(err as Error).message}`)
}
let guardrails
try {
  guardrails = await buildGuardrails(config.guardrails, { configDir: opts.configPath ? dirname(resolve(opts.configPath)) : process.cwd() })
} catch (err) {
  if (err instanceof GuardrailConfigError) fail(formatGuardrailError(err, opts.configPath ?? '<embedded default>'))
  throw err
}
for (const w of [...config.warnings, ...guardrails.warnings]) log.warn('config', { warning: w })
if (!process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
  // Bun's fetch runs at most 256 requests at once unless this is set before the process starts.
  log.warn('runtime', { warning: 'BUN_CONFIG_MAX_HTTP_REQUESTS is not set: at most 256 upstream requests (open streams included) run at once; set it, e.g. to 4096' })
}

let masterKey = config.masterKey
let host = opts.host
/** Said once the gateway listens (not before: a gateway that cannot listen has no key to offer). */
let generatedKeyBanner: string | undefined
if (masterKey === undefined) {
  masterKey = generateKey()
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    if (opts.hostExplicit) log.warn('no master key configured: binding to 127.0.0.1 instead of the requested host', { requested_host: host })
    host = '127.0.0.1'
  }
  generatedKeyBanner = `\nNo master key configured (general_settings.master_key). Generated one for this run:\n\n  ${masterKey}\n\nListening on 127.0.0.1 only. Set LITELLM_MASTER_KEY to choose your own.\n\n`
}

const storage = storageTargets(config, process.env)
let services: GatewayServices
try {
  const tracer = tracerFromEnv(process.env, { onError: (err) => log.warn('trace export failed', describeError(err)) })
  services = await createServices({
    config, masterKey, log, guardrails, keyStore: storage.keyStore, telemetry: createTelemetry(tracer ? { tracer } : {}),
    ...(storage.redis ? { redis: storage.redis } : {}),
  })
} catch (err) {
  process.stderr.write(`Cannot open the key store ${redactUrl(storage.keyStore)}: ${(err as Error).message}\n`)
  process.exit(1)
}
services.telemetry.registerGauge('unhandled_rejections_total', 'Promise rejections nothing handled: logged, and the gateway went on.', () => [{ labels: {}, value: rejections.count }])
const app = createApp(services)

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  const g = config.config.general_settings
  log.info('shutdown', { signal })
  // Ctrl-C in a terminal needs no delay for load balancers; SIGTERM (Kubernetes) does.
  await drain(services, {
    delayMs: signal === 'SIGTERM' ? g.shutdown_delay_seconds * 1000 : 0,
    graceMs: g.shutdown_grace_seconds * 1000,
    stopListening: async () => void (await app.server?.stop(false)),
    closeConnections: async () => void (await app.server?.stop(true)),
    close: () => closeServices(services),
  })
  log.info('stopped')
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

try {
  app.listen({
    port: opts.port,
    hostname: host,
    // Elysia asks for SO_REUSEPORT by default: a second gateway on the same port would start
    // without a word and take half the connections. One listener per port, or a clear error.
    reusePort: false,
    // Our own limit is enforced (with an envelope, before or while reading); Bun's cap is only a
    // backstop, set high so that it is not Bun's bare 413 that answers ordinary oversize bodies.
    maxRequestBodySize: Math.max(config.settings.maxRequestBodyBytes * 4, 256 * 1024 * 1024),
  })
} catch (err) {
  process.stderr.write(`${listenFailure(err, host, opts.port)}\n`)
  await closeServices(services)
  process.exit(1)
}
// Printed once, to the terminal that started the gateway; never logged again.
if (generatedKeyBanner) process.stdout.write(generatedKeyBanner)
log.info('listening', {
  url: `http://${host}:${app.server?.port}`,
  config: config.source,
  models: config.deployments.length,
  key_store: redactUrl(storage.keyStore),
  rate_limits: storage.redis ? `redis ${redactUrl(storage.redis)}` : 'memory',
  unavailable: config.deployments.filter((d) => d.unavailableReason !== undefined).map((d) => d.modelName),
})

