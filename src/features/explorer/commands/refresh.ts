import type { ClusterTreeProvider } from '../clusterTreeProvider';
import type { ExplorerNode } from '../treeNodes';

/** Refresh the whole explorer, or one node (and what is below it) when invoked on a tree item. */
export function refresh(explorer: ClusterTreeProvider, node?: ExplorerNode): void {
  explorer.refresh(node && typeof node === 'object' && 'kind' in node ? node : undefined);
}
