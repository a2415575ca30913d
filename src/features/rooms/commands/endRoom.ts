import * as vscode from 'vscode';
import type { RoomsFeature } from '../feature';
import { refreshRooms, resolveRoom } from '../pick';

export const END_ACTION = 'End Room';

/** Ends a room for everyone after a confirmation (LiveKit DeleteRoom). True when ended. */
export async function endRoom(feature: RoomsFeature, node?: unknown): Promise<boolean> {
  const t = await resolveRoom(feature, node, 'End a room on…');
  if (!t) return false;
  const n = t.room.participants;
  const go = await vscode.window.showWarningMessage(
    `End room ${t.room.name} on ${t.stack.summary.stackName}?`,
    { modal: true, detail: `${n} participant${n === 1 ? ' is' : 's are'} disconnected${t.room.recording ? ' and its recording stops' : ''}. Anyone with a valid token can start the room again by joining.` },
    END_ACTION,
  );
  if (go !== END_ACTION) return false;
  try {
    await feature.withApi(t.stack, (api) => api.deleteRoom(t.room.name));
  } catch (e) {
    void vscode.window.showErrorMessage(feature.describe(e, t.stack));
    return false;
  }
  feature.app.output.info(`[${t.stack.region}] ${t.stack.summary.stackName}: ended room ${t.room.name}.`);
  void vscode.window.showInformationMessage(`Room ${t.room.name} ended.`);
  refreshRooms(feature, t);
  return true;
}
