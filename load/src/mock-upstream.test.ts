import { afterAll, expect, test } from 'bun:test'
import { MOCK_TOKEN, startMockUpstream } from './mock-upstream.ts'

const burst = startMockUpstream({ tokens: 3 })
const paced = startMockUpstream({ tokens: 3, latencyMs: 5, tokenIntervalMs: 5 })
afterAll(async () => {
  await burst.stop()
  await paced.stop()
})

const post = (url: string, body: object) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

test('answers a non-stream request with a chat.completion and usage', async () => {
  const res = await post(burst.url, { model: 'm', messages: [] })
  const body = (await res.json()) as Record<string, unknown>
  expect({ status: res.status, object: body.object, choices: body.choices, usage: body.usage }).toEqual({
    status: 200,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content: MOCK_TOKEN.repeat(3) }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 8, completion_tokens: 3, total_tokens: 11 },
  })
})

/** The data payloads of an SSE body. */
const frames = (text: string) => text.split('\n\n').filter(Boolean).map((f) => f.replace(/^data: /, ''))

test.each([
  ['burst', false],
  ['burst', true],
  ['paced', false],
  ['paced', true],
] as const)('a %s stream (include_usage %p) sends role, tokens, finish, optional usage, then [DONE]', async (kind, includeUsage) => {
  const mock = kind === 'burst' ? burst : paced
  const res = await post(mock.url, { model: 'm', messages: [], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) })
  expect(res.headers.get('content-type')).toBe('text/event-stream')
  const data = frames(await res.text())
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: { delta: object; finish_reason: string | null }[]; usage?: object })
  expect(chunks.map((c) => (c.usage ? 'usage' : (c.choices[0]!.finish_reason ?? c.choices[0]!.delta)))).toEqual([
    { role: 'assistant', content: MOCK_TOKEN },
    { content: MOCK_TOKEN },
    { content: MOCK_TOKEN },
    'stop',
    ...(includeUsage ? ['usage'] : []),
  ])
  expect(data.at(-1)).toBe('[DONE]')
})

test('counts paced streams open at once and exposes them on /__stats', async () => {
  const before = paced.stats().streams
  await Promise.all([1, 2, 3].map(() => post(paced.url, { stream: true }).then((r) => r.text())))
  const stats = (await (await fetch(`${paced.url}/__stats`)).json()) as { streams: number; openStreams: number; peakOpenStreams: number }
  expect({ streams: stats.streams - before, open: stats.openStreams, peakAtLeast3: stats.peakOpenStreams >= 3 }).toEqual({ streams: 3, open: 0, peakAtLeast3: true })
})

test('unknown paths answer 404', async () => {
  expect((await fetch(`${burst.url}/v1/embeddings`, { method: 'POST' })).status).toBe(404)
})
