/**
 * The node a shell or a port forward goes to: from the tree row (node or service) or a node picker, after the
 * same reachability check as every SSM command (running, registered, Online; Enable SSM offered for masters).
 */
import { targetOrPick, type ClusterTreeProvider, type ExplorerNode } from '../explorer';
import { warnUnreachable, type OneNode, checkReachability, nodeLabel } from '../operations';
import type { AppContext } from '../shared/appContext';

export interface ReachableNode extends OneNode {
  /** "Master 2", "Media i-0abc…" */
  label: string;
}

export async function reachableNode(app: AppContext, explorer: ClusterTreeProvider, item: ExplorerNode | undefined, title: string, what: string): Promise<ReachableNode | undefined> {
  const target = await targetOrPick(explorer, item, title, 'node');
  if (!target) return undefined;
  const one: OneNode = { region: target.region, stack: target.stack, node: target.node, service: target.kind === 'service' ? target.service : undefined };
  const { unreachable } = await checkReachability(app, one.region, [one.node]);
  if (unreachable.size) {
    await warnUnreachable(one.stack, [one.node], unreachable, what);
    return undefined;
  }
  return { ...one, label: nodeLabel(one.node) };
}

/** The terminal's name: "Master 2 · i-0abc…" / "Media · i-0abc…" */
export function terminalName(n: ReachableNode): string {
  const short = n.node.instanceId.length > 12 ? `${n.node.instanceId.slice(0, 10)}…` : n.node.instanceId;
  return n.node.role === 'master' ? `Master ${n.node.index ?? '?'} · ${short}` : `Media · ${short}`;
}
