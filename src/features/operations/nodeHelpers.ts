/**
 * Shared by the log, tail, restart and run-command commands: which node / service a command acts on (from a tree
 * item or quick picks), the services a node has (discovered by a status check, run first when the node was
 * never checked), a status re-check after a change, and the reachability warning with its fix.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { NodeInstance } from '../../openvidu/cluster';
import { toTarget, type ExplorerNode, type StackNode } from '../explorer';
import type { AppContext } from '../shared/appContext';
import type { NodeStatusEntry } from '../shared/nodeStatusStore';
import { checkNodeStatus } from './statusPipeline';
import { nodeLabel } from './targets';
import { isLogTimestamps, type LogTimestamps } from '../../openvidu/timeFormat';

export interface OneNode {
  region: string;
  stack: StackNode;
  node: NodeInstance;
  /** set when the command was started from a service under the node */
  service?: string;
}

/** Runs the status script on the nodes and stores what it found (the explorer redraws their services). */
export async function refreshStatus(app: AppContext, region: string, nodes: NodeInstance[], signal?: AbortSignal): Promise<NodeStatusEntry[]> {
  const { entries } = await checkNodeStatus(app, region, nodes, { signal });
  app.output.info(`status re-check: ${entries.length} node(s), ${entries.filter((e) => e.status).length} answered`);
  return entries;
}

/** The node's service names: from its last status check, or from a status check run now. */
export async function discoverServices(app: AppContext, region: string, nodes: NodeInstance[], signal?: AbortSignal): Promise<Map<string, string[]>> {
  const unknown = nodes.filter((n) => !app.nodeStatus.get(n.instanceId)?.status);
  if (unknown.length) await refreshStatus(app, region, unknown, signal);
  return new Map(nodes.map((n) => [n.instanceId, app.nodeStatus.services(n.instanceId)]));
}

export const ENABLE_SSM_BUTTON = 'Enable SSM on Master Nodes…';

/**
 * Tells which nodes cannot be reached and why; when a master is not registered with SSM (template 3.8.0),
 * offers "Enable SSM on Master Nodes…" right on the warning.
 */
export async function warnUnreachable(stack: StackNode, nodes: NodeInstance[], unreachable: Map<string, string>, what: string): Promise<void> {
  if (!unreachable.size) return;
  const lines = nodes.filter((n) => unreachable.has(n.instanceId)).map((n) => `${nodeLabel(n)}: ${unreachable.get(n.instanceId)}`);
  const mastersUnregistered = nodes.some((n) => n.role === 'master' && /Not registered with SSM/.test(unreachable.get(n.instanceId) ?? ''));
  const message = `${stack.summary.stackName}: ${unreachable.size === nodes.length ? 'no node' : `${unreachable.size} of ${nodes.length} nodes`} can be reached for ${what}. ${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}`;
  const choice = mastersUnregistered ? await vscode.window.showWarningMessage(message, ENABLE_SSM_BUTTON) : await vscode.window.showWarningMessage(message);
  if (choice === ENABLE_SSM_BUTTON) await vscode.commands.executeCommand(Commands.enableSsmOnMasters, stack);
}

/** `openviduHa.<key>` number setting within bounds (fallback when unset or invalid). */
/** Which timestamp log lines show (setting `openviduHa.logTimestamps`, default docker's). */
export function logTimestampsSetting(): LogTimestamps {
  const v = vscode.workspace.getConfiguration('openviduHa').get<string>('logTimestamps', 'docker');
  return isLogTimestamps(v) ? v : 'docker';
}

export function numberSetting(key: string, fallback: number, min: number, max: number): number {
  const v = vscode.workspace.getConfiguration('openviduHa').get<number>(key, fallback);
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/**
 * After a status check: when master nodes could not be checked because they are not registered with SSM
 * (template 3.8.0), offer "Enable SSM on Master Nodes…" on a warning.
 */
export async function offerEnableSsm(rows: readonly { role: 'master' | 'media'; error?: string }[] | undefined, item: ExplorerNode | undefined): Promise<void> {
  const n = rows?.filter((r) => r.role === 'master' && /Not registered with SSM/.test(r.error ?? '')).length ?? 0;
  if (!n) return;
  const stack = toTarget(item)?.stack;
  const choice = await vscode.window.showWarningMessage(
    `${n} master node${n === 1 ? ' is' : 's are'} not registered with SSM${stack ? ` in ${stack.summary.stackName}` : ''}: template 3.8.0 gives AmazonSSMManagedInstanceCore to media nodes only.`,
    ENABLE_SSM_BUTTON,
  );
  if (choice === ENABLE_SSM_BUTTON) await vscode.commands.executeCommand(Commands.enableSsmOnMasters, stack);
}
