import { expect, test } from 'bun:test'
import { RetryBudget } from './retry-budget.ts'

test('allows retries up to 20% of the requests in flight, with a floor of 3', () => {
  const b = new RetryBudget()
  for (let i = 0; i < 50; i++) b.requestStarted()
  const granted = Array.from({ length: 15 }, () => b.tryRetry()).filter(Boolean).length
  expect({ granted, exhausted: b.exhausted }).toEqual({ granted: 10, exhausted: 5 })
  b.retryEnded()
  expect(b.tryRetry()).toBe(true)
})

test('a quiet gateway still gets its minimum of retries', () => {
  const b = new RetryBudget()
  b.requestStarted()
  expect([b.tryRetry(), b.tryRetry(), b.tryRetry(), b.tryRetry()]).toEqual([true, true, true, false])
})
