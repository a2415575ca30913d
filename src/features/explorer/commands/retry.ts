import type { ClusterTreeProvider } from '../clusterTreeProvider';
import type { MessageNode } from '../treeNodes';

/** The action of an error node: load the failed part again. */
export function retry(explorer: ClusterTreeProvider, node?: MessageNode): void {
  if (!node || node.retryTarget === 'root' || !node.retryTarget) explorer.refresh();
  else explorer.refresh(node.retryTarget);
}
