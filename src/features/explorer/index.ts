/** Registers the node explorer view and its commands. */
import * as vscode from 'vscode';
import { Commands, EXPLORER_VIEW } from '../../constants';
import type { AppContext } from '../shared/appContext';
import { ClusterTreeProvider } from './clusterTreeProvider';
import { STACK_EVENTS_SCHEME, StackEventsDocumentProvider } from './stackEventsDocument';
import { ExplorerNode } from './treeNodes';
import { treeSnapshot } from './snapshot';
import { refresh } from './commands/refresh';
import { retry } from './commands/retry';
import { selectProfile } from './commands/selectProfile';
import { selectRegions } from './commands/selectRegions';
import { showAccount } from './commands/showAccount';
import { copyInstanceId } from './commands/copyInstanceId';
import { copyIpAddress } from './commands/copyIpAddress';
import { openInConsole } from './commands/openInConsole';
import { showStackEvents } from './commands/showStackEvents';

// What other features may use (docs/architecture.md: a feature imports another only through its index.ts).
export type { ClusterTreeProvider } from './clusterTreeProvider';
export { pickStack } from './pickers';
// "Which stack or nodes does this item mean?" (target.ts): the one answer, and the one palette fallback.
export { stackOrPick, targetOrPick, toTarget } from './target';
export type { NodeGroupTarget, NodeTarget, ServiceTarget, StackTarget, Target } from './target';
export { revealStack } from './reveal';
export { MessageNode } from './treeNodes';
export type { ContributedNode, ExplorerNode, ForwardRow, ForwardSource, GroupNode, InstanceNode, StackNode } from './treeNodes';

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
