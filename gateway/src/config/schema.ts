/**
 * The configuration file's shape: LiteLLM's `config.yaml`, restricted to the
 * keys llm-gateway implements. These TypeBox schemas are the single source of
 * the config's type (`Static<>`), of its defaults (`default:`), and of the
 * wording of validation problems (`expected:`, read by problems.ts).
 *
 * Values are checked after `os.environ/NAME` references are resolved (env.ts),
 * so a schema never needs to admit the reference form. Keys LiteLLM documents
 * but we do not implement are listed in litellm-keys.ts, keyed by `section:`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox'
import type { ProviderName } from '../providers/types.ts'

const PROVIDER_SET: Record<ProviderName, true> = { bedrock: true, perplexity: true, openai: true, mock: true }
/** Providers a `litellm_params.model` prefix may name. */
export const PROVIDERS = Object.keys(PROVIDER_SET) as ProviderName[]

const literals = <T extends string>(values: readonly T[], options: Record<string, unknown> = {}) =>
  Type.Union(values.map((v) => Type.Literal(v)), options)

const Seconds = (options: Record<string, unknown> = {}) => Type.Number({ exclusiveMinimum: 0, ...options })
const Count = (options: Record<string, unknown> = {}) => Type.Integer({ minimum: 0, ...options })
const CostPerToken = () => Type.Number({ minimum: 0 })
/** `[{ <model_name>: [<fallback model_name>, ...] }, ...]` */
const Fallbacks = () => Type.Array(Type.Record(Type.String(), Type.Array(Type.String())))

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
    /** Per-deployment override of litellm_settings.drop_params. */
    drop_params: Type.Optional(Type.Boolean()),
    /** Fixed reply text (mock provider; LiteLLM's mock_response). Default: echo for mock/echo. */
    mock_response: Type.Optional(Type.String()),
    /** Characters per streamed chunk (mock provider). Default: 4. */
    mock_chunk_chars: Type.Optional(Type.Integer({ minimum: 1 })),
    /** Delay before the reply and between chunks, ms (mock provider). Default: 0. */
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

export const ROUTING_STRATEGIES = ['simple-shuffle', 'least-busy', 'latency-based-routing', 'usage-based-routing',
  'usage-based-routing-v2', 'cost-based-routing'] as const

export const LitellmSettingsSchema = Type.Object(
  {
    /** Drop request params the provider does not support instead of rejecting with 400. Default: false. */
    drop_params: Type.Boolean({ default: false }),
    /** Overall upstream timeout, seconds. Default: 600. */
    request_timeout: Seconds({ default: 600 }),
    /** Retries on retryable upstream errors. Default: 0. */
    num_retries: Count({ default: 0 }),
    /** Model groups to try when a group fails. Default: none. */
    fallbacks: Type.Optional(Fallbacks()),
    /** Model groups to try on context-window errors. Default: none. */
    context_window_fallbacks: Type.Optional(Fallbacks()),
    /** Model groups to try on content-policy errors. Default: none. */
    content_policy_fallbacks: Type.Optional(Fallbacks()),
  },
  { section: 'litellm_settings', default: {} },
)

export const RetryPolicySchema = Type.Object(
  Object.fromEntries(
    ['BadRequestError', 'AuthenticationError', 'TimeoutError', 'RateLimitError', 'ContentPolicyViolationError',
      'InternalServerError'].map((e) => [`${e}Retries`, Type.Optional(Count())]),
  ),
)

export const RouterSettingsSchema = Type.Object(
  {
    /** How a deployment is picked within a model group. Default: simple-shuffle. */
    routing_strategy: literals(ROUTING_STRATEGIES, { default: 'simple-shuffle' }),
    /** Overrides litellm_settings.num_retries when set. */
    num_retries: Type.Optional(Count()),
    /** Overrides litellm_settings.request_timeout when set, seconds. */
    timeout: Type.Optional(Seconds()),
    /** Failures per minute before a deployment cools down. Default: none here (LiteLLM's: 3). */
    allowed_fails: Type.Optional(Count()),
    /** How long a deployment cools down, seconds. Default: none here (LiteLLM's: 5). */
    cooldown_time: Type.Optional(Type.Number({ minimum: 0 })),
    /** Overrides litellm_settings.fallbacks when set. */
    fallbacks: Type.Optional(Fallbacks()),
    /** Overrides litellm_settings.context_window_fallbacks when set. */
    context_window_fallbacks: Type.Optional(Fallbacks()),
    /** Overrides litellm_settings.content_policy_fallbacks when set. */
    content_policy_fallbacks: Type.Optional(Fallbacks()),
    /** Retries per error class, overriding num_retries. */
    retry_policy: Type.Optional(RetryPolicySchema),
    /** Redis for state shared across replicas. Default: none (per-replica state). */
    redis_host: Type.Optional(Type.String()),
    /** Default: none (Redis's own default is 6379). */
    redis_port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    /** Default: none. */
    redis_password: Type.Optional(Type.String()),
  },
  { section: 'router_settings', default: {} },
)

