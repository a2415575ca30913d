/**
 * When to ask SSM whether a Run Command has finished (ListCommandInvocations / GetCommandInvocation polls). Pure: no
 * SDK, no timers; runShellScript (ssmCommands.ts) sleeps until the times it returns.
 *
 * What AWS documents about the rates:
 * - Systems Manager publishes no request rate for Run Command's APIs (its service quotas page, "Systems Manager
 *   endpoints and quotas", gives throughput figures for Parameter Store only: 40 transactions per second shared by
 *   GetParameter/GetParameters/GetParametersByPath by default). Over the account's rate a call fails with
 *   ThrottlingException ("The request or operation couldn't be performed because the service is throttling
 *   requests", SSM API reference, Common Errors / botocore SSM exceptions).
 * - "Error retries and exponential backoff in AWS" (AWS General Reference, api-retries): clients should retry
 *   throttling errors with progressively longer waits, with a maximum delay and a maximum number of retries; the SDK
 *   does this for every call (the session's standard retry mode), and the live tails back off further on top
 *   (tailPollers.ts). Real polls do get throttled: aws/aws-rfdk#1723 saw "ThrottlingException: Rate exceeded" from
 *   ListCommandInvocations polled once a second by parallel pollers.
 * So the schedule spends its calls only where the answer is likely to change: it remembers how long each kind of
 * script took (SSM's own timestamps: RequestedDateTime to ResponseFinishDateTime, skew-free), polls about one round
 * trip apart across that window only (from an early floor below it, see EARLY_FRACTION; at most TIGHT_POLLS polls,
 * the gap widens if the window is wide), and backs
 * off ×1.5 up to maxMs after it. Before the window a long script is probed at 1, 2, 4… s (it may fail fast). With no
 * history yet, polls start at firstMs and are spaced by an eighth of the time elapsed (a result is seen at most
 * 12.5 % late), then back off. Calls per command are bounded: see pollsUntil().
 */

/** never poll closer than this, even against a local endpoint whose round trip is ~1 ms */
export const MIN_GAP_MS = 50;
/** polls spent across the learned window of one kind of script */
export const TIGHT_POLLS = 8;
/** with no history, the gap is this fraction of the time elapsed since SendCommand */
export const COLD_FRACTION = 1 / 8;
/** with no history, polls grow by COLD_FRACTION until this long after SendCommand, then back off ×BACKOFF */
export const COLD_TIGHT_UNTIL_MS = 4000;
/** a learned window starting later than this is probed before it, at 1, 2, 4… s */
export const PROBE_FROM_MS = 3000;
export const BACKOFF = 1.5;
/** a window starting at least this late gets one probe half-way to it */
export const PROBE_MIN_MS = 1000;
/**
 * The early floor (and the same margin late): a run can end before the fastest recent one or after the slowest
 * (delivery to the agent varies by a few hundred ms from one command to the next), and a poll placed at `lo` would
 * then see it up to that much late, or the backoff after `hi` would. Tight polls cover the recent runs widened on both
 * sides by EARLY_FRACTION of `lo`, capped at EARLY_MAX_MS (the variation is in the delivery, not proportional to a
 * long run); the margins cost at most 2 × EARLY_MAX_MS / gap more polls, and only when a run falls there.
 */
export const EARLY_FRACTION = 1 / 4;
export const EARLY_MAX_MS = 500;

export interface DurationWindow {
  /** shortest and longest recent durations of this kind of script, from SendCommand to the end of the run (ms) */
  lo: number;
  hi: number;
}

export interface ScheduleOptions {
  window?: DurationWindow;
  /** the measured round trip of one SSM call (ms) */
  rttMs: number;
  /** with no history: the first poll (ms after SendCommand) */
  firstMs: number;
  /** the longest gap between two polls */
  maxMs: number;
}

/**
 * nextAt(prev) = when (ms after the SendCommand was issued) the poll after the one started at `prev` should start
 * (undefined = the first poll). A poll that took longer than the gap is followed at once.
 */
export class PollSchedule {
  constructor(private readonly o: ScheduleOptions) {}

