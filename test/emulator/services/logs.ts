/**
 * CloudWatch Logs (JSON 1.1, target prefix `Logs_20140328`). Log groups live in `region.logGroups` (Map keyed by
 * name); streams are the distinct `logStreamName`s of a group's events. Timestamps are epoch milliseconds.
 * The stack's only log group belongs to a Lambda (created by the CloudFormation module).
 */
import type { Handler, ServiceModule } from '../server';
import { AwsError } from '../protocol';
import type { LogEvent, LogGroup, RegionState, World } from '../world';

/** Create a log group directly in the world (tests, sandbox, other modules). */
export function createLogGroup(world: World, region: RegionState, name: string, retentionInDays?: number): LogGroup {
  const existing = region.logGroups.get(name);
  if (existing) return existing;
  const g: LogGroup = {
    name,
    arn: `arn:aws:logs:${region.name}:${world.accountId}:log-group:${name}:*`,
    region: region.name,
    createdAt: world.now(),
    retentionInDays,
    events: [],
  };
  region.logGroups.set(name, g);
  return g;
}

/** Append events to a stream of a group (ingested now), keeping the group's events ordered by timestamp. */
export function appendLogEvents(world: World, group: LogGroup, logStreamName: string, events: { timestamp: number; message: string }[]): void {
  const ingestionTime = world.now();
  for (const e of events) {
    group.events.push({
      timestamp: e.timestamp,
      ingestionTime,
      message: e.message,
      logStreamName,
      eventId: `${e.timestamp}${String(group.events.length).padStart(20, '0')}`.slice(0, 56).padEnd(56, '0'),
    });
  }
  group.events.sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
}

function groupArn(g: LogGroup): string {
  return g.arn.replace(/:\*$/, '');
}

