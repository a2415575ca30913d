/** The stack a configuration command acts on: from an explorer item, a configuration view item, or a quick pick. */
import { type ClusterTreeProvider, stackOrPick, type ExplorerNode, type StackNode } from '../../explorer';
import type { ConfigTreeNode } from '../configTree';

export async function stackOf(explorer: ClusterTreeProvider, item: ExplorerNode | ConfigTreeNode | undefined, title: string): Promise<StackNode | undefined> {
  // the configuration view's stack row (a plain object, not an explorer row)
  if (item && typeof item === 'object' && 'kind' in item && item.kind === 'stack' && 'stack' in item) return item.stack;
  return stackOrPick(explorer, item, title);
}
