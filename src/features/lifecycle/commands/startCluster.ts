import * as vscode from 'vscode';
import { clearSavedMediaGroupSize, describeMediaGroup, instanceStates, setMediaGroupSize, startInstances } from '../../../aws/lifecycleApi';
import type { GroupSize } from '../../../openvidu/lifecycle';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { parseSizeInput } from './scaleMediaNodes';
import { Cancelled, LifecycleOptions, lifecycleTarget, reportIfStackGone, waitFor } from '../common';

/** Start a shut-down cluster: start the masters, wait until they run, then restore the media group's sizes. */
export async function startCluster(app: AppContext, explorer: ClusterTreeProvider, node?: ExplorerNode, options: LifecycleOptions = {}): Promise<GroupSize | undefined> {
  const stack = await lifecycleTarget(explorer, node, 'start');
  if (!stack?.cluster) return undefined;
  const c = stack.cluster;
  const name = stack.summary.stackName;
  const session = app.session(stack.region);
  const pollMs = options.pollMs ?? 10_000;
  let restored: GroupSize | undefined;
  try {
    let size: GroupSize | undefined;
    const asgName = c.mediaGroup.asgName;
    if (asgName) {
      const group = await describeMediaGroup(session, asgName);
      size = group.savedSize ?? (group.size.max > 0 ? group.size : undefined);
      if (!size) {
        const typed = await vscode.window.showInputBox({
          title: `Start ${name}: media nodes`,
          prompt: 'No remembered sizes on the media group. Type min/desired/max for the media nodes (e.g. 1/1/5).',
          value: '1/1/5',
          validateInput: (v) => parseSizeInput(v, group.size).issues.map((i) => i.message).join(' ') || undefined,
        });
        if (typed === undefined) return undefined;
        size = parseSizeInput(typed, group.size).size;
        if (!size) return undefined;
      }
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting ${name}`, cancellable: true }, async (progress, token) => {
      const masterIds = c.masters.filter((m) => m.state !== 'terminated').map((m) => m.instanceId);
      await startInstances(session, masterIds);
      explorer.refresh(stack);
      await waitFor(
        async () => {
          const states = await instanceStates(session, masterIds);
          const running = [...states.values()].filter((s) => s === 'running').length;
          progress.report({ message: `${running}/${masterIds.length} master nodes running` });
          return running === masterIds.length ? true : undefined;
        },
        token,
        pollMs,
      );
      if (asgName && size) {
        progress.report({ message: `restoring media nodes: desired ${size.desired} (min ${size.min}, max ${size.max})` });
        await setMediaGroupSize(session, asgName, size);
        await clearSavedMediaGroupSize(session, asgName);
        restored = size;
      }
    });
  } catch (e) {
    explorer.refresh(stack);
    if (e instanceof Cancelled) void vscode.window.showWarningMessage(`Stopped waiting: ${name} is partly started. Run "Start Cluster" again to finish.`);
    else if (!(await reportIfStackGone(app, explorer, stack, 'starting it'))) void vscode.window.showErrorMessage(`Starting ${name} failed: ${app.describeError(e, stack.region)}`);
    return undefined;
  }
  explorer.refresh(stack);
  void vscode.window.showInformationMessage(
    `${name} is starting: masters running${restored ? `, media nodes restored to desired ${restored.desired} (min ${restored.min}, max ${restored.max})` : ''}. OpenVidu needs a few minutes to come up.`,
  );
  return restored ?? { min: 0, desired: 0, max: 0 };
}
