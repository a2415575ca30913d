/**
 * Terminate Media Node… (issue 17, item 4) against the emulator: the confirmation names what is live on the
 * cluster before anything is sent; "Replace It" keeps the desired capacity (the group launches a new node),
 * "Remove It" decrements it and is not offered at the group's minimum; the node drains first (the termination
 * lifecycle hook); the emulator's TerminateInstanceInAutoScalingGroup refuses a request without its required
 * ShouldDecrementDesiredCapacity, as AWS does.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, TerminateInstanceInAutoScalingGroupCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { startTestbed, stackNode, fake, type Testbed } from '../support/testbed';
import { createOpenViduStack, sdkConfig } from '../support/openviduStack';
import { addRooms } from '../emulator/livekit';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { GroupNode, InstanceNode } from '../../src/features/explorer/treeNodes';
import { RoomsFeature, answerConfirmationsWith } from '../../src/features/rooms';
import { terminateMediaNode } from '../../src/features/operations/commands/terminateMediaNode';

let bed: Testbed;
let provider: ClusterTreeProvider;
let feature: RoomsFeature;
let sub: { dispose(): void };
let asg: AutoScalingClient;

before(async () => {
  bed = await startTestbed({ clusterUrlsInSecret: true });
  await createOpenViduStack(bed.emu, { name: 'ov-term', mediaNodes: 3 });
  bed.emu.world.tick();
  await bed.emu.clusters.address('eu-west-1', 'ov-term');
  addRooms(bed.emu.world, 'eu-west-1', 'ov-term', [
    { name: 'standup', participants: ['alice', 'bob', 'carol'] },
    { name: 'support', participants: ['agent', 'customer'], recording: true },
  ]);
  provider = new ClusterTreeProvider(bed.app);
  feature = new RoomsFeature(bed.app, provider, { timeoutSeconds: 3 });
  sub = answerConfirmationsWith(feature);
  asg = new AutoScalingClient(sdkConfig(bed.emu));
});
after(async () => {
  sub.dispose();
  feature.dispose();
  provider.dispose();
  await bed.stop();
});

async function mediaRows(): Promise<{ group: GroupNode; nodes: InstanceNode[] }> {
  provider.refresh();
  const s = await stackNode(provider, 'ov-term');
  const group = (await provider.getChildren(s)).find((g): g is GroupNode => g.kind === 'group' && g.role === 'media')!;
  const nodes = (await provider.getChildren(group)).filter((n): n is InstanceNode => n.kind === 'instance' && n.node.state === 'running' && n.node.lifecycleState === 'InService');
  return { group, nodes };
}

async function group() {
  const s = await stackNode(provider, 'ov-term');
  const name = s.cluster!.mediaGroup.asgName!;
  return (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0];
}

test('the confirmation names the live rooms and both outcomes; cancelling sends nothing', async () => {
  const { nodes } = await mediaRows();
  assert.equal(nodes.length, 3);
  bed.emu.requests.clear();
  fake.answers.message.push(undefined as never);
  assert.equal(await terminateMediaNode(bed.app, provider, nodes[0]), undefined);
  const confirm = fake.recorded.notifications.at(-1)!;
  assert.equal(confirm.modal, true);
  assert.equal(confirm.message, `Terminate media node ${nodes[0].node.instanceId} of ov-term?`);
  assert.deepEqual(confirm.items, ['Replace It', 'Remove It']);
  assert.match(confirm.detail ?? '', /drains its sessions \(Terminating:Wait, up to 1 hour\)/);
  assert.match(confirm.detail ?? '', /Replace It: the Auto Scaling group launches a new media node \(desired stays 3\)/);
  assert.match(confirm.detail ?? '', /Remove It: desired capacity goes from 3 to 2/);
  assert.match(confirm.detail ?? '', /Live now: 2 rooms with 5 participants \(standup 3; support 2, recording\); the LiveKit API does not say which node hosts a room/);
  assert.equal(bed.emu.requests.count('autoscaling:TerminateInstanceInAutoScalingGroup'), 0);
});

test('Replace It: the node drains, then the group launches a replacement (desired unchanged)', async () => {
  const { nodes } = await mediaRows();
  const id = nodes[0].node.instanceId;
  fake.answers.message.push('Replace It');
  const r = await terminateMediaNode(bed.app, provider, nodes[0]);
  assert.deepEqual(r, { instanceId: id, replaced: true });
  const sent = bed.emu.requests.filter('autoscaling:TerminateInstanceInAutoScalingGroup').at(-1)!.params;
  assert.equal(String(sent.ShouldDecrementDesiredCapacity), 'false');
  let g = await group();
  assert.equal(g.DesiredCapacity, 3);
  assert.equal(g.Instances!.find((i) => i.InstanceId === id)?.LifecycleState, 'Terminating:Wait', 'it drains first');
  // after the drain (up to an hour) the node is gone and three nodes serve again
  bed.emu.clock.advance(2 * 3_600_000);
  bed.emu.world.tick();
  g = await group();
  assert.ok(!g.Instances!.some((i) => i.InstanceId === id && i.LifecycleState === 'InService'));
  assert.equal(g.Instances!.filter((i) => i.LifecycleState === 'InService').length, 3, JSON.stringify(g.Instances));
  assert.match(fake.recorded.notifications.at(-1)!.message, /is draining and then terminates\. The Auto Scaling group launches a replacement\./);
});

test('Remove It decrements the desired capacity; at the group\'s minimum only Replace It is offered', async () => {
  const { nodes } = await mediaRows();
  fake.answers.message.push('Remove It');
  const r = await terminateMediaNode(bed.app, provider, nodes[1]);
  assert.equal(r?.replaced, false);
  assert.equal(String(bed.emu.requests.filter('autoscaling:TerminateInstanceInAutoScalingGroup').at(-1)!.params.ShouldDecrementDesiredCapacity), 'true');
  const g = await group();
  assert.equal(g.DesiredCapacity, 2);
  // the minimum raised to the desired count: removing would break it, so the choice is not offered
  await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: g.AutoScalingGroupName, MinSize: 2 }));
  const again = (await mediaRows()).nodes.find((n) => n.node.instanceId !== nodes[1].node.instanceId)!;
  fake.answers.message.push(undefined as never);
  await terminateMediaNode(bed.app, provider, again);
  const confirm = fake.recorded.notifications.at(-1)!;
  assert.deepEqual(confirm.items, ['Replace It']);
  assert.match(confirm.detail ?? '', /desired capacity \(2\) is already the group's minimum \(2\)/);
});

test('from the palette: a running media node is picked; a master is refused', async () => {
  const { nodes } = await mediaRows();
  let offered: string[] = [];
  fake.answers.quickPick.push((items: { label: string }[]) => ((offered = items.map((i) => i.label)), undefined));
  assert.equal(await terminateMediaNode(bed.app, provider), undefined);
  assert.deepEqual([...offered].sort(), nodes.map((n) => n.node.instanceId).sort());
  const s = await stackNode(provider, 'ov-term');
  const masters = (await provider.getChildren(s)).find((g): g is GroupNode => g.kind === 'group' && g.role === 'master')!;
  const master = (await provider.getChildren(masters)).find((n): n is InstanceNode => n.kind === 'instance')!;
  bed.emu.requests.clear();
  assert.equal(await terminateMediaNode(bed.app, provider, master), undefined);
  assert.match(fake.recorded.notifications.at(-1)!.message, /is a master node of ov-term: only media nodes can be terminated here/);
  assert.equal(bed.emu.requests.count(), 0);
});

test('the emulated API refuses what AWS refuses: ShouldDecrementDesiredCapacity is required, decrementing below the minimum fails', async () => {
  const { nodes } = await mediaRows();
  const id = nodes[0].node.instanceId;
  await assert.rejects(
    () => asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: id } as never)),
    (e: Error) => e.name === 'ValidationError' && /shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must not be null/.test(e.message),
  );
  await assert.rejects(
    () => asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: id, ShouldDecrementDesiredCapacity: true })),
    (e: Error) => e.name === 'ValidationError' && /desiredSize equals minSize/.test(e.message),
  );
  await assert.rejects(
    () => asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: 'i-'.padEnd(20, '0'), ShouldDecrementDesiredCapacity: false })),
    (e: Error) => e.name === 'ValidationError' && /length less than or equal to 19/.test(e.message),
  );
});
