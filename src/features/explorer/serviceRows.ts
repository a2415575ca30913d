/** The rows under a node after a status check: its services, or why it could not be checked. */
import type { NodeStatusEntry } from '../shared/nodeStatusStore';
import { MessageNode, ServiceNode, type ExplorerNode, type InstanceNode } from './treeNodes';

export function serviceRows(node: InstanceNode, entry: NodeStatusEntry | undefined): ExplorerNode[] {
  if (!entry) return [];
  const checked = `checked ${clockTime(entry.at)}`;
  if (entry.error || !entry.status) return [new MessageNode(node, `${entry.error ?? 'Status unknown'} (${checked})`, 'warning')];
  const out: ExplorerNode[] = [];
  // Services read before the node changed are kept for reference, under a line that says so.
  if (entry.stale) out.push(new MessageNode(node, `Services as ${checked}, before the node changed (${entry.stale}): check again`, 'info'));
  if (entry.status.openvidu !== 'active') out.push(new MessageNode(node, `openvidu.service is ${entry.status.openvidu}`, 'warning'));
  out.push(...entry.status.services.map((s) => new ServiceNode(node, s)));
  if (!entry.status.services.length && entry.status.problems.length) out.push(new MessageNode(node, entry.status.problems[0], 'warning'));
  return out;
}

/** hh:mm:ss of an instant, for "checked 10:42:07" */
function clockTime(d: Date): string {
  return d.toTimeString().slice(0, 8);
}
