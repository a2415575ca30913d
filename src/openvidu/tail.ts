/**
 * The pure logic of a live log tail: a capped line buffer (memory bounded by the cap), a per-source cursor that
 * never repeats or drops a line at the `--since` boundary, a k-way merge by timestamp for several nodes, and the
 * gap marker when a node went away (stopped, rebooted) and came back. No vscode, no AWS: the glue polls and feeds.
 */
import { type LogLine, normalizeTimestamp } from './nodeCommands';
import { logLineText, type LogTimestamps } from './timeFormat';

/** Fixed-capacity FIFO of lines: pushing beyond the cap drops the oldest. Memory is O(cap). */
export class LineRing {
  private readonly buf: (string | undefined)[];
  private start = 0;
  private count = 0;
  /** lines dropped because the cap was reached */
  dropped = 0;
  /** lines ever pushed */
  total = 0;

  constructor(readonly cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`cap must be a positive integer (got ${cap})`);
    this.buf = new Array<string | undefined>(cap);
  }

  get size(): number {
    return this.count;
  }

  push(line: string): void {
    this.total++;
    if (this.count < this.cap) {
      this.buf[(this.start + this.count) % this.cap] = line;
      this.count++;
      return;
    }
    this.buf[this.start] = line;
    this.start = (this.start + 1) % this.cap;
    this.dropped++;
  }

  pushAll(lines: Iterable<string>): void {
    for (const l of lines) this.push(l);
  }

  toArray(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.buf[(this.start + i) % this.cap] as string;
    return out;
  }

  last(): string | undefined {
    return this.count ? this.buf[(this.start + this.count - 1) % this.cap] : undefined;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}

const key = (l: LogLine) => `${l.container}\u0000${l.text}`;

/**
 * Where one log stream stands: the newest timestamp received, and how many times each line was received at
 * exactly that instant. Polling again with `--since <that instant>` (inclusive) returns those lines again:
 * `accept` drops them (as many times as they were seen) and keeps everything new, including a genuinely
 * repeated line at the same instant. Memory: the lines of one instant.
 */
export class BoundaryCursor {
  private last?: string;
  private atLast = new Map<string, number>();

  /** the `--since` value for the next read (normalized RFC 3339, nanoseconds), or undefined before any line */
  get since(): string | undefined {
    return this.last;
  }

  /** Keeps the lines not received yet, in order. `lines` must be oldest first (docker's order). */
  accept(lines: readonly LogLine[]): LogLine[] {
    const out: LogLine[] = [];
    let skip = new Map(this.atLast);
    for (const l of lines) {
      const ts = normalizeTimestamp(l.timestamp);
      if (this.last !== undefined && ts < this.last) continue;
      const k = key(l);
      if (ts === this.last) {
        const n = skip.get(k) ?? 0;
        if (n > 0) {
          skip.set(k, n - 1);
          continue;
        }
        this.atLast.set(k, (this.atLast.get(k) ?? 0) + 1);
      } else {
        this.last = ts;
        this.atLast = new Map([[k, 1]]);
        skip = new Map();
      }
      out.push(l);
    }
    return out;
  }
}

export interface SourcedLine {
  source: string;
  line: LogLine;
}

/** Interleaves several sources' lines (each oldest first) by timestamp; stable for equal instants. */
export function mergeByTimestamp(batches: readonly { source: string; lines: readonly LogLine[] }[]): SourcedLine[] {
  const heads = batches.map(() => 0);
  const keys = batches.map((b) => b.lines.map((l) => normalizeTimestamp(l.timestamp)));
  const out: SourcedLine[] = [];
  for (;;) {
    let best = -1;
    for (let i = 0; i < batches.length; i++) {
      if (heads[i] >= batches[i].lines.length) continue;
      if (best < 0 || keys[i][heads[i]] < keys[best][heads[best]]) best = i;
    }
    if (best < 0) return out;
    out.push({ source: batches[best].source, line: batches[best].lines[heads[best]] });
    heads[best]++;
  }
}

/** `--- node restarted / no output between T1 and T2 ---` */
export function gapMarker(from: string | undefined, to: string | undefined, restarted: boolean): string {
  const what = restarted ? 'node restarted / no output' : 'node unreachable / no output';
  return `--- ${what} between ${from ?? 'the last line'} and ${to ?? 'now'} ---`;
}

/** Result of polling one source (one node's service). */
export type SourcePoll =
  | {
      kind: 'ok';
      /** the node's clock when it answered */
      now?: string;
      /** the node's boot time (`uptime -s`) */
      bootedAt?: string;
      lines: readonly LogLine[];
      /** the read was cut (SSM's 24,000 characters or the page size): poll again at once */
      more: boolean;
    }
  | { kind: 'down'; reason: string }
  | { kind: 'ended'; reason: string };

interface SourceState {
  id: string;
  label: string;
  cursor: BoundaryCursor;
  /** the node's clock at its last complete poll */
  caughtUpAt?: string;
  lagging: boolean;
  bootedAt?: string;
  down?: { since?: string; reason: string };
  ended?: string;
  polled: boolean;
}

