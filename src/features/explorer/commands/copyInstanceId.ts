import * as vscode from 'vscode';
import type { ClusterTreeProvider } from '../clusterTreeProvider';
import { pickInstance } from '../pickers';
import type { InstanceNode } from '../treeNodes';

export async function copyInstanceId(explorer: ClusterTreeProvider, node?: InstanceNode): Promise<void> {
  const target = node?.kind === 'instance' ? node : await pickInstance(explorer, 'Copy instance id of…');
  if (!target) return;
  await vscode.env.clipboard.writeText(target.node.instanceId);
  void vscode.window.showInformationMessage(`Copied instance id ${target.node.instanceId}.`);
}
