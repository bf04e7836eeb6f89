/**
 * Area 1's inputs: fast-check arbitraries for requests to every POST route.
 * Bodies are mutations of a seed corpus of valid requests (structured and
 * byte-level), random JSON and non-JSON; headers vary the key, content type,
 * request id, guardrail header and extra fields. `$MASTER` and `$VIRTUAL` in a
 * header stand for the run's keys, so saved cases replay on any run.
 */
import fc from 'fast-check'

export interface FuzzCase {
  method: string
  path: string
  headers: Record<string, string>
  /** The body as sent (UTF-8 text, or bytes in base64 when `binary`). */
  body: string
  binary?: boolean
}

const msg = (content: unknown, role = 'user') => ({ role, content })
export const SEED_BODIES: Record<string, unknown[]> = {
  chat: [
    { model: 'mock-echo', messages: [msg('hello')] },
    { model: 'mock-fixed', messages: [msg('hi')], stream: true, stream_options: { include_usage: true } },
    { model: 'mock-echo', messages: [msg('be brief', 'system'), msg('hi'), msg('hello', 'assistant'), msg([{ type: 'text', text: 'again' }])], temperature: 0.5, top_p: 0.9, max_tokens: 20, stop: ['x'], seed: 1, user: 'u' },
    { model: 'mock-echo', messages: [msg('weather?')], tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object', properties: {} } } }], tool_choice: 'auto' },
    { model: 'mock-echo', messages: [msg('hi'), { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'sunny' }] },
    { model: 'mock-echo', messages: [msg([{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }, { type: 'text', text: 'see' }])], response_format: { type: 'json_object' }, metadata: { a: 1 } },
    { model: 'mock-fixed', messages: [msg('hi')], n: 1, logprobs: false, presence_penalty: 0, frequency_penalty: 0, logit_bias: { '1': 1 }, parallel_tool_calls: true },
    { model: 'nope', messages: [msg('hi')], search_domain_filter: ['example.com'], search_recency_filter: 'week' },
  ],
  key: [
    { key_alias: 'a', models: ['mock-echo'], rpm_limit: 10, tpm_limit: 1000, max_budget: 1, budget_duration: '30d', duration: '1h', metadata: { team: 'x' } },
    { key: 'sk-unknown', rpm_limit: 5 },
    { keys: ['sk-unknown', '0123456789abcdef'] },
    {},
  ],
}

const FIELDS = [
  'model', 'messages', 'stream', 'temperature', 'top_p', 'max_tokens', 'n', 'stop', 'tools', 'tool_choice', 'guardrails', 'metadata',
  'stream_options', 'response_format', 'user', 'seed', 'key', 'keys', 'models', 'rpm_limit', 'max_budget', 'duration', 'expires',
  'api_base', 'aws_region_name', 'extra_headers', '__proto__', 'constructor', 'prototype', 'role', 'content', 'tool_calls',
]
const POST_ROUTES = ['/v1/chat/completions', '/chat/completions', '/key/generate', '/key/update', '/key/delete']

/** A random path into a JSON value, then a replacement there. */
function mutateAt(v: unknown, path: number[], replacement: unknown, key: string): unknown {
  if (path.length === 0 || v === null || typeof v !== 'object') return replacement
  const [step, ...rest] = path as [number, ...number[]]
  if (Array.isArray(v)) {
    if (v.length === 0) return [replacement]
    const copy = [...v]
    copy[step % v.length] = mutateAt(v[step % v.length], rest, replacement, key)
    return copy
  }
  const o = v as Record<string, unknown>
  const keys = Object.keys(o)
  const copy: Record<string, unknown> = { ...o }
  if (keys.length === 0 || step % 5 === 0) Object.defineProperty(copy, key, { value: replacement, enumerable: true, configurable: true, writable: true })
  else if (step % 7 === 0) delete copy[keys[step % keys.length]!]
  else copy[keys[step % keys.length]!] = mutateAt(o[keys[step % keys.length]!], rest, replacement, key)
  return copy
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, '', ' ', 'ä\u0000\u202e', '\ud800', 'x'.repeat(5000), [], {}, null, true),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.integer({ min: 1, max: 200 }).map((d) => JSON.parse('['.repeat(d) + ']'.repeat(d)) as unknown),
)

