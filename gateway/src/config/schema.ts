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
import { ModelEntrySchema, type LitellmParamsSchema } from './model-schema.ts'
import { Count, Duration, Fallbacks, literals, Seconds } from './schema-parts.ts'

export * from './model-schema.ts'

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
    /** Admin bearer key. Default: none (a key is generated at startup and the gateway binds to 127.0.0.1 only). */
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
    /** llm-gateway's own: SQLite file for keys and spend when no database_url/DATABASE_URL is set. Default: .data/llm-gateway.sqlite. */
    sqlite_path: Type.String({ minLength: 1, default: '.data/llm-gateway.sqlite' }),
    /** llm-gateway's own: what rate limits do when Redis cannot be reached. Default: fail_open. */
    rate_limit_failure_mode: literals(['fail_open', 'fail_closed'] as const, { default: 'fail_open' }),
    /** llm-gateway's own: how long a key lookup is cached, seconds (other replicas see changes within it). Default: 5. */
    key_cache_ttl_seconds: Type.Number({ minimum: 0, default: 5 }),
    /** llm-gateway's own: longest quiet gap between upstream chunks of a stream, seconds; then the stream ends with a timeout error. Default: 60. */
    stream_idle_timeout_seconds: Seconds({ default: 60 }),
    /** llm-gateway's own: after SIGTERM, how long new connections are still accepted (readiness is already false), seconds. Default: 5. */
    shutdown_delay_seconds: Type.Number({ minimum: 0, default: 5 }),
    /** llm-gateway's own: after that, how long in-flight requests and streams may finish, seconds. Default: 30. */
    shutdown_grace_seconds: Type.Number({ minimum: 0, default: 30 }),
    /** Chat requests in flight on this replica at most; beyond it requests get 503 at once (load shedding). Default: 1024. */
    global_max_parallel_requests: Type.Integer({ minimum: 1, default: 1024 }),
    /** llm-gateway's own: open streams on this replica at most; beyond it stream requests get 503 at once. Default: 2000. */
    max_open_streams: Type.Integer({ minimum: 1, default: 2000 }),
    /** llm-gateway's own: serve GET /metrics without the master key (for a scraper inside the cluster). Default: false. */
    metrics_open: Type.Boolean({ default: false }),
    /** Spend log rows older than this are deleted. Default: none (rows are kept). */
    maximum_spend_logs_retention_period: Type.Optional(Duration()),
    /** How often old spend log rows are deleted. Default: 1d (only with a retention period). */
    maximum_spend_logs_retention_interval: Type.Optional(Duration()),
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
