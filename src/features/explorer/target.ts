/**
 * "Which stack or nodes does this tree item mean?", answered once. Every row that stands for something a command
 * can act on has a `toTarget()` (stack, node group, node, service; a feature's contributed row may have one too),
 * and `toTarget(item)` asks it, so a command never guesses from `kind` strings. From the palette (no item, or an
 * item that means nothing) `targetOrPick` falls back to the one quick pick: of every stack, or of every node.
 */
import type { NodeInstance } from '../../openvidu/cluster';
import type { ClusterTreeProvider } from './clusterTreeProvider';
import { pickInstance, pickStack } from './pickers';
import type { GroupNode, InstanceNode, StackNode } from './treeNodes';

export interface StackTarget {
  kind: 'stack';
  region: string;
  stack: StackNode;
}
export interface NodeGroupTarget {
  kind: 'nodeGroup';
  region: string;
  stack: StackNode;
  group: GroupNode;
  role: 'master' | 'media';
}
export interface NodeTarget {
  kind: 'node';
  region: string;
  stack: StackNode;
  instance: InstanceNode;
  node: NodeInstance;
}
export interface ServiceTarget extends Omit<NodeTarget, 'kind'> {
  kind: 'service';
  /** the service (container) name, from the last status check */
  service: string;
}
export type Target = StackTarget | NodeGroupTarget | NodeTarget | ServiceTarget;

/** A row that means a target. */
export interface Targetable {
  toTarget(): Target | undefined;
}

/** The target of a tree item; undefined for rows that mean none (region, message, port forward) and for non-rows. */
export function toTarget(item: unknown): Target | undefined {
  if (!item || typeof item !== 'object' || !('toTarget' in item) || typeof item.toTarget !== 'function') return undefined;
  return (item as Targetable).toTarget();
}

/**
 * The item's target, or the palette's quick pick: with `'stack'`, any target (its `stack` is the one under the row)
 * or a picked stack; with `'node'`, a node or service row, or a picked node.
 */
export async function targetOrPick(explorer: ClusterTreeProvider, item: unknown, title: string, want: 'node'): Promise<NodeTarget | ServiceTarget | undefined>;
export async function targetOrPick(explorer: ClusterTreeProvider, item: unknown, title: string, want: 'stack'): Promise<Target | undefined>;
export async function targetOrPick(explorer: ClusterTreeProvider, item: unknown, title: string, want: 'stack' | 'node'): Promise<Target | undefined> {
  const target = toTarget(item);
  if (want === 'stack') return target ?? (await pickStack(explorer, title))?.toTarget();
  if (target?.kind === 'node' || target?.kind === 'service') return target;
  return (await pickInstance(explorer, title))?.toTarget();
}

/** The stack of the item (any row under a stack), or a picked one. */
export async function stackOrPick(explorer: ClusterTreeProvider, item: unknown, title: string): Promise<StackNode | undefined> {
  return (await targetOrPick(explorer, item, title, 'stack'))?.stack;
}
