import * as vscode from 'vscode';
import type { RoomsFeature } from '../feature';
import { refreshRooms, resolveParticipant } from '../pick';

export const REMOVE_ACTION = 'Remove Participant';

/** Removes a participant from its room after a confirmation (LiveKit RemoveParticipant). True when removed. */
export async function removeParticipant(feature: RoomsFeature, node?: unknown): Promise<boolean> {
  const t = await resolveParticipant(feature, node, 'Remove a participant from…');
  if (!t) return false;
  const who = t.participant.identity;
  const go = await vscode.window.showWarningMessage(
    `Remove ${who} from room ${t.room.name} on ${t.stack.summary.stackName}?`,
    { modal: true, detail: 'They are disconnected now. They can join again while their token is valid.' },
    REMOVE_ACTION,
  );
  if (go !== REMOVE_ACTION) return false;
  try {
    await feature.withApi(t.stack, (api) => api.removeParticipant(t.room.name, who));
  } catch (e) {
    void vscode.window.showErrorMessage(feature.describe(e, t.stack));
    return false;
  }
  feature.app.output.info(`[${t.stack.region}] ${t.stack.summary.stackName}: removed ${who} from room ${t.room.name}.`);
  void vscode.window.showInformationMessage(`${who} was removed from ${t.room.name}.`);
  refreshRooms(feature, t);
  return true;
}