const structured = fc.record({
  seed: fc.constantFrom(...SEED_BODIES.chat!, ...SEED_BODIES.key!),
  path: fc.array(fc.nat(), { maxLength: 5 }),
  key: fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 })),
  value: hostileValue,
}).map(({ seed, path, key, value }) => JSON.stringify(mutateAt(seed, path, value, key)))

const byteOps = fc.array(fc.tuple(fc.constantFrom('flip', 'insert', 'delete', 'truncate', 'dup'), fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
const bytewise = fc.tuple(fc.constantFrom(...SEED_BODIES.chat!, ...SEED_BODIES.key!), byteOps).map(([seed, ops]) => {
  let s = JSON.stringify(seed)
  for (const [op, at, b] of ops) {
    const i = s.length === 0 ? 0 : at % s.length
    const ch = String.fromCharCode(b)
    if (op === 'flip') s = s.slice(0, i) + ch + s.slice(i + 1)
    else if (op === 'insert') s = s.slice(0, i) + ch + s.slice(i)
    else if (op === 'delete') s = s.slice(0, i) + s.slice(i + 1)
    else if (op === 'truncate') s = s.slice(0, i)
    else s = s.slice(0, i) + s.slice(i, i + 20).repeat(3) + s.slice(i)
  }
  return s
})

const bodyArb: fc.Arbitrary<{ body: string; binary?: boolean }> = fc.oneof(
  { weight: 4, arbitrary: structured.map((body) => ({ body })) },
  { weight: 3, arbitrary: bytewise.map((body) => ({ body })) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 4 }).map((body) => ({ body })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((body) => ({ body })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((b) => ({ body: Buffer.from(b).toString('base64'), binary: true })) },
  { weight: 1, arbitrary: fc.constantFrom('', 'null', '[]', '{}', '{"__proto__":{"isAdmin":true},"model":"mock-echo","messages":[{"role":"user","content":"x"}]}', '{"model":"mock-echo","model":"x"}', `{"a":${'['.repeat(100_000)}`).map((body) => ({ body })) },
)

const token = fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20}$/)
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 })
const headersArb = fc.record({
  auth: fc.oneof(
    { weight: 8, arbitrary: fc.constant({ authorization: 'Bearer $MASTER' }) },
    { weight: 1, arbitrary: fc.constant({ authorization: 'Bearer $VIRTUAL' }) },
    { weight: 1, arbitrary: fc.constant({ 'x-api-key': '$MASTER' }) },
    { weight: 1, arbitrary: headerValue.map((v) => ({ authorization: v })) },
  ),
  contentType: fc.option(fc.oneof(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16'), headerValue), { nil: undefined }),
  extra: fc.array(fc.tuple(fc.oneof(fc.constantFrom('x-request-id', 'x-guardrails', 'accept', 'accept-encoding', 'x-forwarded-for', 'transfer-encoding', 'expect'), token), headerValue), { maxLength: 3 }),
}).map(({ auth, contentType, extra }) => {
  const h: Record<string, string> = { ...auth }
  if (contentType !== undefined) h['content-type'] = contentType
  for (const [k, v] of extra) if (!(k.toLowerCase() in h) && !['host', 'content-length', 'transfer-encoding', 'expect', 'connection'].includes(k.toLowerCase())) h[k.toLowerCase()] = v
  return h
})

export const fuzzCaseArb: fc.Arbitrary<FuzzCase> = fc.record({
  path: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...POST_ROUTES.slice(0, 2)) }, { weight: 3, arbitrary: fc.constantFrom(...POST_ROUTES.slice(2)) }, { weight: 1, arbitrary: fc.constantFrom('/v1/models', '/metrics', '/v1/embeddings', '/key/info') }),
  headers: headersArb,
  body: bodyArb,
}).map(({ path, headers, body }) => ({ method: 'POST', path, headers, ...body }))

/** `count` cases from `seed`, in batches so memory stays flat. */
export function* fuzzCases(seed: number, count: number, batch = 500): Generator<FuzzCase> {
  for (let done = 0, i = 0; done < count; i++) {
    const n = Math.min(batch, count - done)
    yield* fc.sample(fuzzCaseArb, { seed: seed + i, numRuns: n })
    done += n
  }
}
