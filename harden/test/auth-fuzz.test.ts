import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('auth fuzzing: hostile Authorization and x-api-key values all get a 401 envelope, none admitted, none echoed', () => expectAreaHolds('auth'), 60_000)
