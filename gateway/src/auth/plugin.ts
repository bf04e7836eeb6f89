/**
 * The auth plugins. `authPlugin` resolves the caller (master or virtual key)
 * for every route of the instance that uses it, as `principal`;
 * `adminPlugin` additionally requires the master key (403 for a virtual key).
 * Health routes use neither. Scoped, so each protects exactly its instance.
 */
import { Elysia } from 'elysia'
import type { GatewayServices } from '../services.ts'
import { authenticate, requireMaster } from './principal.ts'

/** Elysia dedupes plugins by name and seed: one seed per gateway instance keeps two gateways in one process apart. */
const seeds = new WeakMap<object, number>()
let lastSeed = 0
function seedOf(s: object): number {
  let seed = seeds.get(s)
  if (seed === undefined) seeds.set(s, (seed = ++lastSeed))
  return seed
}

export function authPlugin(s: Pick<GatewayServices, 'master' | 'keys'>) {
  return new Elysia({ name: 'auth', seed: seedOf(s) }).resolve({ as: 'scoped' }, async ({ request }) => ({
    principal: await authenticate(request.headers, s.master, s.keys),
  }))
}

export function adminPlugin(s: Pick<GatewayServices, 'master' | 'keys'>) {
  return new Elysia({ name: 'auth.admin', seed: seedOf(s) }).resolve({ as: 'scoped' }, async ({ request }) => {
    const principal = await authenticate(request.headers, s.master, s.keys)
    requireMaster(principal)
    return { principal }
  })
}
