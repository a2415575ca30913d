/** The stack a configuration command acts on: from an explorer item (a stack, a group, a node, a Configuration row), or a quick pick. */
import { type ClusterTreeProvider, stackOrPick, type ExplorerNode, type StackNode } from '../../explorer';

export async function stackOf(explorer: ClusterTreeProvider, item: ExplorerNode | undefined, title: string): Promise<StackNode | undefined> {
  // every row under a stack means it through toTarget(), the Configuration rows too (configTree.ts)
  return stackOrPick(explorer, item, title);
}
