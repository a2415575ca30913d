import * as vscode from 'vscode';
import type { ClusterTreeProvider } from '../clusterTreeProvider';
import { stackOrPick } from '../target';
import type { ExplorerNode } from '../treeNodes';
import { stackEventsUri } from '../stackEventsDocument';

/** Open the stack's events, oldest first, in a read-only document. */
export async function showStackEvents(explorer: ClusterTreeProvider, node?: ExplorerNode): Promise<void> {
  const target = await stackOrPick(explorer, node, 'Show events of…');
  if (!target) return;
  const doc = await vscode.workspace.openTextDocument(stackEventsUri(target.region, target.summary.stackName));
  await vscode.window.showTextDocument(doc, { preview: true });
}
