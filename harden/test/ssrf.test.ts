import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('mass assignment and SSRF: every steering field and URL/ARN/path model is a 400 with 0 upstream calls and 0 decoy hits', () => expectAreaHolds('ssrf'), 30_000)
