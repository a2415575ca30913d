/** The room / participant a command works on: the tree row, or quick picks (stack, room, participant) from the palette. */
import * as vscode from 'vscode';
import { stackOrPick, type StackNode } from '../explorer';
import type { LiveParticipant, LiveRoom } from '../../openvidu/rooms';
import { roomDescription, participantDescription } from '../../openvidu/rooms';
import type { RoomsFeature } from './feature';
import { ParticipantNode, RoomNode, RoomsNode } from './nodes';

export interface RoomTarget {
  stack: StackNode;
  room: LiveRoom;
  /** the Rooms row to refresh afterwards, when the command came from the tree */
  rooms?: RoomsNode;
}

export async function resolveRoom(feature: RoomsFeature, node: unknown, title: string): Promise<RoomTarget | undefined> {
  if (node instanceof RoomNode) return { stack: node.stackNode, room: node.room, rooms: node.roomsNode };
  // the Rooms row means its cluster (its toTarget); from the palette, a picked stack
  const stack = await stackOrPick(feature.explorer, node, title);
  if (!stack) return undefined;
  let rooms: LiveRoom[];
  try {
    rooms = await feature.withApi(stack, (api) => api.listRooms());
  } catch (e) {
    void vscode.window.showErrorMessage(`${title}: ${feature.describe(e, stack)}`);
    return undefined;
  }
  if (!rooms.length) {
    void vscode.window.showInformationMessage(`${stack.summary.stackName} has no live rooms.`);
    return undefined;
  }
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    rooms.map((r) => ({ label: r.name, description: roomDescription(r, now), room: r })),
    { title, placeHolder: 'Room' },
  );
  return picked && { stack, room: picked.room, rooms: node instanceof RoomsNode ? node : undefined };
}

export interface ParticipantTarget extends RoomTarget {
  participant: LiveParticipant;
}

export async function resolveParticipant(feature: RoomsFeature, node: unknown, title: string): Promise<ParticipantTarget | undefined> {
  if (node instanceof ParticipantNode) return { stack: node.roomNode.stackNode, room: node.roomNode.room, rooms: node.roomNode.roomsNode, participant: node.participant };
  const target = await resolveRoom(feature, node, title);
  if (!target) return undefined;
  let people: LiveParticipant[];
  try {
    people = await feature.withApi(target.stack, (api) => api.listParticipants(target.room.name));
  } catch (e) {
    void vscode.window.showErrorMessage(`${title}: ${feature.describe(e, target.stack)}`);
    return undefined;
  }
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    people.map((p) => ({ label: p.identity, description: participantDescription(p, now), participant: p })),
    { title, placeHolder: 'Participant' },
  );
  return picked && { ...target, participant: picked.participant };
}

/** Show the change: read the Rooms row again (the next children() call asks the API). */
export function refreshRooms(feature: RoomsFeature, target: RoomTarget): void {
  if (!target.rooms) return;
  const row = feature.row(target.rooms.id);
  row.reuseOnce = false;
  feature.explorer.redraw(target.rooms);
}