export const GeneralSettingsSchema = Type.Object(
  {
    /** Admin bearer key. Default: none (the gateway runs without authentication). */
    master_key: Type.Optional(Type.String({ minLength: 1 })),
    /** Postgres URL for virtual keys and spend. Default: none. */
    database_url: Type.Optional(Type.String()),
    /** Largest accepted request body, MiB. Default: 1. */
    max_request_size_mb: Type.Number({ exclusiveMinimum: 0, default: 1 }),
    /**
     * llm-gateway's own key: interval between SSE keep-alive comments, and the
     * window after which stream headers are committed, seconds. Default: 5.
     */
    stream_keepalive_seconds: Seconds({ default: 5 }),
  },
  { section: 'general_settings', default: {} },
)

export const GUARDRAIL_MODES = ['pre_call', 'post_call', 'during_call', 'logging_only'] as const
const GuardrailMode = literals(GUARDRAIL_MODES)

export const GuardrailSchema = Type.Object(
  {
    /** Name clients and keys refer to. */
    guardrail_name: Type.String({ minLength: 1 }),
    litellm_params: Type.Object(
      {
        /** Implementation, e.g. a built-in name or `module.ClassName`. */
        guardrail: Type.String({ minLength: 1 }),
        /** When it runs. Default: decided by the guardrail. */
        mode: Type.Optional(
          Type.Union([GuardrailMode, Type.Array(GuardrailMode)], {
            expected: `one of ${GUARDRAIL_MODES.join(', ')}, or a list of them`,
          }),
        ),
        /** Run on every request without client opt-in. Default: false. */
        default_on: Type.Optional(Type.Boolean()),
        /** What a flag does. Default: decided by the guardrail (usually block). */
        on_flagged_action: Type.Optional(literals(['block', 'passthrough', 'redact', 'monitor'])),
        /** Let requests through when the guardrail itself fails. Default: false. */
        fail_open: Type.Optional(Type.Boolean()),
      },
      // Guardrail-specific options (api_base, pii_entities_config, ...) are kept for the guardrail.
      { additionalProperties: true },
    ),
    /** Free-form metadata returned by the guardrail list. */
    guardrail_info: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { section: 'guardrails[]' },
)

export const ConfigSchema = Type.Object(
  {
    /** The deployments. Default: none (the gateway serves no model). */
    model_list: Type.Array(ModelEntrySchema, { default: [] }),
    /** Request handling. Default: every key at its default. */
    litellm_settings: LitellmSettingsSchema,
    /** Deployment selection, retries and fallbacks. Default: every key at its default. */
    router_settings: RouterSettingsSchema,
    /** Server settings. Default: every key at its default. */
    general_settings: GeneralSettingsSchema,
    /** Guardrails the pipeline can run. Default: none. */
    guardrails: Type.Array(GuardrailSchema, { default: [] }),
    /** Exported to the environment before references are resolved; never overrides a variable already set. */
    environment_variables: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
      default: {},
    }),
  },
  { section: '' },
)

export type GatewayConfig = Static<typeof ConfigSchema>
export type ModelEntry = Static<typeof ModelEntrySchema>
export type LitellmParams = Static<typeof LitellmParamsSchema>
export type GuardrailEntry = Static<typeof GuardrailSchema>
export type RoutingStrategy = (typeof ROUTING_STRATEGIES)[number]

/** The custom annotations schemas above carry. */
export interface ConfigAnnotations {
  /** Names the litellm-keys.ts list of documented-but-unimplemented keys for this object. */
  section?: string
  /** Overrides the generated "expected ..." wording. */
  expected?: string
}
export type AnnotatedSchema = TSchema & ConfigAnnotations
