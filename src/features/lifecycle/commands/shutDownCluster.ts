import * as vscode from 'vscode';
import { describeMediaGroup, instanceStates, saveMediaGroupSize, setMediaGroupSize, stopInstances } from '../../../aws/lifecycleApi';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { Cancelled, LifecycleOptions, lifecycleTarget, reportIfStackGone, waitFor } from '../common';
import { liveTrafficNote } from '../../rooms';

/** What the media nodes of a group being emptied are doing, from their lifecycle states. */
export function mediaLeavingMessage(states: string[]): string {
  if (!states.length) return 'media nodes gone';
  const draining = states.filter((s) => s === 'Terminating:Wait').length;
  const terminating = states.filter((s) => s.startsWith('Terminating') && s !== 'Terminating:Wait').length;
  const other = states.length - draining - terminating;
  const parts = [
    draining ? `${draining} draining their sessions (each until its rooms end, up to 1 hour)` : '',
    terminating ? `${terminating} terminating` : '',
    other ? `${other} still in service` : '',
  ].filter(Boolean);
  return `${states.length} media node${states.length === 1 ? '' : 's'} left: ${parts.join(', ')}…`;
}

/**
 * Shut a cluster down without deleting it: remember the media group's sizes on the group, set it to 0/0/0,
 * wait for the media nodes to drain and go, then stop the 4 masters. Start brings it back.
 */
export async function shutDownCluster(app: AppContext, explorer: ClusterTreeProvider, node?: ExplorerNode, options: LifecycleOptions & { confirmed?: boolean } = {}): Promise<boolean> {
  const stack = await lifecycleTarget(explorer, node, 'shutdown');
  if (!stack?.cluster) return false;
  const c = stack.cluster;
  const name = stack.summary.stackName;
  if (!options.confirmed) {
    const live = await liveTrafficNote(stack);
    const go = await vscode.window.showWarningMessage(
      `Shut down ${name}?`,
      {
        modal: true,
        detail: `The media group goes to 0 nodes (each drains its sessions for up to 1 hour), then the ${c.masters.filter((m) => m.state !== 'terminated').length} master nodes stop. OpenVidu is unavailable until you start the cluster again. Stopped instances cost only their disks.${live ? `\n\n${live}` : ''}`,
      },
      'Shut Down',
    );
    if (go !== 'Shut Down') return false;
  }
  const session = app.session(stack.region);
  const pollMs = options.pollMs ?? 10_000;
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Shutting down ${name}`, cancellable: true }, async (progress, token) => {
      if (c.mediaGroup.asgName) {
        const group = await describeMediaGroup(session, c.mediaGroup.asgName);
        // A second shutdown must not overwrite the remembered sizes with 0/0/0.
        if (group.size.max > 0 || !group.savedSize) await saveMediaGroupSize(session, group.name, group.size);
        await setMediaGroupSize(session, group.name, { min: 0, desired: 0, max: 0 });
        explorer.refresh(stack);
        let lastMessage: string | undefined;
        await waitFor(
          async () => {
            const g = await describeMediaGroup(session, group.name);
            const message = mediaLeavingMessage(g.instances.map((i) => i.lifecycleState));
            if (message !== lastMessage) {
              // The tree follows the same change: the stack is re-read, its media group redrawn.
              if (lastMessage !== undefined) explorer.refresh(stack);
              lastMessage = message;
            }
            progress.report({ message });
            return g.instances.length === 0 ? true : undefined;
          },
          token,
          pollMs,
        );
      }
      const masterIds = c.masters.filter((m) => m.state !== 'terminated').map((m) => m.instanceId);
      progress.report({ message: 'stopping the master nodes…' });
      await stopInstances(session, masterIds);
      explorer.refresh(stack);
      await waitFor(
        async () => {
          const states = await instanceStates(session, masterIds);
          const stopped = [...states.values()].filter((s) => s === 'stopped').length;
          progress.report({ message: `${stopped}/${masterIds.length} master nodes stopped` });
          return stopped === masterIds.length ? true : undefined;
        },
        token,
        pollMs,
      );
    });
  } catch (e) {
    explorer.refresh(stack);
    if (e instanceof Cancelled) {
      void vscode.window.showWarningMessage(`Stopped waiting: ${name} is partly shut down. Run "Shut Down Cluster" again to finish, or "Start Cluster" to bring it back.`);
    } else if (!(await reportIfStackGone(app, explorer, stack, 'shutting it down'))) {
      void vscode.window.showErrorMessage(`Shutting down ${name} failed: ${app.describeError(e, stack.region)}`);
    }
    return false;
  }
  explorer.refresh(stack);
  void vscode.window.showInformationMessage(`${name} is shut down: media group at 0, masters stopped. "Start Cluster" restores it.`);
  return true;
}
