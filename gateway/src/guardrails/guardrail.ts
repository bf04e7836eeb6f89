/**
 * A configured guardrail as the pipeline runs it: its span detectors (exact,
 * synchronous, stream-capable), its optional async hooks (custom guardrails
 * and request-level checks), and what a flag does.
 */
import type { ChatMessage } from '../openai/types.ts'
import type { Detector } from './types.ts'

export type GuardrailMode = 'pre_call' | 'during_call' | 'post_call' | 'logging_only'

/**
 * What a flag does: `block` answers 400 (or ends a stream with an error
 * event); `passthrough` answers 200 whose assistant message is the violation
 * message with finish_reason content_filter; `redact` masks the matched spans
 * and continues; `monitor` only counts and logs.
 */
export type FlagAction = 'block' | 'passthrough' | 'redact' | 'monitor'

/** What a hook says about a text. Anything falsy means "pass". */
export interface HookVerdict {
  flagged: boolean
  /** A short label for logs and the error message, e.g. "KEYWORD". Never the matched text. */
  entity?: string
}

export interface InputHookArgs {
  /** The text of all messages, joined as the detectors see it. */
  text: string
  messages: readonly ChatMessage[]
}

export interface OutputHookArgs {
  /** The response text so far (streams: the text under review, see stages/async-window.ts). */
  text: string
}

export interface GuardrailHooks {
  checkInput?(args: InputHookArgs): Promise<HookVerdict | undefined | null | false> | HookVerdict | undefined | null | false
  checkOutput?(args: OutputHookArgs): Promise<HookVerdict | undefined | null | false> | HookVerdict | undefined | null | false
}

export interface Guardrail {
  name: string
  /** Built-in type (`keyword`, `pii`, ...) or the custom `module.Class` reference. */
  kind: string
  modes: ReadonlySet<GuardrailMode>
  defaultOn: boolean
  action: FlagAction
  /** A guardrail that throws lets the request through instead of blocking it. Default false (fail closed). */
  failOpen: boolean
  /** The assistant message of a passthrough, and the message of a block. */
  violationMessage: string
  /** Detectors whose findings carry this guardrail's name. */
  detectors: readonly Detector[]
  hooks: GuardrailHooks
  /** For hooks on streams: the longest span checkOutput can flag, in characters (default 64). */
  window: number
}

export function runsAt(g: Guardrail, mode: GuardrailMode): boolean {
  return g.modes.has(mode)
}
