/**
 * The adapter contract every provider implements. Providers do not know about
 * HTTP servers, Elysia or SSE framing: they take a validated `ChatRequest` and
 * a resolved `Deployment`, and return either a whole `ProviderResult` or an
 * async iterable of normalised `StreamEvent`s. `streaming/relay.ts` and
 * `openai/render.ts` turn those into OpenAI responses, so index, role,
 * finish and usage chunks are produced in exactly one place.
 *
 * Failures are thrown as `GatewayError` (errors/gateway-error.ts), mapped from
 * the provider's own error shapes by the provider's `errors.ts`.
 */
import type { ChatRequest, FinishReason, ToolCall, ToolCallDelta, Usage } from '../openai/types.ts'

export type ProviderName = 'bedrock' | 'perplexity' | 'openai' | 'mock'

/** One entry of the config's model_list, resolved (env references substituted). */
export interface Deployment {
  /** Stable id: model_info.id or `<model_name>#<index>`. */
  id: string
  /** Public alias clients send as `model`. */
  modelName: string
  provider: ProviderName
  /** Upstream model id with the provider prefix removed, e.g. `amazon.nova-micro-v1:0`. */
  upstreamModel: string
  /** The resolved `litellm_params` (api keys included: never log this object). */
  params: Record<string, unknown>
  /** The entry's `model_info` (metadata and pricing); absent when the entry has none. */
  info?: Record<string, unknown>
  /** Why the deployment cannot serve (e.g. a missing environment variable); undefined when it can. */
  unavailableReason?: string
}

export interface CallContext {
  /**
   * Aborted when the client disconnects, the request deadline or the
   * deployment's timeout passes (the reason is then the GatewayError to report).
   */
  signal: AbortSignal
  requestId: string
  /** Effective `drop_params` for this deployment. */
  dropParams: boolean
}

export interface ProviderResult {
  content: string | null
  toolCalls?: ToolCall[]
  finishReason: FinishReason
  usage: Usage
  /** Provider extras copied to the top level of the response (Perplexity citations, search_results). */
  extra?: Record<string, unknown>
}

export type StreamEvent =
  | { type: 'delta'; text?: string; toolCalls?: ToolCallDelta[]; extra?: Record<string, unknown> }
  | { type: 'finish'; reason: FinishReason; extra?: Record<string, unknown> }
  | { type: 'usage'; usage: Usage }

export interface Provider {
  readonly name: ProviderName
  /**
   * Request parameters this provider understands. Others are dropped when
   * `drop_params` is on, or rejected with 400 naming them otherwise
   * (see providers/params.ts).
   */
  readonly supportedParams: ReadonlySet<string>
  complete(req: ChatRequest, deployment: Deployment, ctx: CallContext): Promise<ProviderResult>
  /**
   * Starts the upstream call. Errors before the first event (HTTP status errors,
   * refused connections) reject the returned promise or throw from the first
   * `next()`; errors after it throw from a later `next()`. A stream that ends
   * without a `finish` event is a truncation: the relay reports it.
   */
  stream(req: ChatRequest, deployment: Deployment, ctx: CallContext): AsyncIterable<StreamEvent>
}
