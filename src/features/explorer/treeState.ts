/**
 * The explorer's small pure pieces: the outcome of a load, what a row or a stack's nodes look like (a change
 * means a redraw), which clusters are worth polling, and the settings of polling and throttling.
 */
import type * as vscode from 'vscode';
import type { Cluster } from '../../openvidu/cluster';
import type { StackNode } from './treeNodes';

export interface ExplorerOptions {
  /** ms between polls of transitional stacks */
  pollIntervalMs?: number;
  /** ms before a load that AWS throttled (after the SDK's own retries) is tried again; doubles per throttle */
  throttleRetryMs?: number;
}

/** What a throttled part of the tree says while the explorer waits to ask again. */
export const THROTTLED_MESSAGE = 'AWS is throttling requests, retrying…';
/** Longest wait between two polls or retries while AWS throttles (the CloudFormation Knowledge Center's backoff tops at 32 s). */
export const MAX_BACKOFF_MS = 60_000;

export type Loaded<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A load's outcome as a value (a failed load becomes an error row, not a rejection). */
export function settle<T>(load: Promise<T>): Promise<Loaded<T>> {
  return load.then(
    (value): Loaded<T> => ({ ok: true, value }),
    (error): Loaded<T> => ({ ok: false, error }),
  );
}

/** What a stack row shows; a change means the row must be redrawn. */
export function appearance(node: StackNode): string {
  const item = node.treeItem();
  return `${item.description}|${item.contextValue}|${(item.iconPath as vscode.ThemeIcon | undefined)?.id}`;
}

/** What the nodes under a stack look like: a change means the groups and nodes must be redrawn. */
export function nodesFingerprint(c: Cluster): string {
  const g = c.mediaGroup;
  const nodes = [...c.masters, ...c.media].map((n) => `${n.instanceId}:${n.state}:${n.lifecycleState ?? ''}:${n.healthStatus ?? ''}:${n.privateIp ?? ''}`);
  return `${g.desired}/${g.min}/${g.max}|${nodes.join(',')}`;
}

/** Media nodes launching or draining, masters starting or stopping: worth polling even when the stack is stable. */
export function nodesInTransition(c: Cluster): boolean {
  const moving = new Set(['pending', 'stopping', 'shutting-down']);
  return c.masters.some((m) => moving.has(m.state)) || c.media.some((m) => moving.has(m.state) || (m.lifecycleState !== undefined && m.lifecycleState !== 'InService'));
}

export function isStackGone(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e?.name === 'ValidationError' && /does not exist/.test(e.message ?? '');
}
