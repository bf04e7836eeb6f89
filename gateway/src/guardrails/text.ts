/** Message text as the detectors see it, and the way back after redaction. */
import type { ChatMessage, ContentPart } from '../openai/types.ts'
import type { MessageText } from './scan.ts'

/** A message's text parts: a string message is one part; image parts are skipped. */
export function messageText(m: ChatMessage): MessageText {
  if (m.content === null) return ''
  if (typeof m.content === 'string') return m.content
  return m.content.filter((p): p is Extract<ContentPart, { type: 'text' }> => p.type === 'text').map((p) => p.text)
}

export function joinedText(messages: readonly ChatMessage[]): string {
  return messages.map((m) => (typeof messageText(m) === 'string' ? messageText(m) : (messageText(m) as string[]).join(''))).join('\n')
}

/** The message with its text parts replaced, in order, by `parts`. */
export function withText(m: ChatMessage, parts: readonly string[]): ChatMessage {
  if (m.content === null) return m
  if (typeof m.content === 'string') return { ...m, content: parts[0] ?? '' }
  let i = 0
  return { ...m, content: m.content.map((p) => (p.type === 'text' ? { type: 'text', text: parts[i++] ?? '' } : p)) }
}
