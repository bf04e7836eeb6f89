/**
 * Maps the ConverseStream output events to normalised `StreamEvent`s.
 *
 * Text and tool-argument pieces are forwarded as they arrive (never buffered).
 * Tool calls are numbered by us, 0-based in order of appearance, because
 * Bedrock's contentBlockIndex also counts text blocks. Exceptions, whether the
 * SDK throws them or yields them as union members, become GatewayErrors; a
 * stream that ends without `messageStop` is a truncation, which the SDK does
 * not report, so we do.
 */
import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime'
import { upstreamError } from '../../errors/upstream.ts'
import type { StreamEvent } from '../types.ts'
import { bedrockError } from './errors.ts'
import { mapStopReason, mapUsage } from './response.ts'

const EXCEPTION_MEMBERS = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
] as const

/**
 * Maps `events` (the `stream` of a ConverseStreamCommand output) to stream
 * events. Every failure is thrown as a GatewayError; `signal` is the call's
 * signal, so an error caused by our own abort reports the abort's reason.
 */
export async function* mapConverseStream(
  events: AsyncIterable<ConverseStreamOutput>,
  signal?: AbortSignal,
): AsyncGenerator<StreamEvent> {
  const toolOrdinals = new Map<number, number>()
  let stopped = false
  try {
    for await (const event of events) {
      const exception = exceptionOf(event)
      if (exception) throw exception
      if (event.metadata) {
        if (event.metadata.usage) yield { type: 'usage', usage: mapUsage(event.metadata.usage) }
        continue
      }
      if (stopped) continue
      if (event.messageStop) {
        stopped = true
        yield { type: 'finish', reason: mapStopReason(event.messageStop.stopReason) }
        continue
      }
      const toolUse = event.contentBlockStart?.start?.toolUse
      if (toolUse) {
        const index = toolOrdinals.size
        toolOrdinals.set(event.contentBlockStart?.contentBlockIndex ?? index, index)
        yield {
          type: 'delta',
          toolCalls: [{ index, id: toolUse.toolUseId ?? '', type: 'function', function: { name: toolUse.name ?? '', arguments: '' } }],
        }
        continue
      }
      const delta = event.contentBlockDelta?.delta
      if (delta?.text !== undefined) {
        if (delta.text !== '') yield { type: 'delta', text: delta.text }
      } else if (delta?.toolUse?.input !== undefined && delta.toolUse.input !== '') {
        const index = toolOrdinals.get(event.contentBlockDelta?.contentBlockIndex ?? -1)
        if (index === undefined) {
          throw upstreamError({ provider: 'bedrock', kind: 'bad_response', cause: new Error('toolUse delta for a block that never started') })
        }
        yield { type: 'delta', toolCalls: [{ index, function: { arguments: delta.toolUse.input } }] }
      }
    }
  } catch (err) {
    throw bedrockError(err, { signal, inStream: true })
  }
  if (!stopped) {
    throw bedrockError(upstreamError({ provider: 'bedrock', kind: 'stream_truncated' }), { signal })
  }
}

/** An exception the SDK yielded as a union member instead of throwing it, as an Error named like the SDK's. */
function exceptionOf(event: ConverseStreamOutput): Error | undefined {
  for (const member of EXCEPTION_MEMBERS) {
    const value = event[member]
    if (value) {
      const err = new Error(value.message ?? member)
      err.name = member[0]?.toUpperCase() + member.slice(1)
      return err
    }
  }
  return undefined
}
