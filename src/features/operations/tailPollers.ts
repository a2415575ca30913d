/**
 * What a live tail polls: a service's logs on one or several nodes over SSM (tail engine in src/openvidu/tail.ts),
 * or a CloudWatch log group (FilterLogEvents from the last timestamp). Each round appends to a capped ring.
 * No vscode import: the bench drives these directly.
 */
import { loadSsmStatus } from '../../aws/clusterApi';
import { filterLogEvents } from '../../aws/cloudWatchLogs';
import { isThrottle } from '../../aws/errors';
import { describeInstanceFacts } from '../../aws/instances';
import type { AwsSession } from '../../aws/session';
import { CommandCancelledError, runShellScript } from '../../aws/ssmCommands';
import { parseTailPoll } from '../../openvidu/nodeCommands';
import { tailPollQueryScript, type LogFilter } from '../../openvidu/logFilter';
import { LineRing, TailEngine, type SourcePoll } from '../../openvidu/tail';
import type { LogTimestamps } from '../../openvidu/timeFormat';

/** reads in flight at once when several nodes each need their own (their last read was cut) */
const LAGGING_CONCURRENCY = 8;

export interface PollRound {
  /** lines added this round */
  appended: number;
  /** the tail is over (every node terminated): why */
  ended?: string;
  /** a read was cut: poll again at once */
  again: boolean;
}

export interface TailPoller {
  readonly ring: LineRing;
  poll(signal: AbortSignal): Promise<PollRound>;
}

export interface SsmTailOptions {
  maxLines: number;
  /** lines shown when the tail starts */
  initialLines?: number;
  /** most lines one read returns per node (SSM keeps 24,000 characters of output) */
  pageLines?: number;
  /** metadata-only log (command counts, node ids) */
  log?: (message: string) => void;
  /** which timestamp each line shows */
  timestamps?: LogTimestamps;
  /** only lines matching this (grep on the node: the rest never travels) */
  filter?: LogFilter;
}

export class SsmTailPoller implements TailPoller {
  readonly engine: TailEngine;
  private readonly labels = new Map<string, string>();
  private lastEnded?: string;
  /** SSM commands sent so far */
  commands = 0;

  constructor(
    private readonly session: AwsSession,
    nodes: { instanceId: string; label: string }[],
    private readonly service: string,
    private readonly known: readonly string[] | undefined,
    private readonly options: SsmTailOptions,
  ) {
    this.engine = new TailEngine({ maxLines: options.maxLines, prefix: nodes.length > 1, timestamps: options.timestamps });
    for (const n of nodes) {
      this.engine.addSource(n.instanceId, n.label);
      this.labels.set(n.instanceId, n.label);
    }
    // validate now, before anything is sent
    tailPollQueryScript(service, { initial: 1, max: 1, known, filter: options.filter });
  }

  get ring(): LineRing {
    return this.engine.ring;
  }

  private label(id: string): string {
    return this.labels.get(id) ?? id;
  }

  /** Nodes that cannot be polled now (stopped, starting, SSM offline) are skipped; terminated ones end. */
  private async triage(ids: string[], results: Map<string, SourcePoll>, signal: AbortSignal): Promise<Set<string>> {
    const skip = new Set<string>();
    if (!ids.length) return skip;
    const facts = await describeInstanceFacts(this.session, ids, signal);
    const running = ids.filter((id) => facts.get(id)?.state === 'running');
    const ssm = running.length ? await loadSsmStatus(this.session, running, signal) : new Map();
    for (const id of ids) {
      const f = facts.get(id);
      if (!f || f.state === 'terminated' || f.state === 'shutting-down') {
        this.lastEnded = `${this.label(id)} was terminated: its tail ended`;
        results.set(id, { kind: 'ended', reason: this.lastEnded });
      } else if (f.state !== 'running') {
        skip.add(id);
        results.set(id, { kind: 'down', reason: `${this.label(id)} is ${f.state}` });
      } else if (ssm.get(id)?.pingStatus !== 'Online') {
        skip.add(id);
        results.set(id, { kind: 'down', reason: `${this.label(id)} is running but its SSM agent is not online yet` });
      }
    }
    return skip;
  }

