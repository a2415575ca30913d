/**
 * The Rooms row under a ready cluster, against the emulated cluster's LiveKit API: one ListRooms call per
 * refresh (not one per room), participants as children, refreshed only while the view is visible, and the room
 * actions (join token, remove participant, end room, stop egress) change what the API reports.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startTestbed, stackNode, fake, type Testbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import { addRooms, clusterLive } from '../emulator/livekit';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { ExplorerNode } from '../../src/features/explorer/treeNodes';
import { RoomsFeature } from '../../src/features/rooms/feature';
import { attachRooms } from '../../src/features/rooms';
import { copyJoinToken } from '../../src/features/rooms/commands/copyJoinToken';
import { removeParticipant, REMOVE_ACTION } from '../../src/features/rooms/commands/removeParticipant';
import { endRoom, END_ACTION } from '../../src/features/rooms/commands/endRoom';
import { stopEgress, STOP_ACTION } from '../../src/features/rooms/commands/stopEgress';

let bed: Testbed;
let secret: string;
const calls = () => clusterLive(bed.emu.world, 'eu-west-1', 'ov-rooms').calls;

before(async () => {
  bed = await startTestbed({ clusterUrlsInSecret: true });
  await createOpenViduStack(bed.emu, { name: 'ov-rooms', mediaNodes: 2 });
  bed.emu.world.tick();
  await bed.emu.clusters.address('eu-west-1', 'ov-rooms');
  secret = (JSON.parse(bed.emu.world.region('eu-west-1').secrets.get('openvidu-ha-eu-west-1-ov-rooms')!.secretString) as Record<string, string>).LIVEKIT_API_SECRET;
  addRooms(bed.emu.world, 'eu-west-1', 'ov-rooms', [
    { name: 'standup', participants: ['alice', 'bob', 'carol'], recording: true },
    { name: 'support', participants: ['agent', 'customer'] },
    { name: 'webinar', participants: ['host', 'v1', 'v2', 'v3'] },
  ]);
});
after(() => bed.stop());

function setup(refreshMs = 60_000) {
  const provider = new ClusterTreeProvider(bed.app);
  const feature = new RoomsFeature(bed.app, provider, { refreshMs });
  const sub = attachRooms(feature);
  return {
    provider,
    feature,
    dispose() {
      sub.dispose();
      feature.dispose();
      provider.dispose();
    },
  };
}

async function roomsRow(provider: ClusterTreeProvider): Promise<ExplorerNode> {
  const stack = await stackNode(provider, 'ov-rooms');
  const rows = await provider.getChildren(stack);
  const rooms = rows.find((r) => provider.getTreeItem(r).label === 'Rooms');
  assert.ok(rooms, `a Rooms row under the stack: ${rows.map((r) => provider.getTreeItem(r).label).join(', ')}`);
  return rooms;
}

const label = (p: ClusterTreeProvider, n: ExplorerNode) => String(p.getTreeItem(n).label);
const description = (p: ClusterTreeProvider, n: ExplorerNode) => String(p.getTreeItem(n).description ?? '');

test('the Rooms row lists rooms in one call per refresh and expands to participants', async () => {
  const { provider, dispose } = setup();
  try {
    const rooms = await roomsRow(provider);
    // LiveKit reports wall-clock times; the emulator's clock ran ahead while the stack was created
    const standupRoom = clusterLive(bed.emu.world, 'eu-west-1', 'ov-rooms').rooms.get('standup')!;
    standupRoom.createdAt = Date.now() - 12 * 60_000 - 5000;
    standupRoom.participants.get('alice')!.joinedAt = Date.now() - 5 * 60_000 - 5000;
    calls().length = 0;
    const list = await provider.getChildren(rooms);
    assert.deepEqual(calls(), ['livekit.RoomService/ListRooms'], 'one list call for three rooms');
    assert.deepEqual(list.map((n) => label(provider, n)), ['standup', 'support', 'webinar']);
    const standup = list[0];
    assert.match(description(provider, standup), /^3 participants · 3 publishing · 12 min · recording$/);
    assert.equal(provider.getTreeItem(standup).contextValue, 'room.recording');
    assert.equal(provider.getTreeItem(list[1]).contextValue, 'room.live');
    assert.match(description(provider, rooms), /^3 rooms · 9 participants · 1 recording$/);
    const people = await provider.getChildren(standup);
    assert.deepEqual(people.map((n) => label(provider, n)), ['alice', 'bob', 'carol']);
    assert.match(description(provider, people[0]), /^microphone, camera · joined 5 min ago$/);
    assert.equal(provider.getTreeItem(people[0]).contextValue, 'participant');
    // the row's counts changed, so it was redrawn: the view asks for its children again, answered from what was read
    calls().length = 0;
    await provider.getChildren(rooms);
    assert.deepEqual(calls(), []);
    // the next refresh is again one call
    await provider.getChildren(rooms);
    assert.deepEqual(calls(), ['livekit.RoomService/ListRooms']);
  } finally {
    dispose();
  }
});

test('an expanded Rooms row refreshes by itself only while the view is visible', async () => {
  const { provider, feature, dispose } = setup(30);
  try {
    const rooms = await roomsRow(provider);
    const redraws: unknown[] = [];
    provider.onDidChangeTreeData((n) => redraws.push(n));
    provider.setVisible(false);
    await provider.getChildren(rooms);
    redraws.length = 0; // the first load redraws the row once, with its counts
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(redraws.filter((n) => n === rooms).length, 0, 'hidden: no refresh');
    assert.equal(feature.rows.get(rooms.id)?.stale, true);
    provider.setVisible(true);
    await provider.getChildren(rooms);
    await new Promise((r) => setTimeout(r, 120));
    assert.ok(redraws.filter((n) => n === rooms).length >= 1, 'visible: the row is read again');
  } finally {
    provider.setVisible(false);
    dispose();
  }
});

test('remove participant and end room change what the API reports; both ask first', async () => {
  const { provider: p2, feature, dispose: d2 } = setup();
  try {
    const rooms = await roomsRow(p2);
    const [, support] = await p2.getChildren(rooms);
    const [agent] = await p2.getChildren(support);
    fake.answers.message.push(undefined as never);
    assert.equal(await removeParticipant(feature, agent), false);
    assert.ok(clusterLive(bed.emu.world, 'eu-west-1', 'ov-rooms').rooms.get('support')!.participants.has('agent'));
    const confirm = fake.recorded.notifications.at(-1)!;
    assert.match(confirm.message, /^Remove agent from room support on ov-rooms\?/);
    fake.answers.message.push(REMOVE_ACTION);
    assert.equal(await removeParticipant(feature, agent), true);
    assert.deepEqual([...clusterLive(bed.emu.world, 'eu-west-1', 'ov-rooms').rooms.get('support')!.participants.keys()], ['customer']);
    fake.answers.message.push(END_ACTION);
    assert.equal(await endRoom(feature, support), true);
    const after = await p2.getChildren(rooms);
    assert.deepEqual(after.map((n) => label(p2, n)), ['standup', 'webinar']);
  } finally {
    d2();
  }
});

test('stop egress stops the room recording; the join token is minted locally and never shown', async () => {
  const { provider, feature, dispose } = setup();
  try {
    const rooms = await roomsRow(provider);
    const [standup] = await provider.getChildren(rooms);
    fake.answers.message.push(STOP_ACTION);
    assert.equal(await stopEgress(feature, standup), true);
    assert.deepEqual([...clusterLive(bed.emu.world, 'eu-west-1', 'ov-rooms').egress.values()].map((e) => e.status), ['EGRESS_COMPLETE']);
    const [again] = await provider.getChildren(rooms);
    assert.equal(provider.getTreeItem(again).contextValue, 'room.live');

    calls().length = 0;
    fake.answers.inputBox.push('tester-1');
    assert.equal(await copyJoinToken(feature, again), 'tester-1');
    assert.deepEqual(calls(), [], 'minted locally');
    const token = fake.recorded.clipboard;
    const [h, p, s] = token.split('.');
    assert.equal(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url'), s, 'signed with the stack secret');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { sub: string; video: { room: string; roomJoin: boolean }; exp: number; nbf: number };
    assert.equal(payload.sub, 'tester-1');
    assert.deepEqual([payload.video.room, payload.video.roomJoin], ['standup', true]);
    assert.ok(payload.exp - payload.nbf <= 600);
    const shown = JSON.stringify([fake.recorded.notifications, fake.recorded.output]);
    assert.ok(!shown.includes(token) && !shown.includes(secret));
    // a bad identity is refused by the input box's validation
    fake.answers.inputBox.push('bad identity; rm -rf');
    await assert.rejects(copyJoinToken(feature, again), /validateInput/);
  } finally {
    dispose();
  }
});

test('a cluster whose API is down shows why under Rooms', async () => {
  const { provider, dispose } = setup();
  try {
    const rooms = await roomsRow(provider);
    const r = bed.emu.world.region('eu-west-1');
    const stack = r.stacks.find((s) => s.stackName === 'ov-rooms')!;
    const masters = Object.values((stack.sim as { masters: Record<number, string> }).masters);
    for (const id of masters) r.instances.get(id)!.state = 'stopped';
    try {
      const out = await provider.getChildren(rooms);
      assert.match(label(provider, out[0]), /^Could not list rooms: List rooms: the connection to 127\.0\.0\.1:\d+ was reset\.$/);
      assert.equal(description(provider, rooms), 'LiveKit API unreachable');
    } finally {
      for (const id of masters) r.instances.get(id)!.state = 'running';
    }
  } finally {
    dispose();
  }
});
