/**
 * The sandbox's demo world is for trying things: a drain of its media nodes (scale in, shut down) must end in
 * well under a minute of real time at the sandbox's default speed, not the hour the template's lifecycle hook
 * allows (which stays declared as the template declares it).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeLifecycleHooksCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { startEmulator, type Emulator } from '../server';
import { DEMO_DRAIN_SECONDS } from '../seed';
import { clientConfig } from '../clientConfig';
import { DEMO_DRAIN_SECONDS as PRINTED_DRAIN_SECONDS, SANDBOX_SPEED } from '../../../scripts/lib/emulator.mjs';

let emu: Emulator;
let asc: AutoScalingClient;
before(async () => {
  emu = await startEmulator({ demo: true });
  asc = new AutoScalingClient(clientConfig(emu));
});
after(async () => {
  await emu.stop();
});

test('a drain in the sandbox takes well under a minute of real time', async () => {
  assert.ok((DEMO_DRAIN_SECONDS / SANDBOX_SPEED) <= 30, `${DEMO_DRAIN_SECONDS} simulated s at ×${SANDBOX_SPEED}`);
  assert.equal(PRINTED_DRAIN_SECONDS, DEMO_DRAIN_SECONDS, 'what npm start prints is what the demo does');
  const groups = (await asc.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
  const demo = groups.find((g) => (g.Tags ?? []).some((t) => t.Value === 'openvidu-demo') && g.DesiredCapacity === 2);
  assert.ok(demo?.AutoScalingGroupName, groups.map((g) => g.AutoScalingGroupName).join(','));
  // the hook keeps the template's timeout: the demo nodes complete their lifecycle action early (no rooms left)
  const hooks = (await asc.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: demo.AutoScalingGroupName }))).LifecycleHooks ?? [];
  assert.equal(hooks[0]?.HeartbeatTimeout, 3600);
  await asc.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: demo.AutoScalingGroupName, DesiredCapacity: 1, MinSize: 1 }));
  const state = async () => (await asc.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [demo.AutoScalingGroupName!] }))).AutoScalingGroups![0].Instances ?? [];
  emu.clock.advance(1000);
  assert.ok((await state()).some((i) => i.LifecycleState === 'Terminating:Wait'), 'draining');
  emu.clock.advance(DEMO_DRAIN_SECONDS * 1000);
  assert.ok(!(await state()).some((i) => i.LifecycleState === 'Terminating:Wait'), JSON.stringify((await state()).map((i) => i.LifecycleState)));
});
