import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('upstream faults mid-stream end every stream with an error frame and [DONE] in time, never silently, leaving no socket behind', () => expectAreaHolds('faults'), 60_000)
