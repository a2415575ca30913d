import * as vscode from 'vscode';
import { describeMediaGroup, setMediaGroupSize } from '../../../aws/lifecycleApi';
import { checkGroupSize, GroupSize } from '../../../openvidu/lifecycle';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { lifecycleTarget, reportIfStackGone } from '../common';
import { liveTrafficNote } from '../../rooms';

/** Parses "3" (desired only) or "1/3/8" (min/desired/max) against the current sizes. */
export function parseSizeInput(text: string, current: GroupSize) {
  const parts = text.split('/').map((p) => p.trim());
  if (parts.length === 1) return checkGroupSize({ min: current.min, desired: parts[0], max: current.max });
  if (parts.length === 3) return checkGroupSize({ min: parts[0], desired: parts[1], max: parts[2] });
  return { issues: [{ field: 'desired' as const, message: 'Type the desired number of media nodes (e.g. 3), or min/desired/max (e.g. 1/3/8).' }] };
}

/**
 * Set the desired (and optionally min/max) number of media nodes. Nodes removed drain their sessions for up
 * to an hour; the CPU target-tracking policy may move the desired count again within min..max.
 */
export async function scaleMediaNodes(app: AppContext, explorer: ClusterTreeProvider, node?: ExplorerNode, input?: string): Promise<GroupSize | undefined> {
  const stack = await lifecycleTarget(explorer, node, 'scale');
  if (!stack) return undefined;
  const asgName = stack.cluster?.mediaGroup.asgName;
  if (!asgName) {
    void vscode.window.showErrorMessage(`${stack.summary.stackName} has no media Auto Scaling group yet.`);
    return undefined;
  }
  const session = app.session(stack.region);
  let group;
  try {
    group = await describeMediaGroup(session, asgName);
  } catch (e) {
    if (await reportIfStackGone(app, explorer, stack, 'scaling its media nodes')) return undefined;
    void vscode.window.showErrorMessage(app.describeError(e, stack.region));
    return undefined;
  }
  const current = group.size;
  const text =
    input ??
    (await vscode.window.showInputBox({
      title: `Scale media nodes of ${stack.summary.stackName}`,
      prompt: `Now: desired ${current.desired} (min ${current.min}, max ${current.max}). Type the desired count, or min/desired/max. The CPU scaling policy may change desired again within min..max.`,
      value: String(current.desired),
      validateInput: (v) => parseSizeInput(v, current).issues.map((i) => i.message).join(' ') || undefined,
    }));
  if (text === undefined) return undefined;
  const parsed = parseSizeInput(text, current);
  if (!parsed.size) {
    void vscode.window.showErrorMessage(`Not scaled: ${parsed.issues.map((i) => i.message).join(' ')}`);
    return undefined;
  }
  const size = parsed.size;
  if (size.desired < current.desired && input === undefined) {
    const live = await liveTrafficNote(stack, 'rooms on a removed node end when its drain ends');
    const go = await vscode.window.showWarningMessage(
      `Remove ${current.desired - size.desired} media node(s) from ${stack.summary.stackName}?`,
      { modal: true, detail: `Each removed node first drains its sessions (Terminating:Wait, up to 1 hour) and then terminates. Rooms on it keep running until they end or the hour passes.${live ? `\n\n${live}` : ''}` },
      'Scale In',
    );
    if (go !== 'Scale In') return undefined;
  }
  try {
    await setMediaGroupSize(session, asgName, size);
  } catch (e) {
    if (await reportIfStackGone(app, explorer, stack, 'scaling its media nodes')) return undefined;
    void vscode.window.showErrorMessage(`Scaling ${stack.summary.stackName} failed: ${app.describeError(e, stack.region)}`);
    return undefined;
  }
  explorer.refresh(stack);
  const drain = size.desired < current.desired ? ' Removed nodes drain for up to an hour; the explorer shows them as draining until they go.' : '';
  void vscode.window.showInformationMessage(`${stack.summary.stackName}: media nodes set to desired ${size.desired} (min ${size.min}, max ${size.max}).${drain}`);
  return size;
}
