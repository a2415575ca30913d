import * as vscode from 'vscode';
import { loadStackEvents } from '../../../aws/clusterApi';
import { deleteStack, stackResources, stackStatus } from '../../../aws/lifecycleApi';
import { deletionImpact } from '../../../openvidu/lifecycle';
import { firstFailure } from '../../../openvidu/stackEvents';
import type { ClusterTreeProvider, ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';
import { Cancelled, LifecycleOptions, lifecycleTarget, waitFor } from '../common';
import { quoteInput } from '../../../openvidu/inputText';
import { liveTrafficNote } from '../../rooms';

export interface DeleteResult {
  status: 'deleted' | 'failed' | 'cancelled';
  reason?: string;
  retainedBuckets: string[];
}

/**
 * Delete a deployment: confirmation by typing the stack name, listing what survives (the retained S3 buckets,
 * by name) and what is lost; then follow DELETE_IN_PROGRESS to the end, or show why it failed.
 */
export async function deleteDeployment(app: AppContext, explorer: ClusterTreeProvider, node?: ExplorerNode, options: LifecycleOptions & { typedName?: string } = {}): Promise<DeleteResult | undefined> {
  const stack = await lifecycleTarget(explorer, node, 'delete');
  if (!stack) return undefined;
  const name = stack.summary.stackName;
  const session = app.session(stack.region);
  let impact;
  try {
    impact = deletionImpact(await stackResources(session, name));
  } catch (e) {
    void vscode.window.showErrorMessage(app.describeError(e, stack.region));
    return undefined;
  }
  const typed =
    options.typedName ??
    (await vscode.window.showInputBox({
      title: `Delete ${name} (${stack.region})`,
      prompt: [`Lost: ${impact.lost.join('; ')}.`, impact.retained.length ? `Kept: ${impact.retained.join('; ')}.` : '', await liveTrafficNote(stack)].join(' ').trim(),
      placeHolder: `Type ${name} to confirm`,
      validateInput: (v) => (v === name ? undefined : `Type the stack name "${name}" exactly to confirm the deletion.`),
    }));
  if (typed === undefined) return undefined;
  if (typed !== name) {
    void vscode.window.showErrorMessage(`Not deleted: the typed name ${quoteInput(typed)} is not "${name}".`);
    return undefined;
  }
  const retainedBuckets = impact.retained.map((r) => /^S3 bucket (\S+)/.exec(r)?.[1] ?? r);
  try {
    await deleteStack(session, name);
  } catch (e) {
    void vscode.window.showErrorMessage(`Deleting ${name} failed: ${app.describeError(e, stack.region)}`);
    return { status: 'failed', reason: app.describeError(e, stack.region), retainedBuckets };
  }
  explorer.refresh(stack.regionNode);
  let result: DeleteResult;
  try {
    // Not cancellable: CloudFormation has no way to cancel a stack deletion (CancelUpdateStack applies to updates
    // only), so a Cancel button would promise what it cannot do. The notification can still be hidden.
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting ${name}`, cancellable: false }, async (progress, token) => {
      const final = await waitFor(
        async () => {
          const s = await stackStatus(session, name);
          progress.report({ message: s.status === 'DELETE_COMPLETE' ? 'deleted' : s.status === 'DELETE_IN_PROGRESS' ? 'CloudFormation is deleting the resources (DELETE_IN_PROGRESS)…' : s.status });
          return s.status === 'DELETE_COMPLETE' || s.status === 'DELETE_FAILED' ? s : undefined;
        },
        token,
        options.pollMs ?? 10_000,
      );
      if (final.status === 'DELETE_COMPLETE') return { status: 'deleted' as const, retainedBuckets };
      const failure = firstFailure(await loadStackEvents(session, name).catch(() => []));
      return { status: 'failed' as const, reason: failure ? `${failure.LogicalResourceId}: ${failure.ResourceStatusReason}` : final.reason, retainedBuckets };
    });
  } catch (e) {
    if (e instanceof Cancelled) {
      void vscode.window.showInformationMessage(`${name} keeps deleting in AWS; the explorer shows its progress.`);
      return { status: 'cancelled', retainedBuckets };
    }
    throw e;
  }
  explorer.refresh(stack.regionNode);
  if (result.status === 'deleted') {
    void vscode.window.showInformationMessage(
      `${name} is deleted.${retainedBuckets.length ? ` Retained S3 buckets: ${retainedBuckets.join(', ')} (empty and delete them by hand if no longer needed).` : ''}`,
    );
  } else {
    void vscode.window.showErrorMessage(`Deleting ${name} failed: ${result.reason ?? 'see the stack events'}. Fix the cause and delete again.`);
  }
  return result;
}
