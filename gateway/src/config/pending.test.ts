import { expect, test } from 'bun:test'
import { pendingKeyWarnings } from './pending.ts'

test('warns for a routing strategy that does not act yet', () => {
  expect(pendingKeyWarnings({ router_settings: { routing_strategy: 'cost-based-routing' } })).toEqual([
    'router_settings.routing_strategy: "cost-based-routing" is not active yet in llm-gateway; using simple-shuffle',
  ])
})

test('says nothing for a config that only uses active keys', () => {
  expect(pendingKeyWarnings({
    model_list: [{ model_name: 'a', litellm_params: { model: 'mock/echo', order: 1 }, model_info: { base_model: 'x', input_cost_per_token: 1e-6 } }],
    router_settings: { routing_strategy: 'least-busy', num_retries: 2, fallbacks: [], cooldown_time: 3, retry_policy: { TimeoutErrorRetries: 1 } },
    litellm_settings: { num_retries: 1 },
  })).toEqual([])
})
