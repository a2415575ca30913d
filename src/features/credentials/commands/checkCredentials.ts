import * as vscode from 'vscode';
import type { ExplorerNode } from '../../explorer';
import type { CheckOutcome } from '../../../openvidu/credentialCheck';
import type { CredentialsFeature, StackRef } from '../feature';
import { loadReadyCredentials } from '../loadCredentials';

/**
 * Calls the cluster with its own credentials (LiveKit ListRooms, OpenVidu v2 /openvidu/api/config) and reports
 * reachable / rejected / unreachable with the reason for each. Returns the outcomes (tests, other features).
 */
export async function checkCredentials(feature: CredentialsFeature, node?: ExplorerNode | StackRef): Promise<CheckOutcome[] | undefined> {
  const stack = await feature.resolveStack(node, 'Check the credentials of…');
  if (!stack) return undefined;
  const creds = await loadReadyCredentials(feature, stack);
  if (!creds?.livekit || !creds.openviduV2) return undefined;
  const name = stack.summary.stackName;
  // Loaded on first use: livekit-server-sdk (protobuf, jose) is not needed at activation.
  const { checkLiveKit, checkOpenViduV2, formatOutcome } = await import('../../../openvidu/credentialCheck');
  const outcomes = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Checking the credentials of ${name}…`, cancellable: true },
    async (_p, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        return await Promise.all([checkLiveKit(creds.livekit!, { signal: abort.signal, timeoutMs: feature.checkTimeoutMs }), checkOpenViduV2(creds.openviduV2!, { signal: abort.signal, timeoutMs: feature.checkTimeoutMs })]);
      } finally {
        sub.dispose();
      }
    },
  );
  for (const o of outcomes) feature.app.output.info(`[${stack.region}] ${name}: ${formatOutcome(o)} (${o.url})`);
  const allGood = outcomes.every((o) => o.status === 'reachable');
  const text = `${name}: ${outcomes.map(formatOutcome).join(' ')}`;
  if (allGood) void vscode.window.showInformationMessage(text);
  else void vscode.window.showWarningMessage(text);
  return outcomes;
}
