import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('client disconnects abort the upstream within 100 ms, return the gauges to 0 and bill streamed tokens', () => expectAreaHolds('disconnects'), 60_000)
