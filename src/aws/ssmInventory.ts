/**
 * What SSM said lately about each node's agent: the PingStatus of the last DescribeInstanceInformation answer that
 * named it (explorer loads, tail triage, reachability checks), per session. A node whose agent was Online moments
 * ago is very likely still Online, so a status check sends its SendCommand at once while the reachability check
 * runs beside it (operations/reachability.ts `runWhereReachable`): one round trip less than check-then-send.
 *
 * The memory never decides reachability on its own: the fresh DescribeInstanceInformation answer still does, and a
 * node it finds not Online has its invocation cancelled. It only decides whether to send before that answer, so a
 * wrong guess costs one cancelled invocation, never a wrong result. Why a guess is safe for a while: SSM marks an
 * agent ConnectionLost only after it misses its pings (PingStatus, DescribeInstanceInformation API reference), and a
 * command sent to a disconnected agent waits, Pending/Delayed, until its delivery timeout (SendCommand
 * TimeoutSeconds: "If this time is reached and the command hasn't already started running, it won't run") instead of
 * running late where we no longer wait for it.
 */
import type { AwsSession } from './session';
import { sdk } from './sdk';

/** an Online answer younger than this lets a command be sent before the node's reachability is read again */
export const ONLINE_FRESH_MS = 60_000;
/** nodes remembered per session at most (oldest answers forgotten first) */
const MAX_NODES = 2_000;

interface Seen {
  ping: string;
  at: number;
}

const bySession = new WeakMap<AwsSession, Map<string, Seen>>();

function memory(session: AwsSession): Map<string, Seen> {
  let m = bySession.get(session);
  if (!m) {
    m = new Map();
    bySession.set(session, m);
  }
  return m;
}

/**
 * Records one DescribeInstanceInformation answer: `asked` are the ids the call filtered on, `answered` the PingStatus
 * of those it listed. An asked id left out is not a managed node (now): whatever was known of it is forgotten.
 */
export function notePings(session: AwsSession, asked: readonly string[], answered: ReadonlyMap<string, { pingStatus: string }>, now = Date.now()): void {
  const m = memory(session);
  for (const id of asked) {
    m.delete(id);
    const a = answered.get(id);
    if (a) m.set(id, { ping: a.pingStatus, at: now });
  }
  while (m.size > MAX_NODES) m.delete(m.keys().next().value as string);
}

/** The ids among `ids` whose agent SSM reported Online less than ONLINE_FRESH_MS ago. */
export function recentlyOnline(session: AwsSession, ids: readonly string[], now = Date.now()): Set<string> {
  const m = bySession.get(session);
  const out = new Set<string>();
  if (!m) return out;
  for (const id of ids) {
    const s = m.get(id);
    if (s && s.ping === 'Online' && now - s.at < ONLINE_FRESH_MS) out.add(id);
  }
  return out;
}

/** Forgets a node (SendCommand refused it: it is no longer a valid target). */
export function forgetPing(session: AwsSession, id: string): void {
  bySession.get(session)?.delete(id);
}

export interface ManagedNodeInfo {
  pingStatus: string;
  agentVersion?: string;
  lastPing?: Date;
}

/**
 * The SSM inventory of some instances (DescribeInstanceInformation, `Filters` InstanceIds key, 50 ids a call). AWS
 * leaves instances that are not managed nodes out of the answer, or refuses the call with InvalidInstanceId ("If you
 * specify a node ID that isn't valid or a node that you don't own, you receive an error"; the legacy filter list
 * does so for unmanaged ids): the ids are then asked about in halves so only the offending ones are left out, and
 * the answer is per instance, never an error for the whole group.
 */
export async function describeManagedNodes(session: AwsSession, instanceIds: string[], signal?: AbortSignal): Promise<Map<string, ManagedNodeInfo>> {
  const ssm = await session.ssm();
  const out = new Map<string, ManagedNodeInfo>();
  const ask = async (ids: string[]): Promise<void> => {
    if (!ids.length) return;
    let token: string | undefined;
    const got = new Map<string, ManagedNodeInfo>();
    try {
      do {
        const page = await ssm.send(new (await sdk.ssm()).DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: ids }], MaxResults: 50, NextToken: token }), { abortSignal: signal });
        for (const info of page.InstanceInformationList ?? []) {
          if (info.InstanceId) got.set(info.InstanceId, { pingStatus: info.PingStatus ?? 'Unknown', agentVersion: info.AgentVersion, lastPing: info.LastPingDateTime });
        }
        token = page.NextToken;
      } while (token);
      for (const [id, info] of got) out.set(id, info);
      notePings(session, ids, got);
    } catch (e) {
      if ((e as Error).name !== 'InvalidInstanceId' || ids.length === 1) {
        if ((e as Error).name === 'InvalidInstanceId') {
          // this one is not a managed node
          notePings(session, ids, got);
          return;
        }
        throw e;
      }
      const half = Math.ceil(ids.length / 2);
      await ask(ids.slice(0, half));
      await ask(ids.slice(half));
    }
  };
  // the groups of 50 are asked together: one round trip for any number of nodes
  const groups: string[][] = [];
  for (let i = 0; i < instanceIds.length; i += 50) groups.push(instanceIds.slice(i, i + 50));
  await Promise.all(groups.map((g) => ask(g)));
  return out;
}
