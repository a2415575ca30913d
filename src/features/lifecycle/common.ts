/** Shared pieces of the lifecycle commands: the target stack, the state guard, and waiting with cancel. */
import * as vscode from 'vscode';
import { canRun, LifecycleAction } from '../../openvidu/lifecycle';
import { type ClusterTreeProvider, stackOrPick, type ExplorerNode, type StackNode } from '../explorer';
import { stackStatus } from '../../aws/lifecycleApi';
import { refuseWhileShutDown } from '../shared/shutDown';
import type { AppContext } from '../shared/appContext';

export interface LifecycleOptions {
  /** ms between polls while waiting (tests use a fast emulator clock and a short interval) */
  pollMs?: number;
}

/** what the user was doing, for the message when the stack turns out to be deleted */
const ACTION_DOING: Record<LifecycleAction, string> = {
  scale: 'scaling its media nodes',
  update: 'updating it',
  shutdown: 'shutting it down',
  start: 'starting it',
  delete: 'deleting it',
};

const ACTION_TITLES: Record<LifecycleAction, string> = {
  scale: 'Scale media nodes of…',
  update: 'Update…',
  shutdown: 'Shut down…',
  start: 'Start…',
  delete: 'Delete deployment…',
};

/** The stack a command acts on (from any tree node under it, or a pick), loaded, and allowed to run the action. */
export async function lifecycleTarget(explorer: ClusterTreeProvider, node: ExplorerNode | undefined, action: LifecycleAction): Promise<StackNode | undefined> {
  const stack = await stackOrPick(explorer, node, ACTION_TITLES[action]);
  if (!stack) return undefined;
  explorer.refresh(stack);
  try {
    await explorer.getChildren(stack);
  } catch (e) {
    // CloudFormation answers ValidationError "Stack with id X does not exist" for a stack deleted meanwhile
    if (!/does not exist/.test(e instanceof Error ? e.message : String(e))) throw e;
    await reportStackGone(explorer, stack, 'DELETE_COMPLETE', ACTION_DOING[action]);
    return undefined;
  }
  const status = stack.cluster?.stack.status ?? stack.summary.status;
  const allowed = canRun(action, status);
  if (!allowed.ok) {
    void vscode.window.showErrorMessage(`Cannot ${action === 'scale' ? 'scale' : action} ${stack.summary.stackName}: ${allowed.reason}`);
    return undefined;
  }
  // A shut-down cluster (every master stopped) has nothing to scale or shut down: say why, and what comes first.
  if ((action === 'scale' || action === 'shutdown') && refuseWhileShutDown(stack, action === 'scale' ? 'scale the media nodes' : 'shut down')) return undefined;
  return stack;
}

/**
 * After an action on a stack failed: when the stack was deleted meanwhile (DELETE_IN_PROGRESS / DELETE_COMPLETE, or
 * CloudFormation no longer knows it), says so plainly, refreshes the tree so the stack disappears, and returns true.
 * Otherwise returns false and the caller reports the original error.
 */
export async function reportIfStackGone(app: AppContext, explorer: ClusterTreeProvider, stack: StackNode, doing: string): Promise<boolean> {
  const name = stack.summary.stackName;
  let status: string;
  try {
    status = (await stackStatus(app.session(stack.region), name)).status;
  } catch {
    return false;
  }
  if (status !== 'DELETE_COMPLETE' && status !== 'DELETE_IN_PROGRESS') return false;
  await reportStackGone(explorer, stack, status, doing);
  return true;
}

async function reportStackGone(explorer: ClusterTreeProvider, stack: StackNode, status: 'DELETE_COMPLETE' | 'DELETE_IN_PROGRESS', doing: string): Promise<void> {
  const what = status === 'DELETE_COMPLETE' ? 'no longer exists: it was deleted' : 'is being deleted (DELETE_IN_PROGRESS)';
  void vscode.window.showErrorMessage(`${stack.summary.stackName} (${stack.region}) ${what} while ${doing}. Nothing was changed; the OpenVidu HA view was refreshed.`);
  await explorer.reloadNow();
}

export class Cancelled extends Error {
  constructor() {
    super('Cancelled');
  }
}

/** Calls `check` every pollMs until it returns a value; rejects with Cancelled when the token fires. */
export async function waitFor<T>(check: () => Promise<T | undefined>, token: vscode.CancellationToken | undefined, pollMs: number): Promise<T> {
  for (;;) {
    if (token?.isCancellationRequested) throw new Cancelled();
    const v = await check();
    if (v !== undefined) return v;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, pollMs);
      token?.onCancellationRequested(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
