import * as vscode from 'vscode';
import type { ClusterTreeProvider } from '../clusterTreeProvider';
import { targetOrPick } from '../target';
import type { ExplorerNode } from '../treeNodes';

export async function copyInstanceId(explorer: ClusterTreeProvider, node?: ExplorerNode): Promise<void> {
  const target = await targetOrPick(explorer, node, 'Copy instance id of…', 'node');
  if (!target) return;
  await vscode.env.clipboard.writeText(target.node.instanceId);
  void vscode.window.showInformationMessage(`Copied instance id ${target.node.instanceId}.`);
}
