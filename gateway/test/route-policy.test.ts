/**
 * Broken function-level authorisation is a build failure: every route the
 * app serves must declare its policy in routes/policy.ts, and behaves as declared.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { createApp } from '../src/app.ts'
import { ROUTE_POLICIES } from '../src/routes/policy.ts'
import { MOCK_CONFIG, jsonOf, startGateway, type TestGateway } from './utils.ts'

let gw: TestGateway
let virtualKey: string

beforeAll(async () => {
  gw = await startGateway({ yaml: MOCK_CONFIG })
  virtualKey = (await jsonOf(await gw.post('/key/generate', {}))).key
})
afterAll(() => gw.stop())

const served = () => createApp(gw.services).routes.map((r) => `${r.method} ${r.path}`)

test('every route the app serves declares an auth policy, and every declared route exists', () => {
  const routes = served()
  expect(routes.filter((r) => !(r in ROUTE_POLICIES))).toEqual([])
  expect(Object.keys(ROUTE_POLICIES).filter((r) => !routes.includes(r))).toEqual([])
})

describe.each(Object.entries(ROUTE_POLICIES))('%s', (route, policy) => {
  const [method, path] = route.split(' ') as [string, string]
  const call = (key?: string) =>
    fetch(gw.url + path, { method, headers: key ? { authorization: `Bearer ${key}` } : {}, ...(method === 'POST' ? { body: '{}' } : {}) })

  test(`is ${policy}`, async () => {
    const [none, asKey, asMaster] = await Promise.all([call(), call(virtualKey), call(gw.key)])
    const statuses = { none: none.status, key: asKey.status, master: asMaster.status }
    if (policy === 'open') expect(statuses).toEqual({ none: 200, key: 200, master: 200 })
    if (policy === 'key') {
      expect(statuses.none).toBe(401)
      expect([statuses.key, statuses.master].every((s) => s !== 401 && s !== 403)).toBe(true)
    }
    if (policy === 'master') {
      expect({ none: statuses.none, key: statuses.key }).toEqual({ none: 401, key: 403 })
      expect([401, 403]).not.toContain(statuses.master)
    }
    await Promise.all([none.text(), asKey.text(), asMaster.text()])
  })
})
