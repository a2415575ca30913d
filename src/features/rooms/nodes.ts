/** The "Rooms" row under each ready cluster, its rooms, and each room's participants. */
import * as vscode from 'vscode';
import { type ContributedNode, type ExplorerNode, type StackNode, type StackTarget, MessageNode } from '../explorer';
import { stackPhase } from '../../openvidu/cluster';
import { participantDescription, roomDescription, roomsSummary, type LiveParticipant, type LiveRoom } from '../../openvidu/rooms';
import { ContextValues } from '../../constants';
import type { RoomsFeature } from './feature';

/** Rooms are shown for clusters that are up: complete (or updated), credentials generated, a master running. */
export function showsRooms(stack: StackNode): boolean {
  const c = stack.cluster;
  if (!c || !c.secret.generated) return false;
  const phase = stackPhase(c.stack.status);
  if (phase !== 'complete') return false;
  return c.masters.some((m) => m.state === 'running');
}

export class RoomsNode implements ContributedNode {
  readonly kind = 'contributed';
  readonly role = 'rooms';
  constructor(
    readonly feature: RoomsFeature,
    readonly stackNode: StackNode,
  ) {}
  get id(): string {
    return `${this.stackNode.id}:rooms`;
  }
  parent(): StackNode {
    return this.stackNode;
  }
  /** the Rooms row means its cluster */
  toTarget(): StackTarget {
    return this.stackNode.toTarget();
  }
  treeItem(): vscode.TreeItem {
    const state = this.feature.rows.get(this.id);
    const item = new vscode.TreeItem('Rooms', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = state?.error ? 'LiveKit API unreachable' : state?.rooms ? roomsSummary(state.rooms) : undefined;
    item.tooltip = 'Live rooms, from the cluster\'s LiveKit API (read while this row is expanded and the view visible).';
    item.iconPath = new vscode.ThemeIcon('comment-discussion');
    item.contextValue = ContextValues.rooms;
    return item;
  }
  async children(): Promise<ExplorerNode[]> {
    const f = this.feature;
    const state = f.row(this.id);
    state.node = this;
    if (state.reuseOnce && (state.rooms || state.error)) state.reuseOnce = false;
    else {
      const before = this.treeItem().description;
      try {
        // one ListRooms call per refresh: counts and recording flags come with the rooms
        state.rooms = await f.withApi(this.stackNode, (api) => api.listRooms());
        state.error = undefined;
      } catch (e) {
        state.error = f.describe(e, this.stackNode);
        state.rooms = undefined;
      }
      if (this.treeItem().description !== before) {
        state.reuseOnce = true;
        f.explorer.redraw(this);
      }
    }
    f.armRefresh(this.id, () => f.explorer.redraw(this));
    if (state.error) return [new MessageNode(this, `Could not list rooms: ${state.error}`, 'warning')];
    if (!state.rooms?.length) return [new MessageNode(this, 'No live rooms', 'info')];
    const now = Date.now();
    return [...state.rooms].sort((a, b) => a.name.localeCompare(b.name)).map((r) => new RoomNode(this, r, now));
  }
}

export class RoomNode implements ContributedNode {
  readonly kind = 'contributed';
  readonly role = 'room';
  constructor(
    readonly roomsNode: RoomsNode,
    readonly room: LiveRoom,
    private readonly now: number,
  ) {}
  get stackNode(): StackNode {
    return this.roomsNode.stackNode;
  }
  get id(): string {
    return `${this.roomsNode.id}:${this.room.name}`;
  }
  parent(): RoomsNode {
    return this.roomsNode;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.room.name, this.room.participants ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = roomDescription(this.room, this.now);
    item.tooltip = `Room ${this.room.name} (${this.room.sid})`;
    item.iconPath = new vscode.ThemeIcon(this.room.recording ? 'record' : 'comment');
    item.contextValue = this.room.recording ? ContextValues.roomRecording : ContextValues.room;
    return item;
  }
  async children(): Promise<ExplorerNode[]> {
    try {
      const people = await this.roomsNode.feature.withApi(this.stackNode, (api) => api.listParticipants(this.room.name));
      const now = Date.now();
      return people.map((p) => new ParticipantNode(this, p, now));
    } catch (e) {
      return [new MessageNode(this, `Could not list participants: ${this.roomsNode.feature.describe(e, this.stackNode)}`, 'warning')];
    }
  }
}

export class ParticipantNode implements ContributedNode {
  readonly kind = 'contributed';
  readonly role = 'participant';
  constructor(
    readonly roomNode: RoomNode,
    readonly participant: LiveParticipant,
    private readonly now: number,
  ) {}
  get id(): string {
    return `${this.roomNode.id}:p:${this.participant.identity}`;
  }
  parent(): RoomNode {
    return this.roomNode;
  }
  treeItem(): vscode.TreeItem {
    const p = this.participant;
    const item = new vscode.TreeItem(p.name && p.name !== p.identity ? `${p.name} (${p.identity})` : p.identity, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = participantDescription(p, this.now);
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = ContextValues.participant;
    return item;
  }
}

export type RoomsTreeNode = RoomsNode | RoomNode | ParticipantNode;

export function isRoomsTreeNode(n: unknown): n is RoomsTreeNode {
  return n instanceof RoomsNode || n instanceof RoomNode || n instanceof ParticipantNode;
}