  private async pollGroup(sources: string[], since: string | undefined, page: number, skip: Set<string>, results: Map<string, SourcePoll>, signal: AbortSignal): Promise<void> {
    let ids = sources.filter((id) => !skip.has(id) && !results.has(id));
    const script = tailPollQueryScript(this.service, { since, initial: this.options.initialLines ?? Math.min(50, this.options.maxLines), max: page, known: this.known, filter: this.options.filter });
    for (let attempt = 0; ids.length && attempt < 2; attempt++) {
      try {
        this.commands += Math.ceil(ids.length / 50);
        const res = await runShellScript(this.session, ids, script, { timeoutSeconds: 30, executionTimeoutSeconds: 30, signal, comment: `OpenVidu HA: tail ${this.service}`, pollMs: 200, maxPollMs: 1000 });
        for (const id of ids) {
          const r = res.get(id);
          if (r?.status === 'Success') {
            const p = parseTailPoll(r.stdout, r.truncated);
            results.set(id, { kind: 'ok', now: p.now, bootedAt: p.bootedAt, lines: p.lines, more: r.truncated || p.lines.length >= page });
          } else {
            results.set(id, { kind: 'down', reason: `${this.label(id)} did not answer (${r ? (r.statusDetails ?? r.status) : 'no result'})` });
          }
        }
        ids = [];
      } catch (e) {
        // A throttle is not about the nodes: the whole round waits (the session backs off) instead of marking them down.
        if (e instanceof CommandCancelledError || signal.aborted || isThrottle(e)) throw e;
        // SendCommand refuses the whole batch when one node is gone (InvalidInstanceId): find it, retry the rest
        this.options.log?.(`tail ${this.service}: ${(e as Error).name} for ${ids.length} node(s); checking their state`);
        const gone = await this.triage(ids, results, signal);
        ids = ids.filter((id) => !gone.has(id) && !results.has(id));
        if (attempt === 1) for (const id of ids) results.set(id, { kind: 'down', reason: `${this.label(id)}: ${(e as Error).message}` });
      }
    }
  }

  async poll(signal: AbortSignal): Promise<PollRound> {
    const results = new Map<string, SourcePoll>();
    const skip = await this.triage(this.engine.down(), results, signal);
    const page = this.options.pageLines ?? 200;
    const groups = this.engine.plan();
    // groups are independent (one for the caught-up nodes, one per node whose last read was cut): run a few at once
    for (let i = 0; i < groups.length; i += LAGGING_CONCURRENCY) {
      await Promise.all(groups.slice(i, i + LAGGING_CONCURRENCY).map((g) => this.pollGroup(g.sources, g.since, page, skip, results, signal)));
    }
    const appended = this.engine.accept(results).length;
    return { appended, ended: this.engine.ended ? (this.lastEnded ?? 'every node is gone') : undefined, again: this.engine.hasMore() };
  }
}

/** Follows a CloudWatch log group: FilterLogEvents from the last timestamp, events at that instant deduplicated by id. */
export class CloudWatchTailPoller implements TailPoller {
  readonly ring: LineRing;
  private lastTs?: number;
  private idsAtLast = new Set<string>();
  private first = true;

  constructor(
    private readonly session: AwsSession,
    private readonly logGroupName: string,
    private readonly options: { maxLines: number; initialLines?: number; pageLines?: number },
  ) {
    this.ring = new LineRing(options.maxLines);
  }

  async poll(signal: AbortSignal): Promise<PollRound> {
    const first = this.first;
    const { events, complete } = await filterLogEvents(this.session, this.logGroupName, {
      startTime: this.lastTs,
      limit: first ? (this.options.initialLines ?? Math.min(500, this.options.maxLines)) : (this.options.pageLines ?? 1000),
      keep: first ? 'newest' : 'oldest',
      signal,
    });
    this.first = false;
    let appended = 0;
    for (const e of events) {
      if (this.lastTs !== undefined && e.timestamp < this.lastTs) continue;
      if (e.timestamp === this.lastTs) {
        if (this.idsAtLast.has(e.eventId)) continue;
        this.idsAtLast.add(e.eventId);
      } else {
        this.lastTs = e.timestamp;
        this.idsAtLast = new Set([e.eventId]);
      }
      this.ring.push(formatEvent(e));
      appended++;
    }
    return { appended, again: !first && !complete };
  }
}

export function formatEvent(e: { timestamp: number; stream: string; message: string }): string {
  return `${new Date(e.timestamp).toISOString()} [${e.stream}] ${e.message}`;
}
