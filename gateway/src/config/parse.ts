/**
 * From a file or text to a YAML mapping. YAML is read with the core schema
 * (no timestamps or binary: `api_version: 2024-02-01` stays a string), and
 * duplicate keys are rejected. Every failure is a ConfigError with one problem.
 */
import { readFileSync } from 'node:fs'
import yaml from 'js-yaml'
import { ConfigError, ROOT, repr } from './problems.ts'
import { isMapping } from './walk.ts'

/** The file's text; a ConfigError when it cannot be read. */
export function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message
    throw new ConfigError([`${path}: cannot read the configuration file (${reason})`])
  }
}

/** The document's top-level mapping. */
export function parseConfigText(text: string): Record<string, unknown> {
  let doc: unknown
  try {
    doc = yaml.load(text, { schema: yaml.CORE_SCHEMA })
  } catch (e) {
    if (!(e instanceof yaml.YAMLException)) throw e
    const at = e.mark ? `${e.mark.line + 1}:${e.mark.column + 1}` : ROOT
    throw new ConfigError([`${at}: YAML syntax error: ${e.reason}`])
  }
  if (doc === undefined || doc === null) {
    throw new ConfigError([`${ROOT}: expected a mapping with model_list and settings, got an empty document`])
  }
  if (!isMapping(doc)) throw new ConfigError([`${ROOT}: expected a mapping with model_list and settings, got ${repr(doc)}`])
  return doc
}
