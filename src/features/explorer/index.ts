/** Registers the node explorer view and its commands. */
import * as vscode from 'vscode';
import { Commands, EXPLORER_VIEW } from '../../constants';
import type { AppContext } from '../shared/appContext';
import { ClusterTreeProvider } from './clusterTreeProvider';
import { STACK_EVENTS_SCHEME, StackEventsDocumentProvider } from './stackEventsDocument';
import { ExplorerNode } from './treeNodes';
import { refresh } from './commands/refresh';
import { retry } from './commands/retry';
import { selectProfile } from './commands/selectProfile';
import { selectRegions } from './commands/selectRegions';
import { showAccount } from './commands/showAccount';
import { copyInstanceId } from './commands/copyInstanceId';
import { copyIpAddress } from './commands/copyIpAddress';
import { openInConsole } from './commands/openInConsole';
import { showStackEvents } from './commands/showStackEvents';

export interface Explorer {
  provider: ClusterTreeProvider;
  view: vscode.TreeView<ExplorerNode>;
}

export function registerExplorer(app: AppContext, context: vscode.ExtensionContext): Explorer {
  const provider = new ClusterTreeProvider(app);
  const view = vscode.window.createTreeView(EXPLORER_VIEW, { treeDataProvider: provider, showCollapseAll: true });
  provider.setVisible(view.visible);
  const events = new StackEventsDocumentProvider(app);
  context.subscriptions.push(
    provider,
    view,
    view.onDidChangeVisibility((e) => provider.setVisible(e.visible)),
    vscode.workspace.registerTextDocumentContentProvider(STACK_EVENTS_SCHEME, events),
    vscode.commands.registerCommand(Commands.refresh, (node?: ExplorerNode) => refresh(provider, node)),
    vscode.commands.registerCommand(Commands.retry, (node) => retry(provider, node)),
    vscode.commands.registerCommand(Commands.selectProfile, () => selectProfile(app)),
    vscode.commands.registerCommand(Commands.selectRegions, () => selectRegions(app)),
    vscode.commands.registerCommand(Commands.showAccount, () => showAccount(app)),
    vscode.commands.registerCommand(Commands.copyInstanceId, (node) => copyInstanceId(provider, node)),
    vscode.commands.registerCommand(Commands.copyIpAddress, (node) => copyIpAddress(provider, node)),
    vscode.commands.registerCommand(Commands.openInConsole, (node) => openInConsole(provider, node)),
    vscode.commands.registerCommand(Commands.showStackEvents, (node) => showStackEvents(provider, node)),
    vscode.commands.registerCommand(Commands.treeSnapshot, (options?: { reload?: boolean; depth?: number }) => treeSnapshot(provider, options)),
  );
  return { provider, view };
}

export interface SnapshotNode {
  label: string;
  description?: string;
  contextValue?: string;
  icon?: string;
  children?: SnapshotNode[];
}

/** The tree as a user would see it fully expanded (labels, descriptions, icons, context values). */
async function treeSnapshot(provider: ClusterTreeProvider, options: { reload?: boolean; depth?: number } = {}): Promise<SnapshotNode[]> {
  if (options.reload) await provider.reloadNow();
  const depth = options.depth ?? 5;
  const walk = async (node: ExplorerNode | undefined, level: number): Promise<SnapshotNode[]> => {
    const children = await provider.getChildren(node);
    return Promise.all(
      children.map(async (c) => {
        const item = provider.getTreeItem(c);
        const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
        const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined;
        const out: SnapshotNode = { label, description: typeof item.description === 'string' ? item.description : undefined, contextValue: item.contextValue, icon };
        if (item.collapsibleState !== vscode.TreeItemCollapsibleState.None && level < depth) out.children = await walk(c, level + 1);
        return out;
      }),
    );
  };
  return walk(undefined, 1);
}
