/**
 * Reads a stack's credentials for a command. When the cluster has not generated them yet, says so and offers
 * to wait: the secret is read again every 10 s under a cancellable progress notification. Errors become one
 * sentence (through AppContext.describeError); no value ever reaches a message or the output channel.
 */
import * as vscode from 'vscode';
import { readClusterSecret } from '../../aws/clusterSecret';
import { credentialsFromSecret, type ClusterCredentials } from '../../openvidu/credentials';
import { stackPhase } from '../../openvidu/cluster';
import type { CredentialsFeature, StackRef } from './feature';
import type { AppContext } from '../shared/appContext';

export const WAIT_ACTION = 'Wait for Them';

/**
 * Whether reading the secret failed because it is gone: deleted (`ResourceNotFoundException`, "Secrets Manager
 * can't find the resource that you asked for") or scheduled for deletion (`InvalidRequestException`, "You
 * tried to perform the operation on a secret that's currently marked deleted"): GetSecretValue, Errors, in the
 * Secrets Manager API reference. Either way the stack that owns it is most likely being deleted or gone.
 */
export function isSecretGone(e: unknown): boolean {
  const name = (e as Error | undefined)?.name;
  return name === 'ResourceNotFoundException' || (name === 'InvalidRequestException' && /marked (for )?delet/i.test((e as Error).message ?? ''));
}

/** Tells the user the stack may be gone and refreshes the explorer, so a deleted stack leaves the tree. */
function reportSecretGone(feature: CredentialsFeature, stack: StackRef, prefix: string, e: unknown): void {
  const name = stack.summary.stackName;
  feature.app.output.warn(`[${stack.region}] ${name}: the cluster secret is gone (${(e as Error).name}); refreshing the view.`);
  void vscode.window.showErrorMessage(
    `${prefix} ${name}: its secret no longer exists, so the stack may have been deleted (or is being deleted). The OpenVidu HA view was refreshed; if the stack is still listed, check it in the CloudFormation console.`,
  );
  feature.explorer?.refresh();
}

async function readOnce(feature: CredentialsFeature, stack: StackRef, signal?: AbortSignal): Promise<ClusterCredentials> {
  return readStackCredentials(feature.app, stack, signal);
}

/** One read of a stack's credentials, without any prompt (other features: the Rooms node, confirmations). */
export async function readStackCredentials(app: AppContext, stack: StackRef, signal?: AbortSignal): Promise<ClusterCredentials> {
  const secret = await readClusterSecret(app.session(stack.region), stack.summary.stackName, signal);
  return credentialsFromSecret(secret.values);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * The stack's credentials when ready, or undefined (not ready and the user did not wait / cancelled, or an
 * error that was already shown).
 */
export async function loadReadyCredentials(feature: CredentialsFeature, stack: StackRef): Promise<ClusterCredentials | undefined> {
  const name = stack.summary.stackName;
  // A stack that failed or rolled back: its secret will not be generated now, so waiting would be a false promise.
  const failed = failedStatus(stack);
  if (failed && stack.cluster && !stack.cluster.secret.generated) return refuseNeverGenerated(name, failed);
  let creds: ClusterCredentials;
  try {
    creds = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the credentials of ${name}…` }, () => readOnce(feature, stack));
  } catch (e) {
    if (failed && isSecretGone(e)) return refuseNeverGenerated(name, failed);
    if (isSecretGone(e)) reportSecretGone(feature, stack, 'Could not read the credentials of', e);
    else void vscode.window.showErrorMessage(`Could not read the credentials of ${name}: ${feature.app.describeError(e, stack.region)}`);
    return undefined;
  }
  if (creds.readiness.ready) return creds;
  if (failed) return refuseNeverGenerated(name, failed);

  feature.app.output.info(`[${stack.region}] ${name}: credentials not ready yet (${creds.readiness.noneKeys.length} keys still "none").`);
  const choice = await vscode.window.showWarningMessage(
    `${name}: the cluster is still generating its credentials. ${creds.readiness.flag ? (creds.readiness.reason ?? '') : 'Master node 1 fills them in a few minutes after it starts.'}`.trim(),
    WAIT_ACTION,
  );
  if (choice !== WAIT_ACTION) return undefined;
  return waitForCredentials(feature, stack);
}

/** The stack's status when it failed or rolled back (as the tree last read it), else undefined. */
function failedStatus(stack: StackRef): string | undefined {
  const status = stack.cluster?.stack.status ?? stack.summary.status;
  if (!status) return undefined;
  const phase = stackPhase(status);
  return phase === 'failed' || phase === 'rolledBack' ? status : undefined;
}

function refuseNeverGenerated(name: string, status: string): undefined {
  void vscode.window.showErrorMessage(
    `${name} has no credentials: its creation failed (${status}) before master node 1 generated them, and they will not be generated now. Delete the stack and deploy again (the stack's rows list what to read first).`,
  );
  return undefined;
}

/** Polls until ready, cancelled, or an error; undefined unless ready. */
export async function waitForCredentials(feature: CredentialsFeature, stack: StackRef): Promise<ClusterCredentials | undefined> {
  const name = stack.summary.stackName;
  const started = Date.now();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Waiting for the credentials of ${name}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        for (let attempt = 1; !abort.signal.aborted; attempt++) {
          await sleep(feature.pollIntervalMs, abort.signal);
          if (abort.signal.aborted) break;
          let creds: ClusterCredentials;
          try {
            creds = await readOnce(feature, stack, abort.signal);
          } catch (e) {
            if (abort.signal.aborted) break;
            if (isSecretGone(e)) reportSecretGone(feature, stack, 'Stopped waiting for the credentials of', e);
            else void vscode.window.showErrorMessage(`Stopped waiting for the credentials of ${name}: ${feature.app.describeError(e, stack.region)}`);
            return undefined;
          }
          if (creds.readiness.ready) {
            feature.app.output.info(`[${stack.region}] ${name}: credentials ready after ${attempt} checks.`);
            return creds;
          }
          progress.report({ message: `still generating (checked ${attempt}× in ${Math.round((Date.now() - started) / 1000)} s)` });
        }
        void vscode.window.showInformationMessage(`Stopped waiting for the credentials of ${name}.`);
        return undefined;
      } finally {
        sub.dispose();
      }
    },
  );
}
