/**
 * Fits a validated request to what one provider supports. A parameter the
 * provider does not understand is dropped when `drop_params` is on, and
 * otherwise rejected with a 400 naming it, before any upstream call.
 */
import { errors } from '../errors/gateway-error.ts'
import type { ChatRequest } from '../openai/types.ts'
import type { Provider } from './types.ts'

/** Handled by the gateway itself for every provider. */
const CORE_FIELDS = new Set(['model', 'messages', 'stream', 'stream_options', 'user', 'guardrails', 'provider_params'])

export interface FittedRequest {
  request: ChatRequest
  dropped: string[]
}

export function fitToProvider(req: ChatRequest, provider: Provider, dropParams: boolean): FittedRequest {
  const unsupported: string[] = []
  for (const key of Object.keys(req)) {
    if (CORE_FIELDS.has(key) || (req as unknown as Record<string, unknown>)[key] === undefined) continue
    if (key === 'n' && req.n === 1) continue
    if (!provider.supportedParams.has(key)) unsupported.push(key)
  }
  for (const key of Object.keys(req.provider_params ?? {})) {
    if (!provider.supportedParams.has(key)) unsupported.push(key)
  }
  if (unsupported.length === 0) return { request: req, dropped: [] }
  if (!dropParams) {
    throw errors.invalidRequest(
      `${provider.name} does not support the parameter(s) ${unsupported.join(', ')}. Remove them, or set litellm_settings.drop_params: true to drop them.`,
      unsupported[0] ?? null,
      'unsupported_parameter',
    )
  }
  const request: ChatRequest = { ...req }
  const providerParams = { ...req.provider_params }
  for (const key of unsupported) {
    if (key in providerParams) delete providerParams[key]
    else delete (request as unknown as Record<string, unknown>)[key]
  }
  if (request.provider_params) {
    if (Object.keys(providerParams).length > 0) request.provider_params = providerParams
    else delete request.provider_params
  }
  return { request, dropped: unsupported }
}
