import * as vscode from 'vscode';
import type { ClusterTreeProvider } from '../clusterTreeProvider';
import { pickStack } from '../pickers';
import type { StackNode } from '../treeNodes';
import { stackEventsUri } from '../stackEventsDocument';

/** Open the stack's events, oldest first, in a read-only document. */
export async function showStackEvents(explorer: ClusterTreeProvider, node?: StackNode): Promise<void> {
  const target = node?.kind === 'stack' ? node : await pickStack(explorer, 'Show events of…');
  if (!target) return;
  const doc = await vscode.workspace.openTextDocument(stackEventsUri(target.region, target.summary.stackName));
  await vscode.window.showTextDocument(doc, { preview: true });
}
