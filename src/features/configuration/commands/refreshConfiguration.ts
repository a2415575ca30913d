import type { ExplorerNode, StackNode } from '../../explorer';
import type { ConfigTree } from '../configTree';

/** Reads the masters and listings again: of the stack whose Configuration row it is invoked on, or of every stack. */
export function refreshConfiguration(tree: ConfigTree, item?: ExplorerNode): void {
  tree.refresh(item && item.kind === 'contributed' && 'stackNode' in item ? (item as { stackNode: StackNode }).stackNode : undefined);
}
