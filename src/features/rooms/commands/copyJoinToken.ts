import * as vscode from 'vscode';
import { validateIdentity } from '../../../openvidu/rooms';
import type { RoomsFeature } from '../feature';
import { resolveRoom } from '../pick';

const TTL_SECONDS = 600;

/**
 * Copies a join token for a room: minted locally with the stack's API key and secret (nothing is sent), valid
 * 10 minutes, for an identity the user confirms. The token is never logged or shown. Returns the identity.
 */
export async function copyJoinToken(feature: RoomsFeature, node?: unknown): Promise<string | undefined> {
  const target = await resolveRoom(feature, node, 'Copy a join token for…');
  if (!target) return undefined;
  const identity = await vscode.window.showInputBox({
    title: `Join token for room ${target.room.name} (valid ${TTL_SECONDS / 60} minutes)`,
    prompt: 'The participant identity the token joins as',
    value: `vscode-${Math.random().toString(36).slice(2, 8)}`,
    validateInput: validateIdentity,
  });
  if (!identity) return undefined;
  try {
    const token = await feature.withApi(target.stack, (api) => api.joinToken(target.room.name, identity.trim(), TTL_SECONDS));
    await vscode.env.clipboard.writeText(token);
  } catch (e) {
    void vscode.window.showErrorMessage(`Could not make a join token: ${feature.describe(e, target.stack)}`);
    return undefined;
  }
  feature.app.output.info(`[${target.stack.region}] ${target.stack.summary.stackName}: join token for room ${target.room.name} (identity ${identity.trim()}) copied.`);
  void vscode.window.showInformationMessage(`Join token for room ${target.room.name} as ${identity.trim()} copied (valid ${TTL_SECONDS / 60} minutes).`);
  return identity.trim();
}
