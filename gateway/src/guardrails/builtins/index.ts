/**
 * The built-in guardrails, by the name used in `litellm_params.guardrail`:
 * - `keyword`: `keywords` (list, required), `whole_word` (default true), `window`.
 * - `regex`: `patterns` (list, required), `entity` (default REGEX), `window` (default 64).
 * - `pii`: `entities` (map ENTITY -> block|redact, or a list; default all), `default_action` (default redact).
 * - `prompt_injection`: `threshold` (0-1, default 0.5). Input only.
 * - `max_input`: `max_chars` and/or `max_tokens` (estimated as characters / 4). Input only.
 */
import type { GuardrailAction, Detector } from '../types.ts'
import type { GuardrailHooks, GuardrailMode } from '../guardrail.ts'
import { keywordDetector } from '../detectors/keyword.ts'
import { regexDetector } from '../detectors/regex.ts'
import { PII_ENTITIES, piiDetector, type PiiEntity } from '../detectors/pii.ts'
import { promptInjectionDetector } from '../detectors/prompt-injection.ts'
import { bool, build, positiveNumber, str, stringList, type OptionReader } from './options.ts'

export interface BuiltGuardrail {
  detectors: Detector[]
  hooks: GuardrailHooks
  /** Modes used when the config gives none. */
  defaultModes: GuardrailMode[]
  /** Modes the guardrail can serve at all. */
  allowedModes: ReadonlySet<GuardrailMode>
}

type Factory = (name: string, r: OptionReader, action: GuardrailAction) => BuiltGuardrail | undefined

const BOTH: GuardrailMode[] = ['pre_call', 'post_call']
const ANY = new Set<GuardrailMode>(['pre_call', 'during_call', 'post_call', 'logging_only'])
const INPUT_ONLY = new Set<GuardrailMode>(['pre_call', 'during_call', 'logging_only'])

function spans(detector: Detector | undefined): BuiltGuardrail | undefined {
  return detector && { detectors: [detector], hooks: {}, defaultModes: BOTH, allowedModes: ANY }
}

const keyword: Factory = (name, r, action) => {
  const words = stringList(r, 'keywords', true)
  const wholeWord = bool(r, 'whole_word')
  const window = positiveNumber(r, 'window', { integer: true, max: 4096 })
  if (!words) return undefined
  return spans(build(r, 'keywords', () => keywordDetector({ name, words, action, ...(wholeWord !== undefined ? { wholeWord } : {}), ...(window ? { window } : {}) })))
}

const regex: Factory = (name, r, action) => {
  const patterns = stringList(r, 'patterns', true)
  const entity = str(r, 'entity')
  const window = positiveNumber(r, 'window', { integer: true, max: 4096 })
  if (!patterns) return undefined
  return spans(build(r, 'patterns', () => regexDetector({ name, patterns, action, ...(entity ? { entity } : {}), ...(window ? { window } : {}) })))
}

const pii: Factory = (name, r, action) => {
  r.used.add('entities')
  const raw = r.params.entities
  const defaultAction = str(r, 'default_action') as GuardrailAction | undefined
  if (defaultAction !== undefined && defaultAction !== 'block' && defaultAction !== 'redact') {
    r.problems.push(`${r.path}.default_action: expected block or redact, got "${defaultAction}"`)
    return undefined
  }
  let entities: Partial<Record<PiiEntity, GuardrailAction>> | undefined
  if (Array.isArray(raw)) entities = Object.fromEntries(raw.map((e) => [e, defaultAction ?? (action === 'redact' ? 'redact' : 'block')]))
  else if (raw !== undefined && (typeof raw !== 'object' || raw === null)) {
    r.problems.push(`${r.path}.entities: expected a list of entities or a map ENTITY: block|redact (entities: ${PII_ENTITIES.join(', ')})`)
    return undefined
  } else entities = raw as typeof entities
  return spans(build(r, 'entities', () => piiDetector({ name, ...(entities ? { entities } : {}), defaultAction: defaultAction ?? 'redact' })))
}

const promptInjection: Factory = (name, r) => {
  const threshold = positiveNumber(r, 'threshold', { max: 1 })
  const d = build(r, 'threshold', () => promptInjectionDetector({ name, ...(threshold !== undefined ? { threshold } : {}) }))
  return d && { detectors: [d], hooks: {}, defaultModes: ['pre_call'], allowedModes: INPUT_ONLY }
}

const maxInput: Factory = (_name, r) => {
  const maxChars = positiveNumber(r, 'max_chars', { integer: true })
  const maxTokens = positiveNumber(r, 'max_tokens', { integer: true })
  if (maxChars === undefined && maxTokens === undefined) {
    r.problems.push(`${r.path}: expected max_chars and/or max_tokens for a max_input guardrail`)
    return undefined
  }
  const checkInput = ({ text }: { text: string }) => {
    if (maxChars !== undefined && text.length > maxChars) return { flagged: true, entity: `MAX_CHARS ${maxChars}` }
    if (maxTokens !== undefined && Math.ceil(text.length / 4) > maxTokens) return { flagged: true, entity: `MAX_TOKENS ${maxTokens}` }
    return undefined
  }
  return { detectors: [], hooks: { checkInput }, defaultModes: ['pre_call'], allowedModes: INPUT_ONLY }
}

export const BUILTINS: Readonly<Record<string, Factory>> = {
  keyword,
  regex,
  pii,
  prompt_injection: promptInjection,
  max_input: maxInput,
}
