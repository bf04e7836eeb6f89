/** Validates `messages`: roles, content as a string or content parts, tool calls and tool results. */
import type { ChatMessage, ContentPart, Role, ToolCall } from './types.ts'
import { bad, isObject, optString, reqString, typeName } from './validate-util.ts'

const ROLES: ReadonlySet<Role> = new Set(['system', 'developer', 'user', 'assistant', 'tool'])
/** Message keys that clients copy back from responses; accepted and dropped. */
const DROPPED_KEYS = new Set(['refusal', 'annotations', 'audio', 'reasoning_content'])
const KNOWN_KEYS = new Set(['role', 'content', 'name', 'tool_calls', 'tool_call_id'])
export const MAX_MESSAGES = 4096

/** A rejected value as the error message shows it: a short string quoted, anything else by its type, so no client input is echoed at length. */
function shown(v: unknown): string {
  if (v === undefined) return 'nothing'
  return typeof v === 'string' && v.length <= 40 ? JSON.stringify(v) : typeName(v)
}

export function validateMessages(v: unknown): ChatMessage[] {
  if (v === undefined) throw bad('messages', "Missing required parameter: 'messages'.")
  if (!Array.isArray(v)) throw bad('messages', `Invalid type for 'messages': expected an array, but got ${typeName(v)}.`)
  if (v.length === 0) throw bad('messages', "Invalid 'messages': expected at least one message.")
  if (v.length > MAX_MESSAGES) throw bad('messages', `Invalid 'messages': at most ${MAX_MESSAGES} messages are accepted.`)
  return v.map((m, i) => validateMessage(m, `messages[${i}]`))
}

function validateMessage(m: unknown, at: string): ChatMessage {
  if (!isObject(m)) throw bad(at, `Invalid type for '${at}': expected an object, but got ${typeName(m)}.`)
  for (const key of Object.keys(m)) {
    if (!KNOWN_KEYS.has(key) && !DROPPED_KEYS.has(key)) throw bad(`${at}.${key}`, `Unrecognized message field: '${at}.${key}'.`)
  }
  const role = m.role
  if (typeof role !== 'string' || !ROLES.has(role as Role)) {
    throw bad(`${at}.role`, `Invalid '${at}.role': expected one of system, developer, user, assistant, tool, but got ${shown(role)}.`)
  }
  const msg: ChatMessage = { role: role as Role, content: null }
  const name = optString(m, 'name', 256, `${at}.name`)
  if (name !== undefined) msg.name = name

  if (role === 'assistant' && m.tool_calls !== undefined && m.tool_calls !== null) {
    msg.tool_calls = validateToolCalls(m.tool_calls, `${at}.tool_calls`)
  }
  if (role === 'tool') msg.tool_call_id = reqString(m, 'tool_call_id', `${at}.tool_call_id`, 256)

  const contentOptional = role === 'assistant' && msg.tool_calls !== undefined
  msg.content = validateContent(m.content, `${at}.content`, role === 'user', contentOptional)
  return msg
}

function validateContent(c: unknown, at: string, imagesAllowed: boolean, optional: boolean): string | ContentPart[] | null {
  if (c === undefined || c === null) {
    if (optional) return null
    throw bad(at, `Missing required parameter: '${at}'.`)
  }
  if (typeof c === 'string') return c
  if (!Array.isArray(c)) throw bad(at, `Invalid type for '${at}': expected a string or an array of content parts, but got ${typeName(c)}.`)
  return c.map((p, j) => validatePart(p, `${at}[${j}]`, imagesAllowed))
}

function validatePart(p: unknown, at: string, imagesAllowed: boolean): ContentPart {
  if (!isObject(p)) throw bad(at, `Invalid type for '${at}': expected a content part object, but got ${typeName(p)}.`)
  if (p.type === 'text') return { type: 'text', text: reqString(p, 'text', `${at}.text`) }
  if (p.type === 'image_url' && imagesAllowed) {
    const img = p.image_url
    if (!isObject(img) || typeof img.url !== 'string' || img.url.length === 0) {
      throw bad(`${at}.image_url.url`, `Missing required parameter: '${at}.image_url.url'.`)
    }
    const detail = img.detail
    if (detail !== undefined && detail !== 'auto' && detail !== 'low' && detail !== 'high') {
      throw bad(`${at}.image_url.detail`, `Invalid '${at}.image_url.detail': expected auto, low or high.`)
    }
    return { type: 'image_url', image_url: detail === undefined ? { url: img.url } : { url: img.url, detail } }
  }
  const allowed = imagesAllowed ? "'text' or 'image_url'" : "'text'"
  throw bad(`${at}.type`, `Invalid '${at}.type': expected ${allowed}, but got ${shown(p.type)}.`)
}

function validateToolCalls(v: unknown, at: string): ToolCall[] {
  if (!Array.isArray(v)) throw bad(at, `Invalid type for '${at}': expected an array, but got ${typeName(v)}.`)
  return v.map((tc, k) => {
    const here = `${at}[${k}]`
    if (!isObject(tc)) throw bad(here, `Invalid type for '${here}': expected an object, but got ${typeName(tc)}.`)
    if (tc.type !== undefined && tc.type !== 'function') throw bad(`${here}.type`, `Invalid '${here}.type': expected 'function'.`)
    const fn = tc.function
    if (!isObject(fn)) throw bad(`${here}.function`, `Missing required parameter: '${here}.function'.`)
    return {
      id: reqString(tc, 'id', `${here}.id`, 256),
      type: 'function',
      function: { name: reqString(fn, 'name', `${here}.function.name`, 256), arguments: reqString(fn, 'arguments', `${here}.function.arguments`) },
    }
  })
}
