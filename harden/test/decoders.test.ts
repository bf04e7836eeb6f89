import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('decoders: SSE and eventstream inputs split anywhere decode the same; broken ones end in exactly one GatewayError; line buffers capped', () => expectAreaHolds('decoders'), 60_000)
