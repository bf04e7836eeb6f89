/**
 * Test kit: starts a real gateway (Elysia on Bun, port 0) from a YAML config
 * text, with a known master key and captured logs.
 */
import { afterAll, beforeAll, beforeEach } from 'bun:test'
import { closeServices, createApp, createServices } from '../src/app.ts'
import { loadConfig } from '../src/config/load.ts'
import { buildGuardrails } from '../src/guardrails/config.ts'
import { createLogger, type LogLevel } from '../src/observability/log.ts'
import type { ProviderRegistry } from '../src/providers/registry.ts'
import type { GatewayServices } from '../src/services.ts'

export const MASTER_KEY = 'sk-test-master-0123456789abcdef'

export interface TestGateway {
  url: string
  key: string
  services: GatewayServices
  logs: string[]
  headers(extra?: Record<string, string>): Record<string, string>
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  /** Stops the server and closes the stores (waiting at most `flushTimeoutMs` for pending spend). */
  stop(flushTimeoutMs?: number): Promise<void>
  [Symbol.asyncDispose](): Promise<void>
}

export async function startGateway(opts: {
  yaml: string
  env?: Record<string, string | undefined>
  providers?: Partial<ProviderRegistry>
  maxRequestBodySize?: number
  /** Key store: a SQLite path or postgres:// URL. Default: an in-memory SQLite database. */
  keyStore?: string
  /** Redis for shared rate limits. Default: in-memory limits. */
  redis?: string
  /** Spend writer flush interval, ms. Default 50. */
  spendFlushMs?: number
  /** Metrics and traces. Default: metrics only. */
  telemetry?: import('../src/observability/telemetry.ts').Telemetry
  /** Where custom guardrail modules are looked up first. Default: gateway/test. */
  configDir?: string
  /** Bun's per-connection idle timeout, seconds (Bun's default: 10). */
  idleTimeout?: number
}): Promise<TestGateway> {
  const config = loadConfig({ text: opts.yaml, env: { LITELLM_MASTER_KEY: MASTER_KEY, ...opts.env } })
  const logs: string[] = []
  const log = createLogger({ level: 'debug', sink: (line: string, _level: LogLevel) => void logs.push(line) })
  const guardrails = await buildGuardrails(config.guardrails, { configDir: opts.configDir ?? import.meta.dir })
  const services = await createServices({
    config, masterKey: config.masterKey ?? MASTER_KEY, log, guardrails, keyStore: opts.keyStore ?? ':memory:',
    ...(opts.providers ? { providers: opts.providers } : {}), ...(opts.redis ? { redis: opts.redis } : {}), spendFlushMs: opts.spendFlushMs ?? 50,
    ...(opts.telemetry ? { telemetry: opts.telemetry } : {}),
  })
  const app = createApp(services).listen({ port: 0, hostname: '127.0.0.1', maxRequestBodySize: opts.maxRequestBodySize ?? 8 * 1024 * 1024, ...(opts.idleTimeout !== undefined ? { idleTimeout: opts.idleTimeout } : {}) })
  // Every non-2xx answer must be an OpenAI error envelope with no stack trace; violations fail stop().
  const violations: string[] = []
  app.server!.reload({
    fetch: async (req: Request) => {
      const res = await app.fetch(req)
      if (res.status >= 400 && !(res.status === 503 && new URL(req.url).pathname === '/health/readiness')) {
        const problem = envelopeProblem(await res.clone().text())
        if (problem) violations.push(`${req.method} ${new URL(req.url).pathname} -> ${res.status}: ${problem}`)
      }
      return res
    },
  } as never)
  const url = `http://127.0.0.1:${app.server!.port}`
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', ...extra })
  const stop = async (flushTimeoutMs?: number) => {
    await app.stop(true)
    await closeServices(services, flushTimeoutMs)
    if (violations.length > 0) throw new Error(`error answers that are not OpenAI envelopes:\n${violations.join('\n')}`)
  }
  return {
    url,
    key: MASTER_KEY,
    services,
    logs,
    headers,
    post: (path, body, h) => fetch(url + path, { method: 'POST', headers: headers(h), body: typeof body === 'string' ? body : JSON.stringify(body) }),
    stop,
    [Symbol.asyncDispose]: () => stop(),
  }
}

/** What a test gateway stands in front of: emulators reset between tests and stopped at the end. */
export interface Upstream {
  reset(): void
  stop(): Promise<void>
}

/** Several upstreams as one: reset together, stopped together. */
export function upstreams(...all: Upstream[]): Upstream {
  return {
    reset: () => {
      for (const u of all) u.reset()
    },
    stop: async () => {
      await Promise.all(all.map((u) => u.stop()))
    },
  }
}

