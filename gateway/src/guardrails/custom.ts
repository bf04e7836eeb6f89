/**
 * Loads custom guardrails named `module.ClassName` in the config. The module
 * is looked up next to the config file (`<dir>/<module>.ts`, then `.js`), then
 * among the bundled examples (guardrails/examples/). Modules come from the
 * operator's disk at startup only: no request can supply guardrail code.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { GuardrailHooks } from './guardrail.ts'
import type { Detector } from './types.ts'

const EXAMPLES_DIR = join(import.meta.dir, 'examples')

export interface LoadedCustom {
  hooks: GuardrailHooks
  /** Span detectors from the class's optional `detectors(name)`; when given, the hooks are not called. */
  detectors: Detector[]
  window?: number
}

/** `module.Class` -> [module, Class]; undefined when the reference has no dot. */
export function splitReference(ref: string): [string, string] | undefined {
  const dot = ref.lastIndexOf('.')
  if (dot <= 0 || dot === ref.length - 1) return undefined
  return [ref.slice(0, dot), ref.slice(dot + 1)]
}

export function resolveModule(module: string, configDir: string | undefined): string | undefined {
  const candidates: string[] = []
  for (const ext of ['', '.ts', '.js']) {
    if (isAbsolute(module)) candidates.push(module + ext)
    else if (configDir) candidates.push(join(configDir, module + ext))
  }
  if (!isAbsolute(module) && !module.includes('/')) candidates.push(join(EXAMPLES_DIR, `${module}.ts`))
  return candidates.find((c) => (c.endsWith('.ts') || c.endsWith('.js')) && existsSync(c))
}

/** Imports and instantiates the class; throws an Error whose message says what is wrong. */
export async function loadCustom(ref: string, name: string, options: Record<string, unknown>, configDir: string | undefined): Promise<LoadedCustom> {
  const parts = splitReference(ref)
  if (!parts) throw new Error(`expected a built-in guardrail or "<module>.<ClassName>", got "${ref}"`)
  const [module, className] = parts
  const file = resolveModule(module, configDir)
  if (!file) throw new Error(`cannot find module "${module}" (looked for ${module}.ts/.js next to the config and among the bundled examples)`)
  const mod = (await import(file)) as Record<string, unknown>
  const Ctor = mod[className]
  if (typeof Ctor !== 'function') throw new Error(`module "${module}" has no exported class "${className}"`)
  const instance = new (Ctor as new (o: Record<string, unknown>) => Record<string, unknown>)(options)
  const window = typeof instance.window === 'number' && instance.window > 0 ? instance.window : undefined
  if (typeof instance.detectors === 'function') {
    const detectors = (instance.detectors as (name: string) => Detector[])(name)
    if (!Array.isArray(detectors) || detectors.length === 0) throw new Error(`class "${className}": detectors() returned no detector`)
    return { hooks: {}, detectors, ...(window ? { window } : {}) }
  }
  const hooks: GuardrailHooks = {}
  if (typeof instance.checkInput === 'function') hooks.checkInput = (instance.checkInput as GuardrailHooks['checkInput'])!.bind(instance)
  if (typeof instance.checkOutput === 'function') hooks.checkOutput = (instance.checkOutput as GuardrailHooks['checkOutput'])!.bind(instance)
  if (!hooks.checkInput && !hooks.checkOutput) throw new Error(`class "${className}" has neither checkInput nor checkOutput (nor detectors)`)
  return { hooks, detectors: [], ...(window ? { window } : {}) }
}
