/** Perplexity's own request parameters, accepted by the validator and forwarded only to Perplexity. */
export const PERPLEXITY_PARAMS = [
  'search_domain_filter',
  'search_recency_filter',
  'return_images',
  'return_related_questions',
  'web_search_options',
  'search_mode',
  'search_after_date_filter',
  'search_before_date_filter',
] as const
