/** The stack a configuration command acts on: from an explorer item, a configuration view item, or a quick pick. */
import { type ClusterTreeProvider, pickStack, type ExplorerNode, type StackNode } from '../../explorer';
import type { ConfigTreeNode } from '../configTree';

export async function stackOf(explorer: ClusterTreeProvider, item: ExplorerNode | ConfigTreeNode | undefined, title: string): Promise<StackNode | undefined> {
  if (item && typeof item === 'object' && 'kind' in item) {
    if (item.kind === 'stack') return 'stack' in item ? item.stack : item;
    if (item.kind === 'group') return item.stackNode;
    if (item.kind === 'instance') return item.group.stackNode;
    if (item.kind === 'service') return item.instance.group.stackNode;
  }
  return pickStack(explorer, title);
}
