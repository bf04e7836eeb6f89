/**
 * The auth plugin: every route of an instance that uses it requires a valid
 * key. Health routes do not use it. Scoped, so it protects exactly the
 * instance that declares `.use(authPlugin(...))`.
 */
import { Elysia } from 'elysia'
import { errors } from '../errors/gateway-error.ts'
import { presentedKey, type KeyDigest } from './keys.ts'

export function authPlugin(master: KeyDigest) {
  return new Elysia({ name: 'auth' }).onBeforeHandle({ as: 'scoped' }, ({ request }) => {
    const key = presentedKey(request.headers)
    if (key === undefined || !master.matches(key)) throw errors.unauthorized()
  })
}
