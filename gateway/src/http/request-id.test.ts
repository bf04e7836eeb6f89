import { expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { errorPlugin } from '../errors/plugin.ts'
import { errors } from '../errors/gateway-error.ts'
import { createLogger } from '../observability/log.ts'
import { requestIdOf, requestIdPlugin } from './request-id.ts'

let built: Response | undefined
const app = new Elysia()
  .use(requestIdPlugin())
  .use(errorPlugin(createLogger({ sink: () => undefined })))
  .post('/built', async () => {
    await Bun.sleep(1)
    return (built = new Response(new Blob(['as built']).stream(), { headers: { 'content-type': 'text/plain' } }))
  }, { parse: 'none' })
  .get('/object', () => ({ ok: true }))
  .get('/seen', ({ request }) => ({ id: requestIdOf(request) }))
  .get('/refused', () => {
    throw errors.invalidRequest('refused on purpose', null)
  })

const call = (method: string, path: string, id?: string) =>
  app.handle(new Request(`http://localhost${path}`, { method, headers: id === undefined ? {} : { 'x-request-id': id } }))

test('a Response a route builds (async, stream body) is sent as that very object, with the request id on it', async () => {
  const res = await call('POST', '/built', 'trace-built')
  expect(res).toBe(built!)
  expect(res.headers.get('x-request-id')).toBe('trace-built')
  expect(await res.text()).toBe('as built')
})

test('answers Elysia makes from objects carry it too, and the route sees the same id', async () => {
  const res = await call('GET', '/seen')
  const id = res.headers.get('x-request-id')
  expect(id).toMatch(/^[0-9a-f-]{36}$/)
  expect(await res.json()).toEqual({ id })
  expect((await call('GET', '/object', 'trace-object')).headers.get('x-request-id')).toBe('trace-object')
})

test('a malformed or oversized client id is replaced by a minted one', async () => {
  for (const bad of ['has spaces', 'x'.repeat(129), 'semi;colon']) {
    const id = (await call('GET', '/object', bad)).headers.get('x-request-id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
  }
})

test('error envelopes from the error plugin carry the id: an unknown route and a route that throws', async () => {
  const missing = await call('GET', '/nowhere', 'trace-404')
  expect([missing.status, missing.headers.get('x-request-id')]).toEqual([404, 'trace-404'])
  const refused = await call('GET', '/refused', 'trace-400')
  expect([refused.status, refused.headers.get('x-request-id')]).toEqual([400, 'trace-400'])
  expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('refused on purpose')
})
