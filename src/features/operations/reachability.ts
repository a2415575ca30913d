/**
 * Before any command: is each node running, registered with SSM and Online? Nodes that are not get a precise
 * reason and fix instead of a silent failure.
 */
import { describeManagedNodes } from '../../aws/ssmCommands';
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
