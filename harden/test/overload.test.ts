import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('overload at 2x capacity: the process stays up, excess gets a fast 503 with retry-after, admitted latency holds, the stream cap answers 503', () => expectAreaHolds('overload'), 60_000)
