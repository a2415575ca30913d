/**
 * Terminate Media Node…: one chosen media node leaves through its Auto Scaling group
 * (TerminateInstanceInAutoScalingGroup), so the group's termination lifecycle hook drains its sessions first
 * (Terminating:Wait, up to an hour in OpenVidu HA), exactly like a scale-in, but of THIS node (a scale-in lets
 * the group's termination policy choose). Two outcomes, both offered in the confirmation:
 * - Replace It (ShouldDecrementDesiredCapacity false): "Amazon EC2 Auto Scaling launches instances to replace the
 *   ones that are terminated" (API reference): for a wedged or suspect node; capacity stays the same.
 * - Remove It (ShouldDecrementDesiredCapacity true): desired capacity goes down by one; AWS refuses it at the
 *   group's minimum, so it is offered only above the minimum.
 * No "Stop": an Auto Scaling group counts an instance in any state other than running as unhealthy and replaces
 * it ("Health checks for instances in an Auto Scaling group", EC2 Auto Scaling User Guide), without the drain.
 * The confirmation says what is live on the cluster (the LiveKit API does not say which node hosts a room).
 */
import * as vscode from 'vscode';
import { describeMediaGroup } from '../../../aws/lifecycleApi';
import { terminateMediaNodeInGroup } from '../../../aws/mediaNodeTermination';
import { toTarget, type ClusterTreeProvider, type ExplorerNode, type InstanceNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { liveTrafficNote } from '../../rooms';

export const REPLACE = 'Replace It';
export const REMOVE = 'Remove It';

export interface TerminateResult {
  instanceId: string;
  replaced: boolean;
}

async function pickMediaNode(explorer: ClusterTreeProvider): Promise<InstanceNode | undefined> {
  type Item = vscode.QuickPickItem & { node: InstanceNode };
  const items = explorer.allInstances().then((list) =>
    list
      .filter((i) => i.node.role === 'media' && i.node.state === 'running' && !i.node.lifecycleState?.startsWith('Terminating'))
      .map((i): Item => ({ label: i.node.instanceId, description: `${i.group.stackNode.summary.stackName} · ${i.region} · ${i.node.lifecycleState ?? i.node.state}`, node: i })),
  );
  const picked = await vscode.window.showQuickPick<Item>(items, { title: 'Terminate which media node?', placeHolder: 'A running media node', matchOnDescription: true });
  return picked?.node;
}

export async function terminateMediaNode(app: AppContext, explorer: ClusterTreeProvider, item?: ExplorerNode): Promise<TerminateResult | undefined> {
  const row = toTarget(item);
  const target = row?.kind === 'node' ? row.instance : await pickMediaNode(explorer);
  if (!target) return undefined;
  const id = target.node.instanceId;
  const stack = target.group.stackNode;
  const name = stack.summary.stackName;
  if (target.node.role !== 'media') {
    void vscode.window.showErrorMessage(`${id} is a master node of ${name}: only media nodes can be terminated here (masters are fixed; use Shut Down Cluster to stop them).`);
    return undefined;
  }
  if (target.node.lifecycleState?.startsWith('Terminating') || target.node.state === 'terminated' || target.node.state === 'shutting-down') {
    void vscode.window.showInformationMessage(`Media node ${id} of ${name} is already being terminated (${target.node.lifecycleState ?? target.node.state}).`);
    return undefined;
  }
  const asgName = stack.cluster?.mediaGroup.asgName;
  if (!asgName) {
    void vscode.window.showErrorMessage(`${name} has no media Auto Scaling group yet.`);
    return undefined;
  }
  const session = app.session(stack.region);
  let size;
  try {
    size = (await describeMediaGroup(session, asgName)).size;
  } catch (e) {
    void vscode.window.showErrorMessage(`Media node ${id} was not terminated: ${app.describeError(e, stack.region)}`);
    return undefined;
  }
  const canRemove = size.desired - 1 >= size.min;
  const live = await liveTrafficNote(stack, 'the LiveKit API does not say which node hosts a room, so any of them may be on this node: its rooms end when its drain ends');
  const detail = [
    `The node first drains its sessions (Terminating:Wait, up to 1 hour), then terminates.`,
    `${REPLACE}: the Auto Scaling group launches a new media node (desired stays ${size.desired}).`,
    canRemove
      ? `${REMOVE}: desired capacity goes from ${size.desired} to ${size.desired - 1} (min ${size.min}).`
      : `It cannot be removed without a replacement: desired capacity (${size.desired}) is already the group's minimum (${size.min}); lower the minimum with Scale Media Nodes first.`,
    live,
  ].filter(Boolean);
  const buttons = canRemove ? [REPLACE, REMOVE] : [REPLACE];
  const go = await vscode.window.showWarningMessage(`Terminate media node ${id} of ${name}?`, { modal: true, detail: detail.join('\n\n') }, ...buttons);
  if (go !== REPLACE && go !== REMOVE) return undefined;
  const replaced = go === REPLACE;
  try {
    await terminateMediaNodeInGroup(session, id, replaced);
  } catch (e) {
    void vscode.window.showErrorMessage(`Media node ${id} was not terminated: ${app.describeError(e, stack.region)}`);
    return undefined;
  }
  app.output.info(`terminate media node ${id} of ${name} (${replaced ? 'replaced' : 'desired capacity decremented'})`);
  explorer.refresh(stack);
  void vscode.window.showInformationMessage(
    `${name}: media node ${id} is draining and then terminates. ${replaced ? 'The Auto Scaling group launches a replacement.' : `Desired capacity is now ${size.desired - 1}.`}`,
  );
  return { instanceId: id, replaced };
}
