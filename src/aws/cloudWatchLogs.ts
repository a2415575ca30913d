/**
 * CloudWatch Logs of a stack: its log groups (AWS::Logs::LogGroup resources; in template 3.8.0 only the
 * SubnetProcessor Lambda's) and their events, read with FilterLogEvents across streams. Reads are bounded:
 * the newest `limit` events are kept while paging, so memory never exceeds the limit.
 */
import { listStackResources } from './clusterApi';
import type { AwsSession } from './session';
import { sdk } from './sdk';

export interface StackLogGroup {
  logicalId: string;
  name: string;
}

export interface LogEventLine {
  timestamp: number;
  stream: string;
  message: string;
  eventId: string;
}

export async function stackLogGroups(session: AwsSession, stackName: string): Promise<StackLogGroup[]> {
  return (await listStackResources(session, stackName))
    .filter((x) => x.ResourceType === 'AWS::Logs::LogGroup' && x.PhysicalResourceId)
    .map((x) => ({ logicalId: x.LogicalResourceId ?? '', name: x.PhysicalResourceId as string }));
}

/**
 * Events from `startTime` (inclusive, epoch ms; undefined = the group's beginning) in time order, at most
 * `limit` of them: the newest `limit` when `keep` is 'newest' (opening a group), the oldest when 'oldest'
 * (following: the rest is read by the next call from the last timestamp). `pages` bounds the calls.
 */
export async function filterLogEvents(
  session: AwsSession,
  logGroupName: string,
  opts: { startTime?: number; limit: number; keep: 'newest' | 'oldest'; pages?: number; signal?: AbortSignal },
): Promise<{ events: LogEventLine[]; complete: boolean }> {
  // loaded on first use, like the session's clients
  const [logs, { FilterLogEventsCommand }] = await Promise.all([session.logs(), sdk.cloudWatchLogs()]);
  let events: LogEventLine[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({ logGroupName, startTime: opts.startTime, nextToken: token, limit: Math.min(10_000, opts.limit) }),
      { abortSignal: opts.signal },
    );
    for (const e of page.events ?? []) {
      events.push({ timestamp: e.timestamp ?? 0, stream: e.logStreamName ?? '', message: (e.message ?? '').replace(/\n$/, ''), eventId: e.eventId ?? `${e.timestamp}:${e.message}` });
    }
    if (opts.keep === 'newest' && events.length > opts.limit) events = events.slice(-opts.limit);
    token = page.nextToken;
    pages++;
    if (opts.keep === 'oldest' && events.length >= opts.limit) return { events: events.slice(0, opts.limit), complete: false };
  } while (token && pages < (opts.pages ?? 50));
  return { events, complete: !token };
}
