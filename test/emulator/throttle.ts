/**
 * Per-API request throttling with token buckets, as AWS applies it.
 *
 * AWS source: "Request throttling for the Amazon EC2 API" (EC2 Developer Guide, ec2-api-throttling.html):
 * EC2 throttles each API separately per account and Region with the token bucket algorithm; each request takes
 * one token from that API's bucket; the bucket refills at a fixed rate per second up to its size (e.g. a
 * non-mutating action such as DescribeHosts: bucket 100, refill 20/s, so an empty bucket is full again after
 * 5 s); over the limit the call fails with `RequestLimitExceeded` and other APIs are not affected.
 * CloudFormation, Auto Scaling, STS and the JSON services throttle the same way per API ("Rate exceeded";
 * AWS Knowledge Center "cloudformation-rate-exceeded-error": DescribeStacks pollers must back off), answering
 * `Throttling` (awsQuery) or `ThrottlingException` (JSON 1.1): see `throttleError` in protocol.ts.
 *
 * Buckets are off by default; tests and the sandbox switch them on per service / action through the control
 * API (`POST /_emulator/throttle`). Time is real wall-clock time (AWS refills in real time), injectable here.
 */
import type { ServiceName } from './protocol';

export interface ThrottleRule {
  /** limit to one service / action; omitted = every service / every action (one bucket per action) */
  service?: ServiceName;
  action?: string;
  /** tokens the bucket holds when full (the burst) */
  bucketSize: number;
  /** tokens added per second (0 = never refills until the rule is changed or `refill` is called) */
  refillPerSecond: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class Throttles {
  private rules: ThrottleRule[] = [];
  /** `rule index|service:Action` → bucket: one bucket per API, as EC2 documents */
  private buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = Date.now) {}

  set(rule: ThrottleRule): void {
    if (!(rule.bucketSize >= 0) || !(rule.refillPerSecond >= 0)) throw new Error('bucketSize and refillPerSecond must be numbers >= 0');
    // A rule for the same scope replaces the old one (and its buckets start full).
    this.rules = this.rules.filter((r) => r.service !== rule.service || r.action !== rule.action);
    this.rules.push({ ...rule });
    this.buckets.clear();
  }

  clear(): void {
    this.rules = [];
    this.buckets.clear();
  }

  /** Fill every bucket to its size (a test's "the burst is over"). */
  refill(): void {
    this.buckets.clear();
  }

  /** Takes one token for this call; false = throttled. Every matching rule must have a token. */
  take(service: ServiceName, action: string): boolean {
    const t = this.now();
    const matching = this.rules.filter((r) => (!r.service || r.service === service) && (!r.action || r.action === action));
    const buckets = matching.map((r) => {
      const key = `${this.rules.indexOf(r)}|${service}:${action}`;
      let b = this.buckets.get(key);
      if (!b) {
        b = { tokens: r.bucketSize, updatedAt: t };
        this.buckets.set(key, b);
      }
      b.tokens = Math.min(r.bucketSize, b.tokens + ((t - b.updatedAt) / 1000) * r.refillPerSecond);
      b.updatedAt = t;
      return b;
    });
    if (buckets.some((b) => b.tokens < 1)) return false;
    for (const b of buckets) b.tokens -= 1;
    return true;
  }

  list(): ThrottleRule[] {
    return this.rules.map((r) => ({ ...r }));
  }
}