function checkLimit(v: unknown, max: number, member = 'limit'): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || v < 1 || v > max) {
    throw new AwsError(
      'InvalidParameterException',
      `1 validation error detected: Value '${String(v)}' at '${member}' failed to satisfy constraint: Member must have value ${typeof v === 'number' && v < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
    );
  }
  return v;
}

function encodeToken(kind: string, n: number): string {
  return Buffer.from(`${kind}:${n}`).toString('base64');
}
function decodeToken(kind: string, t: unknown): number {
  if (t === undefined || t === null || t === '') return 0;
  const m = new RegExp(`^${kind}:(\\d+)$`).exec(Buffer.from(String(t), 'base64').toString('utf8'));
  if (!m) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
  return Number(m[1]);
}

function requireGroup(region: RegionState, params: Record<string, unknown>): LogGroup {
  const id = params.logGroupIdentifier ?? params.logGroupName;
  if (id === undefined || id === '') {
    throw new AwsError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier must be specified.');
  }
  if (params.logGroupIdentifier !== undefined && params.logGroupName !== undefined) {
    throw new AwsError('InvalidParameterException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const s = String(id);
  const g = region.logGroups.get(s) ?? [...region.logGroups.values()].find((x) => groupArn(x) === s || x.arn === s);
  if (!g) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return g;
}

function groupShape(g: LogGroup) {
  return {
    logGroupName: g.name,
    creationTime: g.createdAt,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: g.arn,
    storedBytes: g.events.reduce((n, e) => n + e.message.length + 26, 0),
    logGroupClass: 'STANDARD',
    logGroupArn: groupArn(g),
  };
}

const describeLogGroups: Handler = ({ region, params }) => {
  const limit = checkLimit(params.limit, 50) ?? 50;
  if (params.logGroupNamePrefix !== undefined && params.logGroupNamePattern !== undefined) {
    throw new AwsError('InvalidParameterException', 'LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
  }
  const prefix = params.logGroupNamePrefix === undefined ? undefined : String(params.logGroupNamePrefix);
  const pattern = params.logGroupNamePattern === undefined ? undefined : String(params.logGroupNamePattern).toLowerCase();
  const groups = [...region.logGroups.values()]
    .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.toLowerCase().includes(pattern)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const start = decodeToken('lg', params.nextToken);
  const items = groups.slice(start, start + limit);
  return { logGroups: items.map(groupShape), ...(start + limit < groups.length ? { nextToken: encodeToken('lg', start + limit) } : {}) };
};

interface StreamInfo {
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp: number;
  lastEventTimestamp: number;
  lastIngestionTime: number;
  storedBytes: number;
}

function streams(g: LogGroup): StreamInfo[] {
  const map = new Map<string, StreamInfo>();
  for (const e of g.events) {
    const s = map.get(e.logStreamName);
    if (!s) {
      map.set(e.logStreamName, {
        logStreamName: e.logStreamName,
        creationTime: Math.min(e.timestamp, e.ingestionTime),
        firstEventTimestamp: e.timestamp,
        lastEventTimestamp: e.timestamp,
        lastIngestionTime: e.ingestionTime,
        storedBytes: 0,
      });
    } else {
      s.firstEventTimestamp = Math.min(s.firstEventTimestamp, e.timestamp);
      s.lastEventTimestamp = Math.max(s.lastEventTimestamp, e.timestamp);
      s.lastIngestionTime = Math.max(s.lastIngestionTime, e.ingestionTime);
      s.creationTime = Math.min(s.creationTime, e.timestamp);
    }
  }
  return [...map.values()];
}

const describeLogStreams: Handler = ({ world, region, params }) => {
  const g = requireGroup(region, params);
  const limit = checkLimit(params.limit, 50) ?? 50;
  const orderBy = String(params.orderBy ?? 'LogStreamName');
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
    throw new AwsError('InvalidParameterException', `1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`);
  }
  if (orderBy === 'LastEventTime' && params.logStreamNamePrefix !== undefined) {
    throw new AwsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  const prefix = params.logStreamNamePrefix === undefined ? '' : String(params.logStreamNamePrefix);
  let list = streams(g).filter((s) => s.logStreamName.startsWith(prefix));
  list.sort((a, b) => (orderBy === 'LastEventTime' ? a.lastEventTimestamp - b.lastEventTimestamp : a.logStreamName < b.logStreamName ? -1 : a.logStreamName > b.logStreamName ? 1 : 0));
  if (params.descending === true) list = list.reverse();
  const start = decodeToken('ls', params.nextToken);
  const items = list.slice(start, start + limit);
  return {
    logStreams: items.map((s) => ({
      ...s,
      uploadSequenceToken: String(49_000_000_000_000_000n + BigInt(s.lastIngestionTime)),
      arn: `arn:aws:logs:${region.name}:${world.accountId}:log-group:${g.name}:log-stream:${s.logStreamName}`,
    })),
    ...(start + limit < list.length ? { nextToken: encodeToken('ls', start + limit) } : {}),
  };
};

/** CloudWatch filter pattern, the simple forms: terms (all must appear), "quoted phrases", `?a ?b` (any), `-term` (exclude). */
export function matchesFilterPattern(pattern: string | undefined, message: string): boolean {
  const p = (pattern ?? '').trim();
  if (!p) return true;
  if (p.startsWith('{') || p.startsWith('[')) throw new AwsError('InvalidParameterException', 'Invalid filter pattern: JSON and space-delimited patterns are not supported by the emulator');
  const terms = [...p.matchAll(/([?-]?)"([^"]*)"|([?-]?)(\S+)/g)].map((m) => ({ op: m[1] || m[3] || '', text: m[2] ?? m[4] }));
  const any = terms.filter((t) => t.op === '?');
  const all = terms.filter((t) => t.op === '');
  const none = terms.filter((t) => t.op === '-');
  if (none.some((t) => message.includes(t.text))) return false;
  if (!all.every((t) => message.includes(t.text))) return false;
  if (any.length && !any.some((t) => message.includes(t.text))) return false;
  return true;
}

const filterLogEvents: Handler = ({ region, params }) => {
  const g = requireGroup(region, params);
  const limit = checkLimit(params.limit, 10_000) ?? 10_000;
  const names = params.logStreamNames as string[] | undefined;
  const prefix = params.logStreamNamePrefix as string | undefined;
  if (names && prefix !== undefined) {
    throw new AwsError('InvalidParameterException', 'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  const startTime = params.startTime as number | undefined;
  const endTime = params.endTime as number | undefined;
  const pattern = params.filterPattern as string | undefined;
  const selected = g.events
    .filter(
      (e) =>
        (!names || names.includes(e.logStreamName)) &&
        (prefix === undefined || e.logStreamName.startsWith(prefix)) &&
        (startTime === undefined || e.timestamp >= startTime) &&
        (endTime === undefined || e.timestamp <= endTime) &&
        matchesFilterPattern(pattern, e.message),
    )
    .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
  const start = decodeToken('fe', params.nextToken);
  const items = selected.slice(start, start + limit);
  const searched = [...new Set(g.events.map((e) => e.logStreamName))]
    .filter((n) => (!names || names.includes(n)) && (prefix === undefined || n.startsWith(prefix)))
    .map((logStreamName) => ({ logStreamName, searchedCompletely: true }));
  return {
    events: items.map((e: LogEvent) => ({ logStreamName: e.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId })),
    searchedLogStreams: searched,
    ...(start + limit < selected.length ? { nextToken: encodeToken('fe', start + limit) } : {}),
  };
};

function streamToken(dir: 'f' | 'b', n: number): string {
  return `${dir}/${String(n).padStart(56, '0')}/s`;
}

const getLogEvents: Handler = ({ region, params }) => {
  const g = requireGroup(region, params);
  const streamName = String(params.logStreamName ?? '');
  if (!streamName) throw new AwsError('InvalidParameterException', "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null");
  if (!g.events.some((e) => e.logStreamName === streamName)) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
  const limit = checkLimit(params.limit, 10_000) ?? 10_000;
  const startTime = params.startTime as number | undefined;
  const endTime = params.endTime as number | undefined;
  const events = g.events
    .filter((e) => e.logStreamName === streamName && (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime))
    .sort((a, b) => a.timestamp - b.timestamp || a.eventId.localeCompare(b.eventId));
  let from: number;
  let to: number;
  const tok = params.nextToken === undefined ? undefined : String(params.nextToken);
  if (tok !== undefined) {
    const m = /^([fb])\/(\d+)\/s$/.exec(tok);
    if (!m) throw new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
    const pos = Math.min(Number(m[2]), events.length);
    if (m[1] === 'f') {
      from = pos;
      to = Math.min(events.length, pos + limit);
    } else {
      to = pos;
      from = Math.max(0, pos - limit);
    }
  } else if (params.startFromHead === true) {
    from = 0;
    to = Math.min(events.length, limit);
  } else {
    to = events.length;
    from = Math.max(0, to - limit);
  }
  return {
    events: events.slice(from, to).map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: streamToken('f', to),
    nextBackwardToken: streamToken('b', from),
  };
};

export const logs: ServiceModule = {
  service: 'logs',
  handlers: {
    DescribeLogGroups: describeLogGroups,
    DescribeLogStreams: describeLogStreams,
    FilterLogEvents: filterLogEvents,
    GetLogEvents: getLogEvents,
  },
};
