/**
 * Key admin API, master key only, on LiteLLM's paths so existing scripts work:
 * POST /key/generate, GET /key/info?key=…, POST /key/update, POST /key/delete,
 * GET /key/list. A key is identified by its value (`sk-…`) or by the 16-hex
 * `token` the API shows; the key itself is returned once, by /key/generate.
 */
import { Elysia } from 'elysia'
import { adminPlugin } from '../auth/plugin.ts'
import { errors } from '../errors/gateway-error.ts'
import { readJsonBody } from '../http/body.ts'
import { keyInfo } from '../keys/render.ts'
import { parseKeyFields, type KnownNames } from '../keys/requests.ts'
import { hashKey } from '../keys/service.ts'
import { isObject } from '../openai/validate-util.ts'
import type { GatewayServices } from '../services.ts'

const ADMIN_BODY_LIMIT = 64 * 1024

export function keyRoutes(s: GatewayServices) {
  const known: KnownNames = { models: new Set(s.router.modelNames()), guardrails: new Set(s.guardrails.byName.keys()) }

  /** The full hash of a key given by value or by its 16-hex token; 404 when unknown. */
  const resolveHash = async (ref: unknown, param: string): Promise<string> => {
    if (typeof ref !== 'string' || ref.length === 0 || ref.length > 512) throw errors.invalidRequest(`'${param}' must be a key (sk-…) or its token.`, param)
    if (/^[0-9a-f]{16}$/.test(ref)) {
      const match = (await s.keys.store.listKeys()).find((k) => k.keyHash.startsWith(ref))
      if (match) return match.keyHash
    } else {
      const hash = hashKey(ref)
      if (await s.keys.store.getKey(hash)) return hash
    }
    throw errors.keyNotFound(param)
  }

  return new Elysia({ name: 'routes.keys' })
    .use(adminPlugin(s))
    .post('/key/generate', async ({ request }) => {
      const fields = parseKeyFields(await readJsonBody(request, ADMIN_BODY_LIMIT), known)
      const { key, record } = await s.keys.create(fields)
      s.log.info('key.generate', { token: record.keyHash.slice(0, 16), key_alias: record.keyAlias })
      return { key, ...keyInfo(record, 0) }
    }, { parse: 'none' })
    .get('/key/info', async ({ request }) => {
      const hash = await resolveHash(new URL(request.url).searchParams.get('key'), 'key')
      const r = (await s.keys.store.getKey(hash))!
      return { key: r.keyHash.slice(0, 16), info: keyInfo(r, s.keys.spendOf(r)) }
    })
    .post('/key/update', async ({ request }) => {
      const body = await readJsonBody(request, ADMIN_BODY_LIMIT)
      const hash = await resolveHash(isObject(body) ? body.key : undefined, 'key')
      const r = await s.keys.update(hash, parseKeyFields(body, known))
      if (!r) throw errors.keyNotFound('key')
      s.log.info('key.update', { token: hash.slice(0, 16) })
      return keyInfo(r, s.keys.spendOf(r))
    }, { parse: 'none' })
    .post('/key/delete', async ({ request }) => {
      const body = await readJsonBody(request, ADMIN_BODY_LIMIT)
      const refs = isObject(body) ? body.keys : undefined
      if (!Array.isArray(refs) || refs.length === 0 || refs.length > 1000) throw errors.invalidRequest("'keys' must be a list of keys or tokens.", 'keys')
      const hashes = await Promise.all(refs.map((r) => resolveHash(r, 'keys')))
      await s.keys.delete(hashes)
      s.log.info('key.delete', { tokens: hashes.map((h) => h.slice(0, 16)) })
      return { deleted_keys: hashes.map((h) => h.slice(0, 16)) }
    }, { parse: 'none' })
    .get('/key/list', async () => {
      const all = await s.keys.store.listKeys()
      return { keys: all.map((r) => keyInfo(r, s.keys.spendOf(r))), total_count: all.length }
    })
}
