/**
 * The schema of one model_list entry: `model_name`, `litellm_params` (where
 * and how to call the upstream) and `model_info` (metadata, pricing). Part of
 * the config schema (schema.ts re-exports it).
 */
import { Type } from '@sinclair/typebox'
import type { ProviderName } from '../providers/types.ts'
import { CostPerToken, Count, literals, Seconds } from './schema-parts.ts'

const PROVIDER_SET: Record<ProviderName, true> = { bedrock: true, perplexity: true, openai: true, mock: true }
/** Providers a `litellm_params.model` prefix may name. */
export const PROVIDERS = Object.keys(PROVIDER_SET) as ProviderName[]

export const LitellmParamsSchema = Type.Object(
  {
    /** `<provider>/<upstream model>`; required. */
    model: Type.String({
      pattern: `^(${PROVIDERS.join('|')})/.+$`,
      expected: `"<provider>/<model>" with provider one of ${PROVIDERS.join(', ')}`,
    }),
    /** Provider API key (Perplexity, OpenAI-compatible). Default: none. */
    api_key: Type.Optional(Type.String()),
    /** Upstream base URL. Default: the provider's public endpoint (OpenAI: https://api.openai.com/v1). */
    api_base: Type.Optional(Type.String()),
    /** Bedrock region. Default: the AWS SDK's resolution (AWS_REGION, profile). */
    aws_region_name: Type.Optional(Type.String()),
    /** Bedrock runtime endpoint override (VPC endpoints, emulators). Default: the regional endpoint. */
    aws_bedrock_runtime_endpoint: Type.Optional(Type.String()),
    /** Static AWS access key id. Default: the AWS SDK's default credential chain. */
    aws_access_key_id: Type.Optional(Type.String()),
    /** Secret for aws_access_key_id. Default: the AWS SDK's default credential chain. */
    aws_secret_access_key: Type.Optional(Type.String()),
    /** Session token for temporary credentials. Default: none. */
    aws_session_token: Type.Optional(Type.String()),
    /** Per-deployment request timeout, seconds. Default: litellm_settings.request_timeout. */
    timeout: Type.Optional(Seconds()),
    /** Timeout for streaming requests, seconds. Default: `timeout`. */
    stream_timeout: Type.Optional(Seconds()),
    /** Retries against this deployment. Default: the global num_retries. */
    max_retries: Type.Optional(Count()),
    /** Requests per minute this deployment accepts. Default: unlimited. */
    rpm: Type.Optional(Count()),
    /** Tokens per minute this deployment accepts. Default: unlimited. */
    tpm: Type.Optional(Count()),
    /** Relative weight for simple-shuffle. Default: 1 (or rpm/tpm when given). */
    weight: Type.Optional(Type.Number({ minimum: 0 })),
    /** Priority group: lower orders are tried first. Default: none (all equal). */
    order: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Pricing overrides, USD per token. Default: the built-in price table. */
    input_cost_per_token: Type.Optional(CostPerToken()),
    output_cost_per_token: Type.Optional(CostPerToken()),
    /** Price of a cached prompt token (cache read), USD. Default: 25 % of input_cost_per_token. */
    cache_read_input_token_cost: Type.Optional(CostPerToken()),
    /** Price of a prompt token written to the cache, USD. Default: 125 % of input_cost_per_token. */
    cache_creation_input_token_cost: Type.Optional(CostPerToken()),
    /** llm-gateway's own: a fixed fee per request, USD (Perplexity's search fee). Default: the price table's. */
    cost_per_request: Type.Optional(CostPerToken()),
    /** Per-deployment override of litellm_settings.drop_params. */
    drop_params: Type.Optional(Type.Boolean()),
    /** Fixed reply text (mock provider; LiteLLM's mock_response). Default: echo for mock/echo. */
    mock_response: Type.Optional(Type.String()),
    /** Characters per streamed chunk (mock provider). Default: 4. */
    mock_chunk_chars: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Delay before the reply (the first chunk when streaming), ms (mock provider). Default: 0. */
    mock_latency_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    /** max_tokens sent when the request has none. Default: the provider's own default. */
    max_tokens: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { section: 'litellm_params' },
)

export const ModelInfoSchema = Type.Object(
  {
    /** Stable deployment id. Default: `<model_name>#<index in model_list>`. */
    id: Type.Optional(Type.String({ minLength: 1 })),
    /** What the model does; only `chat` is served. Default: chat. */
    mode: Type.Optional(
      literals(['chat', 'completion', 'embedding', 'image_generation', 'audio_transcription', 'audio_speech',
        'moderation', 'rerank', 'responses', 'realtime', 'batch']),
    ),
    /** Model whose price and limits apply when the alias is not in the price table. */
    base_model: Type.Optional(Type.String()),
    /** Price per prompt token, USD. Default: the built-in price table. */
    input_cost_per_token: Type.Optional(CostPerToken()),
    /** Price per completion token, USD. Default: the built-in price table. */
    output_cost_per_token: Type.Optional(CostPerToken()),
    /** Context window, tokens (LiteLLM's older name). Default: unknown. */
    max_tokens: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Largest prompt, tokens. Default: unknown. */
    max_input_tokens: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Largest completion, tokens. Default: unknown. */
    max_output_tokens: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { section: 'model_info' },
)

export const ModelEntrySchema = Type.Object(
  {
    /** Public alias clients send as `model`; repeated names form one load-balanced group. */
    model_name: Type.String({ minLength: 1 }),
    /** Where and how to call the upstream; required. */
    litellm_params: LitellmParamsSchema,
    /** Metadata and pricing. Default: none. */
    model_info: Type.Optional(ModelInfoSchema),
  },
  { section: 'model_list[]' },
)
