import { expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { requestIdOf, requestIdPlugin } from './request-id.ts'

let built: Response | undefined
const app = new Elysia()
  .use(requestIdPlugin())
  .onError({ as: 'global' }, ({ request }) => new Response('{}', { status: 404, headers: { 'x-request-id': requestIdOf(request) } }))
  .post('/built', async () => {
    await Bun.sleep(1)
    return (built = new Response(new Blob(['as built']).stream(), { headers: { 'content-type': 'text/plain' } }))
  }, { parse: 'none' })
  .get('/object', () => ({ ok: true }))
  .get('/seen', ({ request }) => ({ id: requestIdOf(request) }))

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

test('the error handler can give the same id to an error answer', async () => {
  const res = await call('GET', '/nowhere', 'trace-404')
  expect([res.status, res.headers.get('x-request-id')]).toEqual([404, 'trace-404'])
})