/**
 * The hooks of a test file that runs one gateway in front of emulators:
 * `start` runs before all tests and returns both; after all tests the gateway
 * stops first, then the upstream; before each test the upstream is reset
 * (its scripts and recorded requests).
 */
export function useGatewayAndUpstream(start: () => Promise<{ gw: TestGateway; upstream: Upstream }>): void {
  let started: { gw: TestGateway; upstream: Upstream } | undefined
  beforeAll(async () => {
    started = await start()
  })
  afterAll(async () => {
    await started?.gw.stop()
    await started?.upstream.stop()
  })
  beforeEach(() => started?.upstream.reset())
}

/** Reads an SSE body into its `data:` payloads (strings) and comment lines. */
export async function readSse(res: Response): Promise<{ data: string[]; comments: string[] }> {
  const text = await res.text()
  const data: string[] = []
  const comments: string[] = []
  for (const block of text.split('\n\n')) {
    for (const line of block.split('\n')) {
      if (line.startsWith('data: ')) data.push(line.slice(6))
      else if (line.startsWith(':')) comments.push(line)
    }
  }
  return { data, comments }
}

/** The JSON chunks of an SSE body, without the final [DONE]. */
export function chunksOf(data: string[]): Array<Record<string, any>> {
  return data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d))
}

/** The assistant's text of a chat answer: the message content, or the streamed deltas joined. */
export async function answerText(res: Response, stream: boolean): Promise<string> {
  if (!stream) return (await jsonOf(res)).choices[0].message.content
  return chunksOf((await readSse(res)).data).map((c) => c.choices[0]?.delta.content ?? '').join('')
}

export const MOCK_CONFIG = `
model_list:
  - model_name: mock-echo
    litellm_params:
      model: mock/echo
  - model_name: mock-fixed
    litellm_params:
      model: mock/fixed
      mock_response: "The quick brown fox jumps over the lazy dog."
      mock_chunk_chars: 7
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`

/** A response body as loosely typed JSON, for assertions. */
// biome-ignore lint: tests inspect arbitrary JSON shapes
export async function jsonOf(res: Response): Promise<any> {
  return res.json()
}

/**
 * A new, empty PostgreSQL database on the TEST_DATABASE_URL server (one per
 * test file, so files never see each other's rows); undefined when no server
 * is configured. Dropped databases are not needed: the test cluster is thrown away.
 */
export async function freshPostgres(): Promise<string | undefined> {
  const base = process.env.TEST_DATABASE_URL
  if (!base) return undefined
  const name = `llmgw_t_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`
  const { SQL } = await import('bun')
  const admin = new SQL(base)
  await admin.unsafe(`CREATE DATABASE ${name}`)
  await admin.close()
  const url = new URL(base)
  url.pathname = `/${name}`
  return url.toString()
}

/** The key stores a test runs on: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set. */
export const KEY_STORES: ReadonlyArray<'sqlite' | 'postgres'> = ['sqlite', ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : [])]

/** An empty store of that kind for startGateway's `keyStore`: in-memory SQLite, or a new PostgreSQL database. */
export async function freshKeyStore(kind: 'sqlite' | 'postgres'): Promise<string> {
  return kind === 'postgres' ? (await freshPostgres())! : ':memory:'
}

/** Why `body` is not a valid error envelope `{"error":{"message","type","param","code"}}`, or undefined when it is. */
export function envelopeProblem(body: string): string | undefined {
  let v: unknown
  try {
    v = JSON.parse(body)
  } catch {
    return `not JSON: ${body.slice(0, 80)}`
  }
  const e = (v as { error?: Record<string, unknown> }).error
  if (!e || typeof e !== 'object') return 'no error object'
  const keys = Object.keys(e).sort().join(',')
  if (keys !== 'code,message,param,type') return `error keys are ${keys}`
  if (typeof e.message !== 'string' || typeof e.type !== 'string' || typeof e.code !== 'string') return 'message, type and code must be strings'
  if (e.param !== null && typeof e.param !== 'string') return 'param must be a string or null'
  if (/(?:\n|\\n)\s+at |arn:aws|\b\d{12}\b/.test(body)) return 'stack trace, ARN or account id in the body'
  return undefined
}

/** The original deployment's guardrail section (as in its LiteLLM config) plus the test master key. */
export const ORIGINAL_GUARDRAILS = `guardrails:
  - guardrail_name: duckies-bunnies-detector
    litellm_params:
      guardrail: custom_guardrail.DuckiesBunniesGuardrail
      mode: ["pre_call", "post_call"]
      default_on: true
      on_flagged_action: passthrough
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`
