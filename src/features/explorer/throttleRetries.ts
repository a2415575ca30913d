/**
 * Loads that AWS throttled even after the SDK's retries are tried again after a delay that doubles while AWS
 * keeps throttling (exponential backoff, as AWS asks of pollers), one pending retry per part of the tree.
 */
import { MAX_BACKOFF_MS } from './treeState';

export class ThrottleRetries {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private delay?: number;

  constructor(
    private readonly initialMs: () => number,
    private readonly log: (line: string) => void,
  ) {}

  /** Runs `retry` after the current delay, unless a retry of `key` is already pending. */
  schedule(key: string, retry: () => void): void {
    if (this.pending.has(key)) return;
    const delay = this.delay ?? this.initialMs();
    this.delay = Math.min(delay * 2, MAX_BACKOFF_MS);
    this.log(`AWS throttled a load of ${key}; retrying in ${delay} ms`);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        retry();
      }, delay),
    );
  }

  /** A load went through: the next throttle starts from the initial delay again. */
  succeeded(): void {
    this.delay = undefined;
  }

  dispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
  }
}
