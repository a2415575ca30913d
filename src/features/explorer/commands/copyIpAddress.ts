import * as vscode from 'vscode';
import type { ClusterTreeProvider } from '../clusterTreeProvider';
import { targetOrPick } from '../target';
import type { ExplorerNode } from '../treeNodes';

/** Copy a node's private or public IP (asks which when it has both). */
export async function copyIpAddress(explorer: ClusterTreeProvider, node?: ExplorerNode): Promise<void> {
  const target = await targetOrPick(explorer, node, 'Copy IP address of…', 'node');
  if (!target) return;
  const choices: vscode.QuickPickItem[] = [];
  if (target.node.publicIp) choices.push({ label: target.node.publicIp, description: 'public IPv4' });
  if (target.node.privateIp) choices.push({ label: target.node.privateIp, description: 'private IPv4' });
  if (!choices.length) {
    void vscode.window.showWarningMessage(`${target.node.instanceId} has no IP address (state: ${target.node.state}).`);
    return;
  }
  const picked = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { title: `IP address of ${target.node.instanceId}` });
  if (!picked) return;
  await vscode.env.clipboard.writeText(picked.label);
  void vscode.window.showInformationMessage(`Copied ${picked.description} ${picked.label}.`);
}
