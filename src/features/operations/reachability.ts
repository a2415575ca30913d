/**
 * Before any command: is each node running, registered with SSM and Online? Nodes that are not get a precise
 * reason and fix instead of a silent failure.
 */
import { describeManagedNodes, forgetPing, recentlyOnline } from '../../aws/ssmInventory';
import { runShellScript, type NodeCommandResult, type RunOptions } from '../../aws/ssmCommands';
import type { NodeInstance } from '../../openvidu/cluster';
import type { AppContext } from '../shared/appContext';

export interface Reachability {
  reachable: NodeInstance[];
  /** instance id → why it cannot be reached, with the fix */
  unreachable: Map<string, string>;
  /** instance id → SSM PingStatus as read now ('none': not registered); only for running nodes */
  ssm: Map<string, string>;
}

export const ENABLE_SSM_HINT =
  'Template 3.8.0 gives the AmazonSSMManagedInstanceCore policy to media nodes only. Run "OpenVidu: Enable SSM on Master Nodes…" to attach it to the masters\' IAM role, or enable Default Host Management Configuration in Systems Manager for the account.';

/** a node launched this recently may not be in SSM's inventory yet (its agent registers after boot) */
export const RECENT_LAUNCH_MS = 5 * 60_000;
/** waits between inventory reads while a recently launched node is missing (ms) */
export const REGISTRATION_RETRY_MS = [1000, 2000, 4000, 8000];

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function checkReachability(app: AppContext, region: string, nodes: NodeInstance[]): Promise<Reachability> {
  const unreachable = new Map<string, string>();
  const running = nodes.filter((n) => {
    if (n.state === 'running') return true;
    unreachable.set(n.instanceId, `The instance is ${n.state}${n.state === 'stopped' ? ': start it first' : ''}.`);
    return false;
  });
  const session = app.session(region);
  const ssm = await describeManagedNodes(session, running.map((n) => n.instanceId));
  // DescribeInstanceInformation is eventually consistent: a node that just booted may be missing for a while
  const recent = (n: NodeInstance) => !ssm.has(n.instanceId) && n.launchTime !== undefined && Date.now() - n.launchTime.getTime() < RECENT_LAUNCH_MS;
  for (const wait of REGISTRATION_RETRY_MS) {
    const missing = running.filter(recent);
    if (!missing.length) break;
    await sleep(wait);
    for (const [id, info] of await describeManagedNodes(session, missing.map((n) => n.instanceId))) ssm.set(id, info);
  }
  const reachable = running.filter((n) => {
    const info = ssm.get(n.instanceId);
    if (!info) {
      unreachable.set(
        n.instanceId,
        n.role === 'master'
          ? `Not registered with SSM. ${ENABLE_SSM_HINT}`
          : 'Not registered with SSM: the SSM agent has not registered yet (wait a minute after boot) or the instance role lacks AmazonSSMManagedInstanceCore.',
      );
      return false;
    }
    if (info.pingStatus !== 'Online') {
      unreachable.set(n.instanceId, `The SSM agent is ${info.pingStatus}: the instance may be starting, stopping or out of network reach. Try again in a minute.`);
      return false;
    }
    return true;
  });
  const pings = new Map(running.map((n) => [n.instanceId, ssm.get(n.instanceId)?.pingStatus ?? 'none']));
  return { reachable, unreachable, ssm: pings };
}

export interface ReachableRun extends Reachability {
  /** the script's result per reachable node that answered */
  results: Map<string, NodeCommandResult>;
}

/**
 * Runs a script on the nodes that can be reached, and says why the others cannot: the reachability check of
 * checkReachability, with the script sent to nodes SSM reported Online less than a minute ago (ssmInventory.ts)
 * BEFORE that check answers, beside it. The check still decides: a node it finds unreachable has its invocation
 * cancelled and is reported exactly as when it is checked first. Nodes not recently Online are sent to once the
 * check says they can be reached; a SendCommand refused for a node that is no longer valid (InvalidInstanceId)
 * falls back to that check-first path for all of them. `onReachability` is told the check's answer.
 * For scripts that only read (the status script): a node the check drops may have started it by then.
 */
export async function runWhereReachable(
  app: AppContext,
  region: string,
  nodes: NodeInstance[],
  commands: string[],
  opts: RunOptions & { onReachability?: (r: Reachability) => void },
): Promise<ReachableRun> {
  const session = app.session(region);
  const { onReachability, onProgress, ...run } = opts;
  const fresh = recentlyOnline(session, nodes.filter((n) => n.state === 'running').map((n) => n.instanceId));
  const early = nodes.filter((n) => fresh.has(n.instanceId)).map((n) => n.instanceId);
  // the early send stops with the caller's signal, or when the check itself fails
  const stop = new AbortController();
  const earlySignal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const check = checkReachability(app, region, nodes);
  const done = new Map<string, number>();
  const progress = (part: string) => (n: number) => {
    done.set(part, n);
    onProgress?.([...done.values()].reduce((a, b) => a + b, 0), total);
  };
  let total = early.length;
  const earlyRun: Promise<Map<string, NodeCommandResult> | 'refused'> = early.length
    ? runShellScript(session, early, commands, {
        ...run,
        signal: earlySignal,
        onProgress: progress('early'),
        skip: check.then((r) => {
          const reachable = new Set(r.reachable.map((n) => n.instanceId));
          return new Set(early.filter((id) => !reachable.has(id)));
        }),
      }).catch((e: unknown) => {
        if ((e as Error).name !== 'InvalidInstanceId') throw e;
        for (const id of early) forgetPing(session, id);
        return 'refused' as const;
      })
    : Promise.resolve(new Map());
  // a failure of the early run is awaited below (or dropped with the check's error): never left unhandled
  earlyRun.catch(() => undefined);
  let r: Reachability;
  try {
    r = await check;
  } catch (e) {
    stop.abort();
    await earlyRun.catch(() => undefined);
    throw e;
  }
  onReachability?.(r);
  total = r.reachable.length;
  const sentEarly = new Set(early);
  const late = r.reachable.filter((n) => !sentEarly.has(n.instanceId)).map((n) => n.instanceId);
  const lateRun = late.length ? runShellScript(session, late, commands, { ...run, onProgress: progress('late') }) : Promise.resolve(new Map<string, NodeCommandResult>());
  // refused early: its reachable nodes are sent to now, as if checked first (the check has answered)
  const earlyResults = earlyRun.then((v) => {
    if (v !== 'refused') return v;
    const again = r.reachable.filter((n) => sentEarly.has(n.instanceId)).map((n) => n.instanceId);
    return again.length ? runShellScript(session, again, commands, { ...run, onProgress: progress('early') }) : new Map<string, NodeCommandResult>();
  });
  const [a, b] = await Promise.all([earlyResults, lateRun]);
  return { ...r, results: new Map([...a, ...b]) };
}
