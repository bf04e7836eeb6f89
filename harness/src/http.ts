/**
 * HTTP helpers over plain `fetch`, so the harness works against any
 * OpenAI-compatible gateway: requests with or without the key, bodies read
 * whole with their latency, and the OpenAI error envelope recognised.
 */
import { excerpt } from './check.ts'

/** Where and how to reach the gateway under test. */
export interface Endpoint {
  /** Base URL without a trailing slash and without `/v1`. */
  base: string
  key: string
}

export interface CallOptions {
  method?: string
  /** `undefined`: the endpoint's key; `null`: no credentials at all; a string: that key. */
  key?: string | null
  /** JSON body (serialised, with `content-type: application/json`). */
  json?: unknown
  /** Raw body, sent as `application/json` unless `headers` says otherwise. */
  body?: string | Uint8Array
  headers?: Record<string, string>
  signal: AbortSignal
}

/** A response read whole. */
export interface Answer {
  status: number
  headers: Headers
  text: string
  /** The parsed body, or `undefined` when it is not JSON. */
  json: unknown
  latencyMs: number
}

/** The OpenAI error envelope `{"error":{"message","type",…}}`. */
export interface ErrorEnvelope {
  message: string
  type: string
  code?: string | null
  param?: string | null
}

/** Sends a request to `base + path`; the key is a Bearer token. */
export function call(ep: Endpoint, path: string, opts: CallOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json, text/event-stream', ...opts.headers }
  const key = opts.key === undefined ? ep.key : opts.key
  if (key !== null) headers.authorization = `Bearer ${key}`
  let body: string | Uint8Array | undefined = opts.body
  if (opts.json !== undefined) body = JSON.stringify(opts.json)
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json'
  return fetch(ep.base + path, { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal: opts.signal, redirect: 'manual' })
}

/** `call`, then the body read whole with the time it took. */
export async function fetchAnswer(ep: Endpoint, path: string, opts: CallOptions): Promise<Answer> {
  const started = performance.now()
  const res = await call(ep, path, opts)
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: parseJson(text), latencyMs: Math.round(performance.now() - started) }
}

/** `JSON.parse`, or `undefined` for anything that is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The error envelope in a parsed body, when it has the OpenAI shape. */
export function envelopeOf(json: unknown): ErrorEnvelope | undefined {
  if (!isRecord(json) || !isRecord(json.error)) return undefined
  const { message, type, code, param } = json.error
  if (typeof message !== 'string' || typeof type !== 'string') return undefined
  return { message, type, code: typeof code === 'string' ? code : null, param: typeof param === 'string' ? param : null }
}

/** Why a body is not an error envelope, or `undefined` when it is one. */
export function envelopeProblem(answer: Pick<Answer, 'json' | 'text'>): string | undefined {
  if (envelopeOf(answer.json) !== undefined) return undefined
  if (answer.json === undefined) return `body is not JSON: "${excerpt(answer.text)}"`
  return `body is not an error envelope {"error":{"message","type"}}: ${excerpt(answer.text)}`
}

/** "HTTP 404 invalid_request_error/model_not_found" style summary of an answer. */
export function describeAnswer(answer: Pick<Answer, 'status' | 'json' | 'text'>): string {
  const env = envelopeOf(answer.json)
  if (env) return `HTTP ${answer.status} ${env.type}${env.code ? `/${env.code}` : ''}: ${excerpt(env.message, 100)}`
  return `HTTP ${answer.status}: ${excerpt(answer.text, 100)}`
}

/** A one-line description of a failed fetch (connection refused, DNS, TLS, timeout). */
export function describeNetworkError(err: unknown, url: string): string {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer from ${url} (${err.name})`
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return `cannot reach ${url}: ${typeof code === 'string' && !err.message.includes(code) ? `${code} ` : ''}${err.message}`
  }
  return `cannot reach ${url}: ${String(err)}`
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The gateway's base URL: trailing slashes and a trailing `/v1` (OpenAI SDK style) removed. */
export function normalizeBase(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/v1$/, '')
}