  private floor(): number {
    return Math.max(this.o.rttMs, MIN_GAP_MS);
  }

  nextAt(prev: number | undefined): number {
    const w = this.o.window;
    const floor = this.floor();
    if (!w) {
      if (prev === undefined) return Math.max(this.o.firstMs, floor);
      if (prev < COLD_TIGHT_UNTIL_MS) return prev + Math.min(this.o.maxMs, Math.max(floor, prev * COLD_FRACTION));
      return prev + this.backoff(Math.max(floor, COLD_TIGHT_UNTIL_MS * COLD_FRACTION), prev - COLD_TIGHT_UNTIL_MS);
    }
    // the same margin on both sides of the recent runs: a run may be faster or slower than any of them
    // the gap is set by the recent runs' spread; the margins add polls at that gap rather than widening it
    const margin = Math.min(w.lo * EARLY_FRACTION, EARLY_MAX_MS);
    const lo = Math.max(floor, w.lo - margin);
    const hi = Math.max(w.hi + margin, lo);
    const gap = Math.min(this.o.maxMs, Math.max(floor, (w.hi - w.lo) / TIGHT_POLLS));
    // one probe while the nodes pick the command up (half-way to the window), more for long scripts (1, 2, 4… s)
    if (prev === undefined) return lo > PROBE_FROM_MS ? 1000 : lo >= PROBE_MIN_MS ? lo / 2 : lo;
    if (prev < lo) return Math.min(lo, prev * 2);
    const tightEnd = hi + gap;
    if (prev + gap <= tightEnd) return prev + gap;
    return prev + this.backoff(gap, prev - tightEnd);
  }

  /** the gap after `since` ms of backing off from `gap`: ×BACKOFF per poll, up to maxMs */
  private backoff(gap: number, since: number): number {
    let g = gap;
    for (let t = 0; t <= since && g < this.o.maxMs; t += g) g = Math.min(this.o.maxMs, g * BACKOFF);
    return Math.min(this.o.maxMs, g);
  }

  /** Polls it takes to see a command that ends `endMs` after SendCommand, and how late the one that sees it starts. */
  pollsUntil(endMs: number): { polls: number; seenAt: number; lateMs: number } {
    let at = this.nextAt(undefined);
    let polls = 1;
    while (at < endMs) {
      at = this.nextAt(at);
      polls++;
    }
    return { polls, seenAt: at, lateMs: at - endMs };
  }
}

/**
 * Recent durations per kind of script (a caller's `kind`, else its comment) and target count (one node, a few, a
 * batch of 50: the slowest of 50 nodes ends later than one node does). Bounded: the last HISTORY runs of the last
 * MAX_KINDS kinds.
 */
export class DurationHistory {
  static readonly HISTORY = 6;
  static readonly MAX_KINDS = 64;
  private readonly runs = new Map<string, number[]>();

  static key(kind: string, targets: number): string {
    return `${kind}|${targets <= 1 ? 1 : targets <= 10 ? 10 : 50}`;
  }

  window(key: string): DurationWindow | undefined {
    const r = this.runs.get(key);
    return r?.length ? { lo: Math.min(...r), hi: Math.max(...r) } : undefined;
  }

  /**
   * The fastest recent run of any kind for this many targets: every script waits for delivery to the agent first,
   * so a kind never seen yet is polled from there (with the schedule's margins) rather than cold.
   */
  fastest(targets: number): number | undefined {
    const bucket = DurationHistory.key('', targets);
    let best: number | undefined;
    for (const [k, r] of this.runs) if (k.endsWith(bucket) && r.length) best = Math.min(best ?? Infinity, ...r);
    return best;
  }

  record(key: string, ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) return;
    const r = this.runs.get(key) ?? [];
    this.runs.delete(key);
    r.push(ms);
    if (r.length > DurationHistory.HISTORY) r.shift();
    this.runs.set(key, r);
    if (this.runs.size > DurationHistory.MAX_KINDS) this.runs.delete(this.runs.keys().next().value as string);
  }

  clear(): void {
    this.runs.clear();
  }
}
