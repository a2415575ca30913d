/**
 * The one status pipeline (issue 14 found it written twice, in checkStatus.ts and nodeHelpers.ts): which nodes can be
 * reached, the status script on those (sent beside the reachability check where SSM saw them Online lately:
 * reachability.ts runWhereReachable), its output parsed into services, and the result stored in the node status
 * store (the explorer redraws the services under each node). The status check command adds the progress
 * notification and the report; a re-check after a restart or a log command adds nothing.
 */
import { parseStatusOutput, statusScript } from '../../openvidu/nodeCommands';
import type { NodeInstance } from '../../openvidu/cluster';
import type { StatusRow } from '../../openvidu/statusReport';
import type { AppContext } from '../shared/appContext';
import type { NodeStatusEntry } from '../shared/nodeStatusStore';
import { runWhereReachable, type Reachability } from './reachability';
import { nodeLabel } from './targets';

export interface StatusCheckOptions {
  signal?: AbortSignal;
  /** told how many nodes can be reached once the check answers */
  onReachability?: (r: Reachability) => void;
  onProgress?: (done: number, total: number) => void;
}

export interface StatusCheck {
  /** when the check started */
  at: Date;
  /** one row per node, in the order given */
  rows: StatusRow[];
  /** what was stored for each node */
  entries: NodeStatusEntry[];
}

/** Runs the status script on the nodes that can be reached, and stores one status entry per node. */
export async function checkNodeStatus(app: AppContext, region: string, nodes: NodeInstance[], opts: StatusCheckOptions = {}): Promise<StatusCheck> {
  const at = new Date();
  const { unreachable, ssm, results } = await runWhereReachable(app, region, nodes, statusScript(), {
    comment: 'OpenVidu HA: service status',
    timeoutSeconds: 60,
    executionTimeoutSeconds: 60,
    ...opts,
  });
  const rows = nodes.map((n): StatusRow => {
    const row = { label: nodeLabel(n), instanceId: n.instanceId, role: n.role };
    const why = unreachable.get(n.instanceId);
    if (why) return { ...row, error: why };
    const r = results.get(n.instanceId);
    if (!r) return { ...row, error: 'No answer from the node.' };
    if (r.status !== 'Success') return { ...row, error: `The status command ${r.status}${r.statusDetails && r.statusDetails !== r.status ? ` (${r.statusDetails})` : ''}.` };
    return { ...row, status: parseStatusOutput(r.stdout) };
  });
  const entries = rows.map((r, i): NodeStatusEntry => ({ instanceId: r.instanceId, at, status: r.status, error: r.error, basis: { state: nodes[i].state, ssm: ssm.get(r.instanceId) ?? '' } }));
  app.nodeStatus.set(entries);
  return { at, rows, entries };
}
