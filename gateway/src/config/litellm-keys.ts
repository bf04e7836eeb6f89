/**
 * Keys LiteLLM documents that llm-gateway does not implement (yet). A config
 * using one of them still loads: the key is ignored with one startup warning
 * naming its full path. Keys in neither these lists nor schema.ts are errors.
 *
 * Lists are keyed by the `section` annotation of the schema object they extend.
 * A name ending in `*` matches every key with that prefix (LiteLLM's families
 * of `supports_*` flags and `*_cost_per_*` prices).
 *
 * Sources: LiteLLM proxy docs, "All settings" (docs.litellm.ai/docs/proxy/config_settings:
 * litellm_settings, general_settings and router_settings reference tables),
 * "Config.yaml" (docs/proxy/configs), the provider pages (docs/providers/*)
 * for litellm_params, and "Model info" / custom pricing (docs/proxy/custom_pricing)
 * for model_info. Implemented keys (schema.ts) are not repeated here.
 */
export const DOCUMENTED_UNIMPLEMENTED: Readonly<Record<string, readonly string[]>> = {
  // Top level: docs/proxy/configs, config_settings, and the feature pages that add a section.
  '': [
    'callback_settings', 'include', 'credential_list', 'mcp_servers', 'search_tools',
    'vector_store_registry', 'files_settings', 'finetune_settings', 'assistant_settings', 'prompts',
  ],

  // A model_list entry itself: LiteLLM documents only model_name, litellm_params, model_info.
  'model_list[]': [],

  // litellm_params: provider pages (Azure, Vertex, Bedrock, Watsonx, OpenAI) and docs/proxy/configs.
  litellm_params: [
    // AWS (docs/providers/bedrock): role assumption and profiles are not implemented.
    'aws_role_name', 'aws_session_name', 'aws_profile_name', 'aws_web_identity_token', 'aws_sts_endpoint',
    'aws_external_id',
    // Azure (docs/providers/azure)
    'api_version', 'azure_ad_token', 'azure_ad_token_provider', 'tenant_id', 'client_id', 'client_secret',
    'azure_username', 'azure_password', 'azure_scope',
    // Vertex / Gemini (docs/providers/vertex)
    'vertex_project', 'vertex_location', 'vertex_credentials', 'vertex_ai_project', 'vertex_ai_location',
    // Watsonx, Databricks, others
    'watsonx_region_name', 'project_id', 'space_id', 'region_name', 'organization', 'api_type',
    // General (docs/proxy/configs, docs/completion/input)
    'custom_llm_provider', 'litellm_credential_name', 'tags', 'headers', 'extra_headers', 'extra_body',
    'temperature', 'top_p', 'n', 'stop', 'seed', 'presence_penalty', 'frequency_penalty', 'max_completion_tokens',
    'reasoning_effort', 'thinking', 'num_retries', 'input_cost_per_second', 'output_cost_per_second',
    'max_budget', 'budget_duration', 'use_in_pass_through', 'use_litellm_proxy', 'merge_reasoning_content_in_choices',
    'configurable_clientside_auth_params', 'cache_control_injection_points', 'mock_timeout',
    'auto_router_config', 'auto_router_config_path', 'auto_router_default_model', 'auto_router_embedding_model',
  ],

  // model_info: config_settings ("additionalProp"), custom_pricing, model_management.
  model_info: [
    'metadata', 'description', 'litellm_provider', 'tier', 'db_model', 'team_id', 'team_public_model_name',
    'access_groups', 'access_via_team_ids', 'direct_access', 'tags', 'key', 'output_vector_size',
    'supported_openai_params', 'disable_background_health_check', 'created_at', 'created_by', 'updated_at',
    'updated_by', 'rpm', 'tpm', 'supports_*', 'input_cost_per_*', 'output_cost_per_*', 'cache_*', 'health_check_*',
    'search_context_cost_per_query',
  ],

  // config_settings: "litellm_settings - Reference" and the YAML sample above it; callbacks and budgets pages.
  litellm_settings: [
    'success_callback', 'failure_callback', 'callbacks', 'service_callbacks', 'service_callback',
    'turn_off_message_logging', 'redact_user_api_key_info', 'redact_messages_in_exceptions', 'langfuse_default_tags',
    'modify_params', 'enable_preview_features', 'set_verbose', 'json_logs', 'default_fallbacks', 'force_ipv4',
    'mcp_aliases', 'cache', 'cache_params', 'disable_end_user_cost_tracking',
    'disable_end_user_cost_tracking_prometheus_only', 'key_generation_settings',
    'disable_add_transform_inline_image_block', 'disable_hf_tokenizer_download', 'enable_json_schema_validation',
    'disable_copilot_system_to_assistant', 'max_budget', 'budget_duration', 'max_end_user_budget',
    'max_internal_user_budget', 'internal_user_budget_duration', 'default_internal_user_params',
    'default_key_generate_params', 'upperbound_key_generate_params', 'default_team_settings',
    'default_max_internal_user_budget', 'public_teams', 'ssl_verify', 'ssl_certificate', 'prometheus_metrics_config',
    'require_auth_for_metrics_endpoint', 'prometheus_initialize_budget_metrics', 'return_response_headers',
    'max_parallel_requests', 'allowed_fails', 'cooldown_time', 'guardrails', 'extra_spend_tag_headers',
    'forward_traceparent_to_llm_provider', 'enable_loadbalancing_on_batch_endpoints', 'telemetry',
    'add_function_to_prompt', 'store_audit_logs',
  ],

  // config_settings: "general_settings - Reference" and the YAML sample above it.
  general_settings: [
    'completion_model', 'store_prompts_in_spend_logs', 'forward_client_headers_to_llm_api', 'forward_openai_org_id',
    'disable_spend_logs', 'disable_spend_updates', 'disable_master_key_return',
    'disable_retry_on_max_parallel_request_limit_error', 'disable_reset_budget', 'disable_adding_master_key_hash_to_db',
    'disable_responses_id_security', 'enable_jwt_auth', 'enforce_user_param', 'reject_clientside_metadata_tags',
    'allowed_routes', 'key_management_system', 'key_management_settings', 'maximum_spend_logs_cleanup_cron',
    'user_mcp_management_mode', 'database_connection_pool_limit',
    'database_connection_timeout', 'allow_requests_on_db_unavailable', 'custom_auth', 'max_parallel_requests',
    'infer_model_from_keys', 'background_health_checks', 'health_check_interval',
    'health_check_details', 'alerting', 'alerting_threshold', 'alerting_args', 'alert_types', 'alert_to_webhook_url',
    'use_client_credentials_pass_through_routes', 'public_routes', 'admin_only_routes', 'enforced_params',
    'enable_oauth2_auth', 'enable_oauth2_proxy_auth', 'oauth2_config_mappings', 'use_x_forwarded_for',
    'service_account_settings', 'image_generation_model', 'embedding_model', 'moderation_model', 'store_model_in_db',
    'supported_db_objects', 'max_response_size_mb', 'proxy_budget_rescheduler_min_time',
    'proxy_budget_rescheduler_max_time', 'proxy_batch_write_at', 'proxy_batch_polling_interval', 'custom_key_generate',
    'allowed_ips', 'default_team_disabled', 'allow_user_auth', 'user_api_key_cache_ttl', 'disable_prisma_schema_update',
    'litellm_key_header_name', 'custom_sso', 'allow_client_side_credentials', 'use_azure_key_vault', 'use_google_kms',
    'spend_report_frequency', 'ui_access_mode', 'litellm_jwtauth', 'litellm_license', 'pass_through_endpoints',
    'use_redis_transaction_buffer', 'use_shared_health_check',
  ],

  // config_settings: "router_settings - Reference".
  router_settings: [
    'redis_db', 'redis_url', 'enable_pre_call_check', 'enable_pre_call_checks', 'enable_tag_filtering',
    'tag_filtering_match_any', 'disable_cooldowns', 'allowed_fails_policy', 'default_max_parallel_requests',
    'default_priority', 'polling_interval', 'max_fallbacks', 'default_litellm_params', 'stream_timeout', 'debug_level',
    'client_ttl', 'cache_kwargs', 'routing_strategy_args', 'model_group_alias', 'default_fallbacks', 'caching_groups',
    'alerting_config', 'assistants_config', 'set_verbose', 'retry_after', 'provider_budget_config',
    'model_group_retry_policy', 'cache_responses', 'router_general_settings', 'optional_pre_call_checks',
    'ignore_invalid_deployments', 'search_tools', 'guardrail_list',
  ],

  'guardrails[]': [],
}

/** The exact (non-prefix) documented-unimplemented names of `section`, for did-you-mean hints. */
export function documentedNames(section: string): string[] {
  return (DOCUMENTED_UNIMPLEMENTED[section] ?? []).filter((name) => !name.endsWith('*'))
}

/** Whether `key` is documented by LiteLLM (but not implemented) in `section`. */
export function isDocumentedUnimplemented(section: string, key: string): boolean {
  for (const name of DOCUMENTED_UNIMPLEMENTED[section] ?? []) {
    if (name.endsWith('*') ? key.startsWith(name.slice(0, -1)) : key === name) return true
  }
  return false
}
