/**
 * Reads a stack's credentials for a command. When the cluster has not generated them yet, says so and offers
 * to wait: the secret is read again every 10 s under a cancellable progress notification. Errors become one
 * sentence (through AppContext.describeError); no value ever reaches a message or the output channel.
 */
import * as vscode from 'vscode';
import { readClusterSecret } from '../../aws/clusterSecret';
import { credentialsFromSecret, type ClusterCredentials } from '../../openvidu/credentials';
import type { CredentialsFeature, StackRef } from './feature';

export const WAIT_ACTION = 'Wait for Them';

async function readOnce(feature: CredentialsFeature, stack: StackRef, signal?: AbortSignal): Promise<ClusterCredentials> {
  const secret = await readClusterSecret(feature.app.session(stack.region), stack.summary.stackName, signal);
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
  let creds: ClusterCredentials;
  try {
    creds = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the credentials of ${name}…` }, () => readOnce(feature, stack));
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not read the credentials of ${name}: ${feature.app.describeError(e, stack.region)}`);
    return undefined;
  }
  if (creds.readiness.ready) return creds;

  feature.app.output.info(`[${stack.region}] ${name}: credentials not ready yet (${creds.readiness.noneKeys.length} keys still "none").`);
  const choice = await vscode.window.showWarningMessage(
    `${name}: the cluster is still generating its credentials. ${creds.readiness.flag ? (creds.readiness.reason ?? '') : 'Master node 1 fills them in a few minutes after it starts.'}`.trim(),
    WAIT_ACTION,
  );
  if (choice !== WAIT_ACTION) return undefined;
  return waitForCredentials(feature, stack);
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
            void vscode.window.showErrorMessage(`Stopped waiting for the credentials of ${name}: ${feature.app.describeError(e, stack.region)}`);
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
