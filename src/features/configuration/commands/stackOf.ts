/** The stack a configuration command acts on: from an explorer item (a stack, a group, a node, a Configuration row), or a quick pick. */
import { type ClusterTreeProvider, pickStack, type ExplorerNode, type StackNode } from '../../explorer';

export async function stackOf(explorer: ClusterTreeProvider, item: ExplorerNode | undefined, title: string): Promise<StackNode | undefined> {
  if (item && typeof item === 'object' && 'kind' in item) {
    if (item.kind === 'stack') return item;
    if (item.kind === 'group') return item.stackNode;
    if (item.kind === 'instance') return item.group.stackNode;
    if (item.kind === 'service') return item.instance.group.stackNode;
    // rows contributed under a stack (Configuration and its files) carry their stack
    if (item.kind === 'contributed' && 'stackNode' in item) return (item as { stackNode: StackNode }).stackNode;
  }
  return pickStack(explorer, title);
}
