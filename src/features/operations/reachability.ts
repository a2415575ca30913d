/**
 * Before any command: is each node running, registered with SSM and Online? Nodes that are not get a precise
 * reason and fix instead of a silent failure.
 */
import { loadSsmStatus } from '../../aws/clusterApi';
import type { NodeInstance } from '../../openvidu/cluster';
import type { AppContext } from '../shared/appContext';

export interface Reachability {
  reachable: NodeInstance[];
  /** instance id → why it cannot be reached, with the fix */
  unreachable: Map<string, string>;
}

export const ENABLE_SSM_HINT =
  'Template 3.8.0 gives the AmazonSSMManagedInstanceCore policy to media nodes only. Run "OpenVidu: Enable SSM on Master Nodes…" to attach it to the masters\' IAM role, or enable Default Host Management Configuration in Systems Manager for the account.';

export async function checkReachability(app: AppContext, region: string, nodes: NodeInstance[]): Promise<Reachability> {
  const unreachable = new Map<string, string>();
  const running = nodes.filter((n) => {
    if (n.state === 'running') return true;
    unreachable.set(n.instanceId, `The instance is ${n.state}${n.state === 'stopped' ? ': start it first' : ''}.`);
    return false;
  });
  const ssm = await loadSsmStatus(app.session(region), running.map((n) => n.instanceId));
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
  return { reachable, unreachable };
}
