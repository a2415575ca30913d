import { toTarget, type ExplorerNode } from '../../explorer';
import type { ConfigTree } from '../configTree';

/** Reads the masters and listings again: of the stack whose Configuration row it is invoked on, or of every stack. */
export function refreshConfiguration(tree: ConfigTree, item?: ExplorerNode): void {
  tree.refresh(toTarget(item)?.stack);
}
