/**
 * guardrails: the original deployment's six checks for each guardrail model
 * (direct mention blocked; history bypass prevented; normal conversation
 * works; output blocked; output blocked while streaming; indirect bypass
 * blocked), driven by the policy (words, prompts, expectations) and judged by
 * `judgeGuardrail`.
 */
import { exchange, metricsOf } from '../exchange.ts'
import { CASE_IDS } from '../guardrail-policy.ts'
import { compilePolicy, judgeGuardrail } from '../guardrail-verdict.ts'
import type { Check } from '../types.ts'
import type { SuiteContext } from './context.ts'
import { noModels } from './models.ts'

export function guardrailsSuite(ctx: SuiteContext): Check[] {
  if (ctx.guardrailModels.length === 0) return [noModels('guardrails/discovery', ctx)]
  const matcher = compilePolicy(ctx.policy)
  return ctx.guardrailModels.flatMap((model) =>
    CASE_IDS.map((id): Check => {
      const kase = ctx.policy.cases[id]
      return {
        id: `guardrails/${model}/${id}`,
        group: model,
        name: kase.name,
        run: async (signal) => {
          const extra = { max_tokens: ctx.policy.maxTokens }
          const x = await exchange(ctx.ep, { model, messages: kase.messages, stream: kase.stream, extra }, signal)
          return { ...judgeGuardrail(x, kase, matcher), metrics: metricsOf(x) }
        },
      }
    }),
  )
}
