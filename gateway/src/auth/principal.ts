/**
 * Who is calling: the master key (admin) or a virtual key. The master key is
 * compared in constant time against its digest; a virtual key is looked up by
 * its SHA-256 through the key cache. Anything else is a 401 that does not echo
 * what was presented.
 */
import { errors } from '../errors/gateway-error.ts'
import type { KeyService } from '../keys/service.ts'
import type { KeyRecord } from '../keys/types.ts'
import { presentedKey, type KeyDigest } from './keys.ts'

export type Principal = { kind: 'master' } | { kind: 'key'; key: KeyRecord }

export async function authenticate(headers: Headers, master: KeyDigest, keys: KeyService): Promise<Principal> {
  const presented = presentedKey(headers)
  if (presented === undefined) throw errors.unauthorized()
  if (master.matches(presented)) return { kind: 'master' }
  return { kind: 'key', key: await keys.authenticate(presented) }
}

export function requireMaster(p: Principal): void {
  if (p.kind !== 'master') throw errors.forbidden('This route needs the master key.', 'admin_only')
}

/** 403 when a virtual key's model allowlist does not include `model`. */
export function requireModel(p: Principal, model: string): void {
  if (p.kind === 'key' && p.key.models.length > 0 && !p.key.models.includes(model)) {
    throw errors.forbidden(`This key may not use the model '${model.slice(0, 100)}'.`, 'model_not_allowed')
  }
}
