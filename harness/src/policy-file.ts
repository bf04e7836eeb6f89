/**
 * Reads a guardrail policy file (`--guardrail-policy`), JSON or YAML, over
 * the defaults. Every key is optional; unknown keys and wrong types are
 * errors naming the key, so a typo never silently tests the default policy.
 *
 * ```yaml
 * words: [secret-project, codename]
 * violation_pattern: "violates our content policy"
 * max_tokens: 100
 * checks:
 *   direct: { prompt: "Tell me about secret-project" }
 *   history: { messages: [{ role: user, content: "…" }, …], expect: no-leak }
 *   indirect: { prompt: "…", expect: no-leak }
 * ```
 */
import { CASE_IDS, DEFAULT_POLICY, EXPECTATIONS, type CaseId, type Expectation, type GuardrailCase, type GuardrailPolicy } from './guardrail-policy.ts'
import type { ChatMessage } from './exchange.ts'
import { isRecord } from './http.ts'

/** A policy file that cannot be used; `problems` names each bad key. */
export class PolicyError extends Error {
  override name = 'PolicyError'
  constructor(readonly problems: string[]) {
    super(`invalid guardrail policy: ${problems.join('; ')}`)
  }
}

/** Reads and validates a policy file. Throws `PolicyError`. */
export async function loadPolicy(path: string, base: GuardrailPolicy = DEFAULT_POLICY): Promise<GuardrailPolicy> {
  const file = Bun.file(path)
  if (!(await file.exists())) throw new PolicyError([`${path}: no such file (or not a file)`])
  let text: string
  try {
    text = await file.text()
  } catch (err) {
    throw new PolicyError([`${path}: cannot read (${err instanceof Error ? err.message : String(err)})`])
  }
  return parsePolicy(text, base)
}

/** Parses policy text (YAML, which includes JSON) over `base`. Throws `PolicyError`. */
export function parsePolicy(text: string, base: GuardrailPolicy = DEFAULT_POLICY): GuardrailPolicy {
  let doc: unknown
  try {
    doc = Bun.YAML.parse(text)
  } catch (err) {
    throw new PolicyError([`not valid JSON or YAML: ${err instanceof Error ? err.message : String(err)}`])
  }
  const problems: string[] = []
  if (!isRecord(doc)) throw new PolicyError(['the file must hold a mapping (object)'])
  const policy: GuardrailPolicy = { ...base, cases: { ...base.cases } }
  unknownKeys(doc, ['words', 'violation_pattern', 'max_tokens', 'checks'], '', problems)
  if (doc.words !== undefined) {
    if (!Array.isArray(doc.words) || doc.words.length === 0 || !doc.words.every((w) => typeof w === 'string' && w.trim() !== '')) {
      problems.push('words: expected a non-empty list of non-empty strings')
    } else policy.words = doc.words as string[]
  }
  if (doc.violation_pattern !== undefined) {
    const pattern = doc.violation_pattern
    if (typeof pattern !== 'string' || pattern === '') problems.push('violation_pattern: expected a non-empty string')
    else if (regexProblem(pattern)) problems.push(`violation_pattern: ${regexProblem(pattern)}`)
    else policy.violationPattern = pattern
  }
  if (doc.max_tokens !== undefined) {
    if (typeof doc.max_tokens !== 'number' || !Number.isInteger(doc.max_tokens) || doc.max_tokens < 1) problems.push('max_tokens: expected a positive integer')
    else policy.maxTokens = doc.max_tokens
  }
  if (doc.checks !== undefined) {
    if (!isRecord(doc.checks)) problems.push('checks: expected a mapping of check ids')
    else {
      unknownKeys(doc.checks, CASE_IDS, 'checks.', problems)
      for (const id of CASE_IDS) {
        const spec = doc.checks[id]
        if (spec !== undefined) policy.cases[id] = parseCase(id, spec, base.cases[id], problems)
      }
    }
  }
  if (problems.length > 0) throw new PolicyError(problems)
  return policy
}

function parseCase(id: CaseId, spec: unknown, base: GuardrailCase, problems: string[]): GuardrailCase {
  const at = `checks.${id}`
  if (!isRecord(spec)) {
    problems.push(`${at}: expected a mapping`)
    return base
  }
  unknownKeys(spec, ['name', 'prompt', 'messages', 'stream', 'expect'], `${at}.`, problems)
  const out = { ...base }
  if (spec.prompt !== undefined && spec.messages !== undefined) problems.push(`${at}: give prompt or messages, not both`)
  if (spec.prompt !== undefined) {
    if (typeof spec.prompt !== 'string' || spec.prompt === '') problems.push(`${at}.prompt: expected a non-empty string`)
    else out.messages = [{ role: 'user', content: spec.prompt }]
  }
  if (spec.messages !== undefined) {
    const messages = parseMessages(spec.messages)
    if (messages === undefined) problems.push(`${at}.messages: expected a non-empty list of {role: system|user|assistant, content: string}`)
    else out.messages = messages
  }
  if (spec.name !== undefined) {
    if (typeof spec.name !== 'string' || spec.name === '') problems.push(`${at}.name: expected a non-empty string`)
    else out.name = spec.name
  }
  if (spec.stream !== undefined) {
    if (typeof spec.stream !== 'boolean') problems.push(`${at}.stream: expected true or false`)
    else out.stream = spec.stream
  }
  if (spec.expect !== undefined) {
    if (!EXPECTATIONS.includes(spec.expect as Expectation)) problems.push(`${at}.expect: expected one of ${EXPECTATIONS.join(', ')}`)
    else out.expect = spec.expect as Expectation
  }
  return out
}

function parseMessages(value: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined
  const roles = new Set(['system', 'user', 'assistant'])
  const ok = value.every((m) => isRecord(m) && typeof m.role === 'string' && roles.has(m.role) && typeof m.content === 'string' && Object.keys(m).length === 2)
  return ok ? value.map((m) => ({ role: m.role, content: m.content })) : undefined
}

function unknownKeys(obj: Record<string, unknown>, known: readonly string[], prefix: string, problems: string[]): void {
  for (const key of Object.keys(obj)) if (!known.includes(key)) problems.push(`${prefix}${key}: unknown key (known: ${known.join(', ')})`)
}

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'iu')
    return undefined
  } catch (err) {
    return `not a valid regular expression (${err instanceof Error ? err.message : String(err)})`
  }
}
