/**
 * Bedrock ConverseStream wire frames (application/vnd.amazon.eventstream),
 * encoded with the codec the AWS SDK decodes with. Shared by the Bedrock
 * emulator and the hardening suite.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'

const codec = new EventStreamCodec(toUtf8, fromUtf8)

/** An event frame, e.g. `contentBlockDelta`. */
export function eventFrame(type: string, payload: unknown): Uint8Array {
  return frame({ ':event-type': type, ':message-type': 'event' }, payload)
}

/** An exception frame; `member` is the union member name as sent on the wire (lowerCamel, e.g. `modelStreamErrorException`). */
export function exceptionFrame(member: string, message: string): Uint8Array {
  return frame({ ':exception-type': member, ':message-type': 'exception' }, { message })
}

function frame(headers: Record<string, string>, payload: unknown): Uint8Array {
  const all: Record<string, { type: 'string'; value: string }> = {}
  for (const [k, v] of Object.entries({ ...headers, ':content-type': 'application/json' })) all[k] = { type: 'string', value: v }
  return codec.encode({ headers: all, body: fromUtf8(JSON.stringify(payload)) })
}
