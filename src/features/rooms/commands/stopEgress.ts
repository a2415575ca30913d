import * as vscode from 'vscode';
import type { RoomsFeature } from '../feature';
import type { EgressSummary } from '../../../aws/liveKitApi';
import { formatAge } from '../../../openvidu/rooms';
import { refreshRooms, resolveRoom } from '../pick';

export const STOP_ACTION = 'Stop Recording';

/** Stops a room's egress (recording or stream) after a confirmation; a pick when there are several. */
export async function stopEgress(feature: RoomsFeature, node?: unknown): Promise<boolean> {
  const t = await resolveRoom(feature, node, 'Stop a recording of…');
  if (!t) return false;
  let active: EgressSummary[];
  try {
    active = await feature.withApi(t.stack, (api) => api.listActiveEgress(t.room.name));
  } catch (e) {
    void vscode.window.showErrorMessage(feature.describe(e, t.stack));
    return false;
  }
  if (!active.length) {
    void vscode.window.showInformationMessage(`Room ${t.room.name} has no recording or stream in progress.`);
    refreshRooms(feature, t);
    return false;
  }
  const now = Date.now();
  const egress =
    active.length === 1
      ? active[0]
      : (await vscode.window.showQuickPick(active.map((e) => ({ label: e.egressId, description: e.startedAt ? `started ${formatAge(now - e.startedAt)} ago` : '', e })), { title: `Stop which egress of ${t.room.name}?` }))?.e;
  if (!egress) return false;
  const go = await vscode.window.showWarningMessage(
    `Stop egress ${egress.egressId} of room ${t.room.name}?`,
    { modal: true, detail: 'The recording or stream ends now; what was recorded so far is kept. The room and its participants stay.' },
    STOP_ACTION,
  );
  if (go !== STOP_ACTION) return false;
  try {
    await feature.withApi(t.stack, (api) => api.stopEgress(egress.egressId));
  } catch (e) {
    void vscode.window.showErrorMessage(feature.describe(e, t.stack));
    return false;
  }
  feature.app.output.info(`[${t.stack.region}] ${t.stack.summary.stackName}: stopped egress ${egress.egressId} of room ${t.room.name}.`);
  void vscode.window.showInformationMessage(`Egress ${egress.egressId} of ${t.room.name} stopped.`);
  refreshRooms(feature, t);
  return true;
}
