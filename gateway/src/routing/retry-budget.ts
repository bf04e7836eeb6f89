/**
 * The retry budget (Envoy's): retries in flight may be at most `ratio` of the
 * requests in flight (at least `minRetries`), so a brownout does not turn
 * into a retry storm. Over budget, the failure goes to the client (with
 * x-should-retry: false) or to a fallback.
 */
export class RetryBudget {
  active = 0
  retrying = 0
  exhausted = 0

  constructor(private readonly ratio = 0.2, private readonly minRetries = 3) {}

  requestStarted(): void {
    this.active++
  }

  requestEnded(): void {
    this.active = Math.max(0, this.active - 1)
  }

  /** Takes a retry slot if the budget allows; release it with `retryEnded`. */
  tryRetry(): boolean {
    if (this.retrying >= Math.max(this.minRetries, Math.floor(this.active * this.ratio))) {
      this.exhausted++
      return false
    }
    this.retrying++
    return true
  }

  retryEnded(): void {
    this.retrying = Math.max(0, this.retrying - 1)
  }
}
