/** Which nodes an operation acts on, from a tree item (node, group, stack) or a palette quick pick. */
import * as vscode from 'vscode';
import type { NodeInstance } from '../../openvidu/cluster';
import { type ClusterTreeProvider, pickStack, type ExplorerNode, type StackNode } from '../explorer';
import { refuseWhileShutDown } from '../shared/shutDown';

export interface Targets {
  region: string;
  stack: StackNode;
  nodes: NodeInstance[];
  /** e.g. "openvidu-demo · all nodes", "openvidu-demo · Master 2" */
  label: string;
  scope: 'node' | 'masters' | 'media' | 'stack';
}

export function nodeLabel(n: NodeInstance): string {
  return n.role === 'master' ? `Master ${n.index}` : `Media ${n.instanceId}`;
}

export async function resolveTargets(explorer: ClusterTreeProvider, node: ExplorerNode | undefined, title: string, askScope = true): Promise<Targets | undefined> {
  const targets = await resolveAnyTargets(explorer, node, title, askScope);
  // The nodes of a shut-down cluster are stopped: the operation waits until the cluster is started (the menus hide
  // it; the palette and keybindings land here).
  if (targets && refuseWhileShutDown(targets.stack, verbOf(title))) return undefined;
  return targets;
}

/** "Check service status of…" → "check service status" */
export function verbOf(title: string): string {
  const t = title.replace(/ (of|on)…$/, '');
  return t.charAt(0).toLowerCase() + t.slice(1);
}

async function resolveAnyTargets(explorer: ClusterTreeProvider, node: ExplorerNode | undefined, title: string, askScope: boolean): Promise<Targets | undefined> {
  if (node && typeof node === 'object' && 'kind' in node) {
    if (node.kind === 'instance') {
      const stack = node.group.stackNode;
      return { region: stack.region, stack, nodes: [node.node], label: `${stack.summary.stackName} · ${nodeLabel(node.node)}`, scope: 'node' };
    }
    if (node.kind === 'group') {
      const stack = node.stackNode;
      return {
        region: stack.region,
        stack,
        nodes: node.instances(),
        label: `${stack.summary.stackName} · ${node.role === 'master' ? 'master nodes' : 'media nodes'}`,
        scope: node.role === 'master' ? 'masters' : 'media',
      };
    }
    if (node.kind === 'stack') return stackTargets(explorer, node, 'stack');
  }
  const stack = await pickStack(explorer, title);
  if (!stack) return undefined;
  if (!askScope) return stackTargets(explorer, stack, 'stack');
  const scope = await vscode.window.showQuickPick(
    [
      { label: 'All nodes', scope: 'stack' as const },
      { label: 'Master nodes', scope: 'masters' as const },
      { label: 'Media nodes', scope: 'media' as const },
    ],
    { title, placeHolder: 'Which nodes?' },
  );
  return scope ? stackTargets(explorer, stack, scope.scope) : undefined;
}

async function stackTargets(explorer: ClusterTreeProvider, stack: StackNode, scope: 'stack' | 'masters' | 'media'): Promise<Targets> {
  await explorer.getChildren(stack); // loads the cluster if needed
  const c = stack.cluster;
  const masters = c?.masters ?? [];
  const media = c?.media ?? [];
  const nodes = scope === 'masters' ? masters : scope === 'media' ? media : [...masters, ...media];
  const what = scope === 'masters' ? 'master nodes' : scope === 'media' ? 'media nodes' : 'all nodes';
  return { region: stack.region, stack, nodes, label: `${stack.summary.stackName} · ${what}`, scope };
}
