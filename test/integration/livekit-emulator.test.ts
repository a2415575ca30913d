/**
 * The emulated cluster's LiveKit API through the official livekit-server-sdk clients, unmodified: each cluster
 * answers at an address of its own; rooms, participants, egress and ingress are consistent with the media
 * nodes (a terminated node's rooms go); the stack's own key and secret are required.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { RoomServiceClient, EgressClient, IngressClient, AccessToken } from 'livekit-server-sdk';
import { AppContext } from '../../src/features/shared/appContext';
import { CredentialsFeature } from '../../src/features/credentials/feature';
import { checkCredentials } from '../../src/features/credentials/commands/checkCredentials';
import { startEmulator, Emulator } from '../emulator/server';
import { addRooms, clusterLive } from '../emulator/livekit';
import { createOpenViduStack } from '../support/openviduStack';

const fake = vscode as unknown as typeof import('../fakes/vscode');
let emu: Emulator;
let url: string;
let key: string;
let secret: string;

before(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIATESTEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  emu = await startEmulator({ clusterUrlsInSecret: true });
  await createOpenViduStack(emu, { name: 'ov-live', mediaNodes: 2 });
  emu.world.tick();
  url = await emu.clusters.address('eu-west-1', 'ov-live');
  const values = JSON.parse(emu.world.region('eu-west-1').secrets.get('openvidu-ha-eu-west-1-ov-live')!.secretString) as Record<string, string>;
  key = values.LIVEKIT_API_KEY;
  secret = values.LIVEKIT_API_SECRET;
  // the secret points at the cluster's own address (the sandbox's demo domain does not resolve)
  assert.equal(values.OPENVIDU_URL, url);
  assert.equal(values.LIVEKIT_URL, url.replace('http', 'ws'));
  assert.equal(values.DOMAIN_NAME, 'openvidu.example.com');
  addRooms(emu.world, 'eu-west-1', 'ov-live', [
    { name: 'standup', participants: ['alice', 'bob', 'carol'], recording: true },
    { name: 'support', participants: ['agent', 'customer'] },
  ]);
});
after(() => emu.stop());

test('each cluster has an address of its own, listed by the control API', async () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.notEqual(new URL(url).port, new URL(emu.endpoint).port);
  const listed = (await (await fetch(`${emu.endpoint}/_emulator/clusters`)).json()) as { stackName: string; url: string }[];
  assert.deepEqual(listed.find((c) => c.stackName === 'ov-live')?.url, url);
});

test('RoomServiceClient lists rooms and participants, removes a participant and ends a room', async () => {
  const rooms = new RoomServiceClient(url, key, secret);
  const list = await rooms.listRooms();
  assert.deepEqual(list.map((r) => [r.name, r.numParticipants, r.activeRecording]).sort(), [
    ['standup', 3, true],
    ['support', 2, false],
  ]);
  const people = await rooms.listParticipants('standup');
  assert.deepEqual(people.map((p) => p.identity).sort(), ['alice', 'bob', 'carol']);
  assert.equal(people[0].tracks.length, 2);
  await rooms.removeParticipant('standup', 'bob');
  assert.deepEqual((await rooms.listParticipants('standup')).map((p) => p.identity).sort(), ['alice', 'carol']);
  await assert.rejects(rooms.removeParticipant('standup', 'bob'), (e: Error & { status?: number }) => e.status === 404);
  await rooms.deleteRoom('support');
  assert.deepEqual((await rooms.listRooms()).map((r) => r.name), ['standup']);
});

test('EgressClient lists and stops an egress; IngressClient lists', async () => {
  const egress = new EgressClient(url, key, secret);
  const active = await egress.listEgress({ active: true });
  assert.equal(active.length, 1);
  assert.equal(active[0].roomName, 'standup');
  const stopped = await egress.stopEgress(active[0].egressId);
  assert.equal(stopped.egressId, active[0].egressId);
  assert.deepEqual(await egress.listEgress({ active: true }), []);
  const ingress = new IngressClient(url, key, secret);
  assert.deepEqual(await ingress.listIngress({}), []);
});

test('a wrong secret is refused (401) and so is a token without the grant', async () => {
  await assert.rejects(new RoomServiceClient(url, key, 'not-the-secret-000000000000000000').listRooms(), (e: Error & { status?: number }) => e.status === 401);
  const token = new AccessToken(key, secret, { ttl: 60, identity: 'viewer' });
  token.addGrant({ roomJoin: true, room: 'standup' });
  const r = await fetch(new URL('twirp/livekit.RoomService/ListRooms', url), { method: 'POST', headers: { Authorization: `Bearer ${await token.toJwt()}`, 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(r.status, 403);
  assert.equal(((await r.json()) as { code: string }).code, 'permission_denied');
});

test("Check Credentials succeeds against the emulated cluster's own address (issue 13 item 14)", async () => {
  fake.resetFake();
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  const app = new AppContext({} as never);
  const feature = new CredentialsFeature(app, undefined, { pollIntervalMs: 25, checkTimeoutMs: 5000 });
  try {
    const outcomes = await checkCredentials(feature, { region: 'eu-west-1', summary: { stackName: 'ov-live' } });
    assert.deepEqual(outcomes?.map((o) => o.status), ['reachable', 'reachable'], JSON.stringify(fake.recorded.notifications));
    assert.ok(outcomes?.every((o) => o.url.startsWith(url)));
    assert.ok(!JSON.stringify(fake.recorded).includes(secret));
  } finally {
    feature.dispose();
    app.dispose();
  }
});

test("a terminated media node's rooms go", async () => {
  addRooms(emu.world, 'eu-west-1', 'ov-live', [{ name: 'doomed', participants: ['x'] }]);
  const node = clusterLive(emu.world, 'eu-west-1', 'ov-live').rooms.get('doomed')!.nodeId;
  const inst = emu.world.region('eu-west-1').instances.get(node)!;
  inst.state = 'terminated';
  const rooms = new RoomServiceClient(url, key, secret);
  const names = (await rooms.listRooms()).map((r) => r.name);
  assert.ok(!names.includes('doomed'), names.join());
  for (const r of clusterLive(emu.world, 'eu-west-1', 'ov-live').rooms.values()) assert.notEqual(r.nodeId, node);
});
