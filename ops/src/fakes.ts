/** Test doubles shared by the ops tests (fetch and Cloudflare payloads; AWS clients use aws-sdk-client-mock). */
import type { FetchLike } from './cloudflare.ts'

/** A fake fetch answering from a table of URL -> JSON body, recording the calls. */
export function fakeFetch(routes: Record<string, { status?: number; body: unknown }>): FetchLike & { calls: { url: string; auth: string | null }[] } {
  const calls: { url: string; auth: string | null }[] = []
  const fn = async (url: string, init?: RequestInit) => {
    calls.push({ url, auth: new Headers(init?.headers).get('authorization') })
    const route = routes[url]
    if (!route) return Response.json({ success: false, errors: [{ message: `no route ${url}` }] }, { status: 404 })
    return Response.json(route.body, { status: route.status ?? 200 })
  }
  return Object.assign(fn, { calls })
}

export const CF_IPS = {
  success: true,
  errors: [],
  result: { ipv4_cidrs: ['173.245.48.0/20', '104.16.0.0/13'], ipv6_cidrs: ['2606:4700::/32'], etag: 'abc' },
}

/** Fixed credentials so SDK clients built in tests never look for real ones. */
export const TEST_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
}
