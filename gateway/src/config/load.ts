/**
 * loadConfig: a LiteLLM-shaped config.yaml in, the gateway's resolved
 * configuration out, or a ConfigError listing every problem at once.
 *
 * Order: parse YAML -> key policy (keys.ts) -> export environment_variables ->
 * resolve `os.environ/` references (env.ts) -> defaults and type checks
 * (schema.ts) -> cross-entry checks -> deployments and effective settings.
 *
 * An unset variable inside a model_list entry makes only that deployment
 * unavailable; under general_settings.master_key it means "no master key"
 * (with a warning); anywhere else it is a problem.
 */
import { Value } from '@sinclair/typebox/value'
import type { Deployment } from '../providers/types.ts'
import { DEFAULT_CONFIG_SOURCE, DEFAULT_CONFIG_TEXT } from './default.ts'
import { resolveEnvRefs, type Env, type MissingVariable } from './env.ts'
import { applyKeyPolicy, type KeyReport } from './keys.ts'
import { parseConfigText, readConfigFile } from './parse.ts'
import { ConfigError, fromValueError, pointerToPath } from './problems.ts'
import { ConfigSchema, type GatewayConfig, type GuardrailEntry } from './schema.ts'
import { buildDeployments, effectiveSettings, type EffectiveSettings } from './settings.ts'
import { applyDefaults, isMapping } from './walk.ts'

export { ConfigError, formatConfigError } from './problems.ts'

export interface LoadInput {
  /** Config file to read. Default: none, so the embedded default (or `text`) is used. */
  path?: string
  /** Config text to use instead of reading `path` (`path` then only names the source). Default: none. */
  text?: string
  /**
   * Variables for `os.environ/` references. Default: `process.env`. When it is
   * `process.env`, the file's environment_variables are also exported into it
   * (never overriding a variable already set), as LiteLLM does; any other map
   * is left untouched.
   */
  env?: Env
}

export interface LoadedConfig {
  /** From model_list, in order. */
  deployments: Deployment[]
  /** Resolved general_settings.master_key; undefined when not configured. */
  masterKey?: string
  settings: EffectiveSettings
  guardrails: GuardrailEntry[]
  /** One line each, for the startup log. */
  warnings: string[]
  /** The file path; '<embedded default>' for the embedded default; '<config text>' for `text` without `path`. */
  source: string
  /** The whole validated config, references resolved and defaults applied (contains secrets: never log). */
  config: GatewayConfig
  /** environment_variables entries that were not already set, i.e. what was (or should be) exported. */
  environment: Record<string, string>
}

/** Loads, resolves and validates a configuration; throws ConfigError listing every problem. */
export function loadConfig(input: LoadInput = {}): LoadedConfig {
  const source = input.path ?? (input.text === undefined ? DEFAULT_CONFIG_SOURCE : '<config text>')
  const text = input.text ?? (input.path === undefined ? DEFAULT_CONFIG_TEXT : readConfigFile(input.path))
  const env = input.env ?? process.env
  const report: KeyReport = { warnings: [], problems: [] }
  const problems: string[] = []
  const seen = new Set<string>()
  const addProblem = (path: string, line: string): void => {
    if (seen.has(path)) return
    seen.add(path)
    problems.push(line)
  }

  const cleaned = applyKeyPolicy(parseConfigText(text), ConfigSchema, '', report) as Record<string, unknown>
  problems.push(...report.problems)

  const { environment_variables: rawVariables, ...rest } = cleaned
  const variables = resolveEnvRefs(rawVariables, ConfigSchema.properties.environment_variables, 'environment_variables', env)
  const environment = exportable(variables.value, env)
  const resolved = resolveEnvRefs(rest, ConfigSchema, '', { ...env, ...environment })
  for (const r of [variables, resolved]) r.problems.forEach((line, path) => addProblem(path, line))

  const unavailable = new Map<number, string[]>()
  for (const m of [...variables.missing, ...resolved.missing]) {
    classifyMissing(m, unavailable, report.warnings, addProblem)
  }

  const explicit = resolved.value as Record<string, unknown>
  const withDefaults = structuredClone({ ...explicit, environment_variables: variables.value })
  const config = applyDefaults(withDefaults, ConfigSchema) as GatewayConfig
  for (const e of Value.Errors(ConfigSchema, config)) addProblem(pointerToPath(e.path), fromValueError(e))
  if (problems.length > 0) throw new ConfigError(problems)

  const deployments = buildDeployments(config.model_list, unavailable, addProblem)
  if (problems.length > 0) throw new ConfigError(problems)

  if (env === process.env) Object.assign(process.env, environment)
  const warnings = report.warnings
  const settings = effectiveSettings(config, explicit, warnings)
  if (deployments.length === 0) warnings.push('model_list: no models configured; every chat request will get 404')
  return { deployments, masterKey: config.general_settings.master_key, settings, guardrails: config.guardrails,
    warnings, source, config, environment }
}

function exportable(value: unknown, env: Env): Record<string, string> {
  const out: Record<string, string> = {}
  if (!isMapping(value)) return out
  for (const [name, v] of Object.entries(value)) {
    if (env[name] === undefined && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      out[name] = String(v)
    }
  }
  return out
}

const IDENTIFYING = new Set(['model_name', 'litellm_params.model'])

function classifyMissing(
  { path, name }: MissingVariable,
  unavailable: Map<number, string[]>,
  warnings: string[],
  addProblem: (path: string, line: string) => unknown,
): void {
  const inModel = /^model_list\[(\d+)\]\.(.+)$/.exec(path)
  if (inModel && !IDENTIFYING.has(inModel[2]!)) {
    const names = unavailable.get(Number(inModel[1])) ?? []
    if (!names.includes(name)) names.push(name)
    unavailable.set(Number(inModel[1]), names)
  } else if (path === 'general_settings.master_key') {
    warnings.push(`general_settings.master_key: environment variable ${name} is not set; no master key configured: the gateway generates one at startup and binds to 127.0.0.1 only`)
  } else {
    addProblem(path, `${path}: environment variable ${name} is not set`)
  }
}
