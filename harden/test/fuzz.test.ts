import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('request fuzzing: every POST route answers each mutated or random body and header set with a 2xx or a 4xx envelope, no crash, no unhandled rejection, bounded memory', () => expectAreaHolds('fuzz'), 60_000)
