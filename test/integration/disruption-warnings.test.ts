/**
 * Disruptive operations say what is live before the user agrees: shut down, scale in, restart and delete
 * name the live rooms and participants (from the cluster's LiveKit API), or say that they could not check.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestbed, stackNode, fake, type Testbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import { addRooms } from '../emulator/livekit';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { RoomsFeature, answerConfirmationsWith } from '../../src/features/rooms';
import { shutDownCluster } from '../../src/features/lifecycle/commands/shutDownCluster';
import { scaleMediaNodes } from '../../src/features/lifecycle/commands/scaleMediaNodes';
import { deleteDeployment } from '../../src/features/lifecycle/commands/deleteDeployment';
import { restartOpenVidu } from '../../src/features/operations/commands/restartOpenVidu';
import type { GroupNode } from '../../src/features/explorer/treeNodes';

let bed: Testbed;
let provider: ClusterTreeProvider;
let feature: RoomsFeature;
let sub: { dispose(): void };

before(async () => {
  bed = await startTestbed({ clusterUrlsInSecret: true });
  await createOpenViduStack(bed.emu, { name: 'ov-warn', mediaNodes: 2 });
  bed.emu.world.tick();
  await bed.emu.clusters.address('eu-west-1', 'ov-warn');
  addRooms(bed.emu.world, 'eu-west-1', 'ov-warn', [
    { name: 'standup', participants: ['alice', 'bob', 'carol', 'dave'], recording: true },
    { name: 'support', participants: ['agent', 'customer'] },
  ]);
  provider = new ClusterTreeProvider(bed.app);
  feature = new RoomsFeature(bed.app, provider, { timeoutSeconds: 3 });
  sub = answerConfirmationsWith(feature);
});
after(async () => {
  sub.dispose();
  feature.dispose();
  provider.dispose();
  await bed.stop();
});

test('the shut-down confirmation names the live rooms and participants', async () => {
  const s = await stackNode(provider, 'ov-warn');
  fake.answers.message.push(undefined as never); // the user reads it and cancels
  assert.equal(await shutDownCluster(bed.app, provider, s, { pollMs: 20 }), false);
  const confirm = fake.recorded.notifications.at(-1)!;
  assert.equal(confirm.modal, true);
  assert.match(confirm.detail ?? '', /Live now: 2 rooms with 6 participants \(standup 4, recording; support 2\); they will be disconnected\.$/);
});

test('scale in and delete say it too; restart-free paths are unchanged', async () => {
  const s = await stackNode(provider, 'ov-warn');
  fake.answers.inputBox.push('1');
  fake.answers.message.push(undefined as never);
  assert.equal(await scaleMediaNodes(bed.app, provider, s), undefined);
  assert.match(fake.recorded.notifications.at(-1)!.detail ?? '', /Live now: 2 rooms with 6 participants .*; rooms on a removed node end when its drain ends\.$/);
  fake.answers.inputBox.push(undefined as never);
  assert.equal(await deleteDeployment(bed.app, provider, s, { pollMs: 20 }), undefined);
  const prompt = fake.recorded.prompts.filter((p) => p.kind === 'input').at(-1)!.options as { prompt: string };
  assert.match(prompt.prompt, /Live now: 2 rooms with 6 participants/);
});

test('the restart confirmation names the live rooms and says they may be interrupted; cancelling sends nothing', async () => {
  const s = await stackNode(provider, 'ov-warn');
  bed.emu.clock.advance(10 * 60_000);
  const media = ((await provider.getChildren(s)) as GroupNode[]).find((g) => g.kind === 'group' && g.role === 'media')!;
  const before = bed.emu.requests.count('ssm:SendCommand');
  fake.answers.message.push(undefined as never); // the user reads it and cancels
  assert.equal(await restartOpenVidu(bed.app, provider, media), undefined);
  const confirm = fake.recorded.notifications.at(-1)!;
  assert.equal(confirm.modal, true, JSON.stringify(confirm));
  assert.match(confirm.message, /^Restart OpenVidu on 2 nodes of ov-warn\?$/);
  assert.match(confirm.detail ?? '', /Sessions running on the restarted media nodes are interrupted\.\n\nLive now: 2 rooms with 6 participants \(standup 4, recording; support 2\); they may be interrupted\.$/);
  assert.equal(bed.emu.requests.count('ssm:SendCommand'), before, 'nothing restarted');
});

test('when the LiveKit API cannot be reached the confirmation says it could not check', async () => {
  const s = await stackNode(provider, 'ov-warn');
  const r = bed.emu.world.region('eu-west-1');
  const stack = r.stacks.find((x) => x.stackName === 'ov-warn')!;
  const masters = Object.values((stack.sim as { masters: Record<number, string> }).masters);
  // masters on their way down: no master answers the API, and the cluster is not yet "shut down" (all stopped),
  // which Shut Down refuses before asking anything
  for (const id of masters) r.instances.get(id)!.state = 'stopping';
  try {
    fake.answers.message.push(undefined as never);
    assert.equal(await shutDownCluster(bed.app, provider, s, { pollMs: 20 }), false);
    assert.match(fake.recorded.notifications.at(-1)!.detail ?? '', /Could not check for live rooms \(List rooms: the connection to 127\.0\.0\.1:\d+ was reset\), so participants may be connected\.$/);
  } finally {
    for (const id of masters) r.instances.get(id)!.state = 'running';
  }
});
