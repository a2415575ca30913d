/** Walks of the explorer's tree for commands run from the palette (they load what is not loaded yet). */
import type { ExplorerNode, InstanceNode, StackNode } from './treeNodes';

interface Tree {
  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]>;
}

/** All stacks of every region. */
export async function allStacks(tree: Tree): Promise<StackNode[]> {
  const out: StackNode[] = [];
  for (const root of await tree.getChildren()) {
    if (root.kind !== 'region') continue;
    for (const c of await tree.getChildren(root)) if (c.kind === 'stack') out.push(c);
  }
  return out;
}

/** Every instance node of every stack. */
export async function allInstances(tree: Tree): Promise<InstanceNode[]> {
  const out: InstanceNode[] = [];
  for (const s of await allStacks(tree)) {
    for (const g of await tree.getChildren(s)) {
      if (g.kind !== 'group') continue;
      for (const i of await tree.getChildren(g)) if (i.kind === 'instance') out.push(i);
    }
  }
  return out;
}
