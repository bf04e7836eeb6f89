import type { ChatMessage } from './types.ts'

/** A message's text: the string, or its text parts joined; images and null count as nothing. */
export function textOf(content: ChatMessage['content']): string {
  if (content === null) return ''
  if (typeof content === 'string') return content
  let out = ''
  for (const p of content) if (p.type === 'text') out += p.text
  return out
}
