/**
 * The embedded default configuration (default.yaml), used when no config file
 * is given: the original deployment's seven models plus an offline mock model.
 */
import text from './default.yaml' with { type: 'text' }

/** The `source` of a LoadedConfig built from the embedded default. */
export const DEFAULT_CONFIG_SOURCE = '<embedded default>'

/** The YAML text of the embedded default configuration. */
export const DEFAULT_CONFIG_TEXT: string = text
