/**
 * Adapter for APIs that speak OpenAI's `/chat/completions` (OpenAI itself,
 * and Perplexity, see providers/perplexity). Pure mapping lives in
 * request.ts, response.ts and stream.ts; this file is the HTTP edge.
 */
import { errors } from '../../errors/gateway-error.ts'
import { upstreamError } from '../../errors/upstream.ts'
import { decodeSse } from '../../openai/sse-decode.ts'
import type { ChatRequest } from '../../openai/types.ts'
import type { CallContext, Deployment, Provider, ProviderResult, StreamEvent } from '../types.ts'
import { errorFromResponse, errorFromThrown } from './errors.ts'
import { readCappedJson, type CappedJson } from '../../http/read-capped.ts'
import { buildRequestBody, OPENAI_PARAMS } from './request.ts'
import { parseCompletion } from './response.ts'
import { ChunkMapper, mapSseStream } from './stream.ts'

export { OPENAI_PARAMS } from './request.ts'

/** Used for `name: 'openai'` when neither the deployment nor the options give an api base. */
export const OPENAI_API_BASE = 'https://api.openai.com/v1'
/** Largest non-stream response body accepted; longer is `bad_response`. */
export const RESPONSE_BODY_LIMIT = 16 * 1024 * 1024

export interface OpenAICompatibleOptions {
  /** Provider name used in errors and metrics. Default 'openai'. */
  name?: 'openai' | 'perplexity'
  /** Base URL (the part before `/chat/completions`) when the deployment sets no `api_base`. Default for 'openai': OPENAI_API_BASE. */
  defaultApiBase?: string
  /** Top-level OpenAI parameters forwarded when present. Default OPENAI_PARAMS. */
  params?: readonly (keyof ChatRequest)[]
  /** Keys of `ChatRequest.provider_params` forwarded when present (e.g. Perplexity's search options). Default none. */
  extraParams?: readonly string[]
  /** Top-level upstream response fields copied to `extra` (e.g. citations). Default none. */
  passthroughFields?: readonly string[]
}

/**
 * Creates the adapter. A deployment's `params.api_base` overrides the default
 * base (a trailing slash is ignored); `params.api_key`, when set, is sent as a
 * bearer token. `ctx.signal` aborts the upstream call, headers and body (the
 * core aborts it at the deployment's timeout, with the timeout error as reason).
 */
export function createOpenAICompatibleProvider(opts: OpenAICompatibleOptions = {}): Provider {
  const name = opts.name ?? 'openai'
  const defaultApiBase = opts.defaultApiBase ?? (name === 'openai' ? OPENAI_API_BASE : undefined)
  const allowed = { params: opts.params ?? OPENAI_PARAMS, extraParams: opts.extraParams ?? [] }
  const passthrough = opts.passthroughFields ?? []

  async function send(req: ChatRequest, deployment: Deployment, ctx: CallContext): Promise<Response> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: req.stream ? 'text/event-stream' : 'application/json',
    }
    const apiKey = deployment.params.api_key
    if (typeof apiKey === 'string' && apiKey !== '') headers.authorization = `Bearer ${apiKey}`
    const body = JSON.stringify(buildRequestBody(req, deployment, allowed))
    let res: Response
    try {
      res = await fetch(`${apiBaseOf(deployment)}/chat/completions`, { method: 'POST', headers, body, signal: ctx.signal })
    } catch (err) {
      throw errorFromThrown(name, err, ctx.signal, 'request')
    }
    if (!res.ok) throw await errorFromResponse(name, res)
    return res
  }

  function apiBaseOf(deployment: Deployment): string {
    const configured = deployment.params.api_base
    const base = typeof configured === 'string' && configured !== '' ? configured : defaultApiBase
    if (!base) throw errors.modelUnavailable(deployment.modelName, 'the deployment sets no api_base')
    return base.replace(TRAILING_SLASHES, '')
  }

  return {
    name,
    supportedParams: new Set<string>([...allowed.params, ...allowed.extraParams]),

    async complete(req, deployment, ctx): Promise<ProviderResult> {
      const res = await send(req, deployment, ctx)
      let body: CappedJson
      try {
        body = await readCappedJson(res, RESPONSE_BODY_LIMIT)
      } catch (err) {
        throw err instanceof SyntaxError ? upstreamError({ provider: name, kind: 'bad_response', cause: err }) : errorFromThrown(name, err, ctx.signal, 'request')
      }
      if (body.kind !== 'json') {
        const why = body.kind === 'empty' ? 'an empty body' : `a body over ${RESPONSE_BODY_LIMIT} bytes`
        throw upstreamError({ provider: name, kind: 'bad_response', cause: new Error(why) })
      }
      return parseCompletion(body.value, name, passthrough)
    },

    async *stream(req, deployment, ctx): AsyncGenerator<StreamEvent> {
      const res = await send(req, deployment, ctx)
      if (!res.body) throw upstreamError({ provider: name, kind: 'bad_response', cause: new Error('no body') })
      try {
        yield* mapSseStream(decodeSse(res.body, { provider: name }), new ChunkMapper(name, passthrough))
      } catch (err) {
        throw errorFromThrown(name, err, ctx.signal, 'stream')
      }
    },
  }
}

const TRAILING_SLASHES = /\/+$/

