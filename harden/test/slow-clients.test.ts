import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('slow clients: a 5 rps probe keeps succeeding while slowhttptest and raw slow connections run', () => expectAreaHolds('slow'), 60_000)
