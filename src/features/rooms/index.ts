/** Registers the Rooms rows under each ready cluster and the room commands (join token, remove, end, stop egress). */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { AppContext } from '../shared/appContext';
import type { Explorer } from '../explorer';
import { RoomsFeature, type RoomsOptions } from './feature';
import { RoomsNode, showsRooms } from './nodes';
import { copyJoinToken } from './commands/copyJoinToken';
import { removeParticipant } from './commands/removeParticipant';
import { endRoom } from './commands/endRoom';
import { stopEgress } from './commands/stopEgress';
import { answerConfirmationsWith } from './liveTraffic';

export { RoomsFeature } from './feature';
export { liveTrafficNote, liveTrafficOf, answerConfirmationsWith } from './liveTraffic';
export type { LiveTraffic } from '../../openvidu/rooms';

/** Adds the Rooms row to the explorer's ready stacks (also used by tests without a view). */
export function attachRooms(feature: RoomsFeature): vscode.Disposable {
  return feature.explorer.addStackChildren((stack) => (showsRooms(stack) ? [new RoomsNode(feature, stack)] : []));
}

export function registerRooms(app: AppContext, context: vscode.ExtensionContext, explorer: Explorer, options: RoomsOptions = {}): RoomsFeature {
  const feature = new RoomsFeature(app, explorer.provider, options);
  context.subscriptions.push(
    feature,
    attachRooms(feature),
    answerConfirmationsWith(feature),
    explorer.view.onDidChangeVisibility((e) => {
      if (e.visible) feature.viewShown((id) => {
        const n = feature.rows.get(id)?.node;
        if (n instanceof RoomsNode) explorer.provider.redraw(n);
      });
    }),
    vscode.commands.registerCommand(Commands.copyJoinToken, (node) => copyJoinToken(feature, node)),
    vscode.commands.registerCommand(Commands.removeParticipant, (node) => removeParticipant(feature, node)),
    vscode.commands.registerCommand(Commands.endRoom, (node) => endRoom(feature, node)),
    vscode.commands.registerCommand(Commands.stopEgress, (node) => stopEgress(feature, node)),
  );
  return feature;
}
