/** Which nodes an operation acts on, from a tree item (node, group, stack) or a palette quick pick. */
import * as vscode from 'vscode';
import type { NodeInstance } from '../../openvidu/cluster';
import { type ClusterTreeProvider, pickStack, toTarget, type ExplorerNode, type StackNode } from '../explorer';
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
  const target = toTarget(node);
  // a service row means its node (Restart OpenVidu and Run Command pass one through)
  if (target?.kind === 'node' || target?.kind === 'service') {
    const { stack } = target;
    return { region: stack.region, stack, nodes: [target.node], label: `${stack.summary.stackName} · ${nodeLabel(target.node)}`, scope: 'node' };
  }
  if (target?.kind === 'nodeGroup') {
    const { stack, role } = target;
    return {
      region: stack.region,
      stack,
      nodes: target.group.instances(),
      label: `${stack.summary.stackName} · ${role === 'master' ? 'master nodes' : 'media nodes'}`,
      scope: role === 'master' ? 'masters' : 'media',
    };
  }
  if (target?.kind === 'stack') return stackTargets(explorer, target.stack, 'stack');
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
