import { test } from 'bun:test'
import { expectAreaHolds } from './harness.ts'

test('body limits over a raw socket: limit±1, 10x, chunked, lying lengths and compressed bodies are answered promptly; stalled bodies are cut', () => expectAreaHolds('body'), 60_000)
