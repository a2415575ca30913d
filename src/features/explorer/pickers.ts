/** Quick picks that let every tree command also run from the palette. */
import * as vscode from 'vscode';
import type { ClusterTreeProvider } from './clusterTreeProvider';
import type { InstanceNode, StackNode } from './treeNodes';

export async function pickStack(explorer: ClusterTreeProvider, title: string): Promise<StackNode | undefined> {
  type Item = vscode.QuickPickItem & { node: StackNode };
  const items: Thenable<Item[]> = explorer
    .allStacks()
    .then((list) => list.map((s) => ({ label: s.summary.stackName, description: `${s.region} · ${s.summary.status}`, node: s })));
  const picked = await vscode.window.showQuickPick<Item>(items, { title, placeHolder: 'OpenVidu HA stack', matchOnDescription: true });
  return picked?.node;
}

export async function pickInstance(explorer: ClusterTreeProvider, title: string): Promise<InstanceNode | undefined> {
  type Item = vscode.QuickPickItem & { node: InstanceNode };
  const picked = await vscode.window.showQuickPick<Item>(
    explorer.allInstances().then((list) =>
      list.map((i) => ({
        label: i.node.role === 'master' ? `Master ${i.node.index}` : i.node.instanceId,
        description: `${i.group.stackNode.summary.stackName} · ${i.region} · ${i.node.role === 'master' ? i.node.instanceId : 'media node'} · ${i.node.state}`,
        node: i,
      })),
    ),
    { title, placeHolder: 'Node', matchOnDescription: true },
  );
  return picked?.node;
}
