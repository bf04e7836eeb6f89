/**
 * Every route's auth policy, declared in one place. A test enumerates the
 * app's routes: a route missing here fails the build, and each route is
 * checked to behave as declared (open: no key needed; key: master or virtual
 * key, 401 without; master: 401 without a key, 403 for a virtual key).
 * `/metrics` is master unless `general_settings.metrics_open`.
 */
export type RoutePolicy = 'open' | 'key' | 'master'

export const ROUTE_POLICIES: Readonly<Record<string, RoutePolicy>> = {
  'GET /health/liveliness': 'open',
  'GET /healthz': 'open',
  'GET /health/readiness': 'open',
  'GET /v1/models': 'key',
  'GET /models': 'key',
  'POST /v1/chat/completions': 'key',
  'POST /chat/completions': 'key',
  'POST /key/generate': 'master',
  'GET /key/info': 'master',
  'POST /key/update': 'master',
  'POST /key/delete': 'master',
  'GET /key/list': 'master',
  'GET /spend/logs': 'master',
  'GET /spend/keys': 'master',
  'GET /spend/models': 'master',
  'GET /metrics': 'master',
}
