/**
 * Validates an untrusted chat-completions body into a `ChatRequest`.
 * Every problem is a 400 `invalid_request_error` whose `param` names the
 * offending field (`messages[2].content`, `temperature`, ...).
 *
 * Fields that would let a client steer the upstream (api_base, api_key,
 * aws_*, extra_headers, ...) are rejected outright and never forwarded: the
 * upstream is chosen by configuration only. Unknown fields are rejected too,
 * so nothing unvetted can reach a provider.
 */
import { errors } from '../errors/gateway-error.ts'
import type { ChatRequest } from './types.ts'
import { validateMessages } from './validate-messages.ts'
import { validateToolChoice, validateTools, validateResponseFormat } from './validate-tools.ts'
import { bad, isObject, num, optBool, optInt, optNum, optString, typeName } from './validate-util.ts'
import { PERPLEXITY_PARAMS } from '../providers/perplexity/params.ts'

/** Fields that select or authenticate the upstream: never accepted from a client. */
const STEERING = new Set([
  'api_base', 'base_url', 'api_key', 'api_version', 'extra_headers', 'extra_body', 'extra_query',
  'custom_llm_provider', 'organization', 'deployment_id', 'mock_response', 'litellm_params', 'headers',
])
const STEERING_PREFIXES = ['aws_', 'azure_', 'vertex_', 'litellm_']

/** Accepted for compatibility, not forwarded to providers. */
const IGNORED = new Set(['metadata', 'store', 'service_tier', 'stream_options'])

const HANDLED = new Set([
  'model', 'messages', 'stream', 'temperature', 'top_p', 'max_tokens', 'max_completion_tokens', 'n', 'stop',
  'presence_penalty', 'frequency_penalty', 'seed', 'logit_bias', 'logprobs', 'top_logprobs', 'user', 'tools',
  'tool_choice', 'parallel_tool_calls', 'response_format', 'guardrails',
])

const PROVIDER_PARAMS = new Set<string>(PERPLEXITY_PARAMS)

export function isSteeringField(key: string): boolean {
  return STEERING.has(key) || STEERING_PREFIXES.some((p) => key.startsWith(p))
}

export function validateChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw errors.invalidRequest(`The request body must be a JSON object, got ${typeName(body)}.`)
  const providerParams: Record<string, unknown> = {}
  for (const key of Object.keys(body)) {
    if (isSteeringField(key)) {
      throw errors.invalidRequest(
        `'${key}' is not allowed in requests: the upstream provider, its address and credentials come from the gateway's configuration only.`,
        key,
        'forbidden_parameter',
      )
    }
    if (PROVIDER_PARAMS.has(key)) providerParams[key] = body[key]
    else if (!HANDLED.has(key) && !IGNORED.has(key)) {
      throw errors.invalidRequest(`Unrecognized request argument supplied: ${key}`, key, 'unknown_parameter')
    }
  }

  const model = body.model
  if (typeof model !== 'string' || model.length === 0) {
    throw model === undefined ? bad('model', "Missing required parameter: 'model'.") : bad('model', `Invalid type for 'model': expected a non-empty string, but got ${typeName(model)}.`)
  }
  if (model.length > 256) throw bad('model', "'model' is longer than 256 characters.")
  if (/:\/\/|^arn:|^\/|\\/i.test(model)) {
    throw errors.invalidRequest("'model' must be a model name from GET /v1/models, not a URL, path or ARN: upstreams come from the gateway's configuration only.", 'model', 'forbidden_parameter')
  }

  const stream = optBool(body, 'stream') ?? false
  const req: ChatRequest = { model, messages: validateMessages(body.messages), stream }

  const so = body.stream_options
  if (so !== undefined && so !== null) {
    if (!isObject(so)) throw bad('stream_options', `Invalid type for 'stream_options': expected an object, but got ${typeName(so)}.`)
    const includeUsage = optBool(so, 'include_usage', 'stream_options.include_usage')
    if (includeUsage !== undefined) req.stream_options = { include_usage: includeUsage }
  }

  assign(req, 'temperature', optNum(body, 'temperature', 0, 2))
  assign(req, 'top_p', optNum(body, 'top_p', 0, 1))
  const maxTokens = optInt(body, 'max_completion_tokens', 1) ?? optInt(body, 'max_tokens', 1)
  assign(req, 'max_tokens', maxTokens)
  assign(req, 'n', optInt(body, 'n', 1, 128))
  assign(req, 'presence_penalty', optNum(body, 'presence_penalty', -2, 2))
  assign(req, 'frequency_penalty', optNum(body, 'frequency_penalty', -2, 2))
  assign(req, 'seed', optInt(body, 'seed'))
  assign(req, 'logprobs', optBool(body, 'logprobs'))
  assign(req, 'top_logprobs', optInt(body, 'top_logprobs', 0, 20))
  assign(req, 'user', optString(body, 'user', 512))
  assign(req, 'parallel_tool_calls', optBool(body, 'parallel_tool_calls'))
  assign(req, 'stop', validateStop(body.stop))
  assign(req, 'logit_bias', validateLogitBias(body.logit_bias))
  assign(req, 'tools', validateTools(body.tools))
  assign(req, 'tool_choice', validateToolChoice(body.tool_choice))
  assign(req, 'response_format', validateResponseFormat(body.response_format))
  assign(req, 'guardrails', validateGuardrailNames(body.guardrails))
  if (Object.keys(providerParams).length > 0) req.provider_params = providerParams
  return req
}

function assign<K extends keyof ChatRequest>(req: ChatRequest, key: K, value: ChatRequest[K] | undefined): void {
  if (value !== undefined) req[key] = value
}

function validateStop(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'string') return [v]
  if (!Array.isArray(v) || v.length > 4 || v.some((s) => typeof s !== 'string')) {
    throw bad('stop', "Invalid 'stop': expected a string or an array of at most 4 strings.")
  }
  return v as string[]
}

function validateLogitBias(v: unknown): Record<string, number> | undefined {
  if (v === undefined || v === null) return undefined
  if (!isObject(v)) throw bad('logit_bias', `Invalid type for 'logit_bias': expected an object, but got ${typeName(v)}.`)
  for (const [k, bias] of Object.entries(v)) num(bias, `logit_bias.${k}`, -100, 100)
  return v as Record<string, number>
}

function validateGuardrailNames(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.length === 0 || s.length > 128)) {
    throw bad('guardrails', "Invalid 'guardrails': expected an array of guardrail names.")
  }
  return v as string[]
}
