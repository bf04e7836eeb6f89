/** Validates `tools`, `tool_choice` and `response_format`. */
import type { FunctionTool, ResponseFormat, ToolChoice } from './types.ts'
import { bad, isObject, optBool, optString, reqString, typeName } from './validate-util.ts'

const TOOL_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/
export const MAX_TOOLS = 128

export function validateTools(v: unknown): FunctionTool[] | undefined {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw bad('tools', `Invalid type for 'tools': expected an array, but got ${typeName(v)}.`)
  if (v.length > MAX_TOOLS) throw bad('tools', `Invalid 'tools': at most ${MAX_TOOLS} tools are accepted.`)
  return v.map((t, i) => {
    const at = `tools[${i}]`
    if (!isObject(t) || t.type !== 'function') throw bad(`${at}.type`, `Invalid '${at}.type': expected 'function'.`)
    const fn = t.function
    if (!isObject(fn)) throw bad(`${at}.function`, `Missing required parameter: '${at}.function'.`)
    const name = reqString(fn, 'name', `${at}.function.name`, 64)
    if (!TOOL_NAME_RE.test(name)) throw bad(`${at}.function.name`, `Invalid '${at}.function.name': use 1-64 letters, digits, '_' or '-'.`)
    const tool: FunctionTool = { type: 'function', function: { name } }
    const description = optString(fn, 'description', 1 << 16, `${at}.function.description`)
    if (description !== undefined) tool.function.description = description
    if (fn.parameters !== undefined) {
      if (!isObject(fn.parameters)) throw bad(`${at}.function.parameters`, `Invalid type for '${at}.function.parameters': expected a JSON Schema object.`)
      tool.function.parameters = fn.parameters
    }
    const strict = optBool(fn, 'strict', `${at}.function.strict`)
    if (strict !== undefined) tool.function.strict = strict
    return tool
  })
}

export function validateToolChoice(v: unknown): ToolChoice | undefined {
  if (v === undefined || v === null) return undefined
  if (v === 'none' || v === 'auto' || v === 'required') return v
  if (isObject(v) && v.type === 'function' && isObject(v.function) && typeof v.function.name === 'string') {
    return { type: 'function', function: { name: v.function.name } }
  }
  throw bad('tool_choice', "Invalid 'tool_choice': expected 'none', 'auto', 'required' or {type: 'function', function: {name}}.")
}

export function validateResponseFormat(v: unknown): ResponseFormat | undefined {
  if (v === undefined || v === null) return undefined
  if (!isObject(v)) throw bad('response_format', `Invalid type for 'response_format': expected an object, but got ${typeName(v)}.`)
  if (v.type === 'text' || v.type === 'json_object') return { type: v.type }
  if (v.type === 'json_schema') {
    const js = v.json_schema
    if (!isObject(js)) throw bad('response_format.json_schema', "Missing required parameter: 'response_format.json_schema'.")
    const out: ResponseFormat = { type: 'json_schema', json_schema: { name: reqString(js, 'name', 'response_format.json_schema.name', 64) } }
    if (isObject(js.schema)) out.json_schema!.schema = js.schema
    if (typeof js.strict === 'boolean') out.json_schema!.strict = js.strict
    if (typeof js.description === 'string') out.json_schema!.description = js.description
    return out
  }
  throw bad('response_format.type', "Invalid 'response_format.type': expected 'text', 'json_object' or 'json_schema'.")
}
