/**
 * How long a poller waits while AWS throttles it: its interval, doubled after each throttled round up to a cap, and
 * back to the interval on the first round AWS answers. AWS asks callers to retry throttled requests with
 * exponential backoff ("Error retries and exponential backoff in AWS", AWS General Reference); the SDK already
 * retried each call, so the poller itself slows down too. Shared by the explorer's polls, live tails and the
 * deploy progress. Pure.
 */
export class PollBackoff {
  private factor = 1;

  constructor(private readonly maxMs: number) {}

  /** whether the last round was throttled (the poller is waiting longer than its interval) */
  get waiting(): boolean {
    return this.factor > 1;
  }

  /** ms until the next round for a poller whose interval is `intervalMs` */
  delayMs(intervalMs: number): number {
    return this.factor > 1 ? Math.max(intervalMs, Math.min(intervalMs * this.factor, this.maxMs)) : intervalMs;
  }

  /** AWS throttled a round: wait twice as long next time (up to the cap) */
  throttled(): void {
    this.factor = Math.min(this.factor * 2, 1024);
  }

  /** AWS answered a round: back to the interval */
  answered(): void {
    this.factor = 1;
  }
}