/** One group of sources that can be read with the same command (the same --since / --tail). */
export interface PollGroup {
  sources: string[];
  /** lines since this instant, or undefined for the first read (`initial` last lines) */
  since?: string;
}

export interface TailOptions {
  maxLines: number;
  /** prefix lines with the node label (several nodes) */
  prefix: boolean;
  /** which timestamp each line shows (default docker's) */
  timestamps?: LogTimestamps;
  /** how far before the node's previous clock reading a caught-up source is read again (clock races), ms */
  overlapMs?: number;
}

/**
 * Several sources tailed together: plans the next reads (one group for the sources that are caught up, one per
 * lagging source), accepts poll results, and appends new lines interleaved by timestamp to a capped buffer,
 * with markers when a node stops answering, comes back (gap) or ends.
 */
export class TailEngine {
  readonly ring: LineRing;
  private readonly sources = new Map<string, SourceState>();

  constructor(readonly options: TailOptions) {
    this.ring = new LineRing(options.maxLines);
  }

  addSource(id: string, label: string): void {
    this.sources.set(id, { id, label, cursor: new BoundaryCursor(), lagging: false, polled: false });
  }

  /** sources still tailed (not ended) */
  live(): string[] {
    return [...this.sources.values()].filter((s) => !s.ended).map((s) => s.id);
  }
  /** sources that did not answer last time */
  down(): string[] {
    return [...this.sources.values()].filter((s) => !s.ended && s.down).map((s) => s.id);
  }
  label(id: string): string {
    return this.sources.get(id)?.label ?? id;
  }
  get ended(): boolean {
    return this.live().length === 0;
  }

  /** What to read next: the sources that answer, grouped so that one command serves each group. */
  plan(): PollGroup[] {
    const groups: PollGroup[] = [];
    const first: string[] = [];
    const caughtUp: SourceState[] = [];
    for (const s of this.sources.values()) {
      if (s.ended) continue;
      if (!s.polled) first.push(s.id);
      else if (s.lagging || s.down || !s.caughtUpAt) groups.push({ sources: [s.id], since: s.cursor.since ?? s.caughtUpAt });
      else caughtUp.push(s);
    }
    if (first.length) groups.unshift({ sources: first });
    if (caughtUp.length) {
      const min = caughtUp.map((s) => s.caughtUpAt as string).sort()[0];
      const back = new Date(Date.parse(min) - (this.options.overlapMs ?? 2000)).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
      // the poll printed the node's clock before reading the logs, so every line up to that reading was read; the
      // overlap re-reads a little (dropped by the cursors) in case a line was stamped before but written after
      groups.push({ sources: caughtUp.map((s) => s.id), since: back });
    }
    return groups;
  }

  /** whether a source needs reading again at once (its last read was cut) */
  hasMore(): boolean {
    return [...this.sources.values()].some((s) => !s.ended && !s.down && s.lagging);
  }

  /** Applies one round of results; returns the lines appended (already in the ring). */
  accept(results: ReadonlyMap<string, SourcePoll>): string[] {
    const appended: string[] = [];
    const batches: { source: string; lines: LogLine[] }[] = [];
    const markers = new Map<string, string>();
    for (const [id, r] of results) {
      const s = this.sources.get(id);
      if (!s || s.ended) continue;
      if (r.kind === 'ended') {
        s.ended = r.reason;
        appended.push(this.fmtMarker(s, `--- ${r.reason} ---`));
        continue;
      }
      if (r.kind === 'down') {
        if (!s.down) {
          s.down = { since: s.cursor.since ?? s.caughtUpAt, reason: r.reason };
          appended.push(this.fmtMarker(s, `--- ${r.reason}; waiting for the node to answer again ---`));
        }
        continue;
      }
      const rebooted = !!(s.bootedAt && r.bootedAt && r.bootedAt !== s.bootedAt);
      const before = s.cursor.since ?? s.caughtUpAt;
      const fresh = s.cursor.accept(r.lines);
      if (s.down || rebooted) {
        const from = s.down?.since ?? before;
        markers.set(id, this.fmtMarker(s, gapMarker(from, fresh[0]?.timestamp ?? r.now, rebooted || !!s.down)));
        s.down = undefined;
      }
      s.polled = true;
      if (r.bootedAt) s.bootedAt = r.bootedAt;
      s.lagging = r.more;
      if (!r.more && r.now) s.caughtUpAt = r.now;
      batches.push({ source: id, lines: fresh });
    }
    for (const m of markers.values()) appended.push(m);
    for (const { source, line } of mergeByTimestamp(batches)) appended.push(this.fmt(source, line));
    this.ring.pushAll(appended);
    return appended;
  }

  private fmt(source: string, l: LogLine): string {
    const text = logLineText(l.timestamp, l.text, this.options.timestamps);
    return this.options.prefix ? `[${this.label(source)}] ${text}` : text;
  }
  private fmtMarker(s: SourceState, text: string): string {
    return this.options.prefix ? `[${s.label}] ${text}` : text;
  }
}
