import * as vscode from 'vscode';
import type { ClusterTreeProvider } from './clusterTreeProvider';
import type { ExplorerNode } from './treeNodes';

export interface SnapshotNode {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  children?: SnapshotNode[];
}

/** The tree as a user would see it fully expanded (labels, descriptions, icons, context values). */
export async function treeSnapshot(provider: ClusterTreeProvider, options: { reload?: boolean; depth?: number } = {}): Promise<SnapshotNode[]> {
  if (options.reload) await provider.reloadNow();
  const depth = options.depth ?? 5;
  const walk = async (node: ExplorerNode | undefined, level: number): Promise<SnapshotNode[]> => {
    const children = await provider.getChildren(node);
    return Promise.all(
      children.map(async (c) => {
        // Children first: loading them may refresh the item itself (a stack's status and readiness).
        const before = provider.getTreeItem(c);
        const grandChildren = before.collapsibleState !== vscode.TreeItemCollapsibleState.None && level < depth ? await walk(c, level + 1) : undefined;
        const item = provider.getTreeItem(c);
        const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
        const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
        const out: SnapshotNode = { label, description: typeof item.description === 'string' ? item.description : undefined, contextValue: item.contextValue, icon };
        if (grandChildren) out.children = grandChildren;
        return out;
      }),
    );
  };
  return walk(undefined, 1);
}
