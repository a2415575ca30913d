import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeLifecycleHooksCommand,
  DescribeScalingActivitiesCommand,
  SetDesiredCapacityCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  paginateDescribeAutoScalingGroups,
  paginateDescribeScalingActivities,
  type AutoScalingGroup,
} from '@aws-sdk/client-auto-scaling';
import { EC2Client, DescribeInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { startEmulator, Emulator } from '../server';
import { createAsg, deleteAsg, type CreateAsgOptions } from '../services/autoscaling';
import { clientConfig } from '../clientConfig';

let emu: Emulator;
let asc: AutoScalingClient;
let ec2: EC2Client;
before(async () => {
  emu = await startEmulator({ seed: 11 });
  asc = new AutoScalingClient(clientConfig(emu));
  ec2 = new EC2Client(clientConfig(emu));
});
after(async () => {
  asc.destroy();
  ec2.destroy();
  await emu.stop();
});

const SEC = 1000;
const REGION = 'eu-west-1';

function rejectsWith(name: string, message?: RegExp | string) {
  return (e: Error) => {
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  };
}

function publicSubnetIds(region = REGION): string[] {
  const r = emu.world.region(region);
  const vpc = r.vpcs.find((v) => v.tags.Name === 'openvidu-vpc')!;
  return r.subnets
    .filter((s) => s.vpcId === vpc.vpcId && s.mapPublicIpOnLaunch)
    .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone))
    .map((s) => s.subnetId);
}

function options(name: string, over: Partial<CreateAsgOptions> = {}): CreateAsgOptions {
  return {
    name,
    minSize: 0,
    maxSize: 4,
    desiredCapacity: 2,
    subnetIds: publicSubnetIds(),
    instanceType: 'c6a.xlarge',
    tags: { 'aws:cloudformation:stack-name': 'demo', 'aws:cloudformation:logical-id': 'OpenViduMediaNodeASG', Name: 'demo - OpenVidu HA - Media Node' },
    drainSeconds: 3600,
    launchSeconds: 120,
    nodeKind: 'media',
    instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/demo-media',
    ...over,
  };
}

async function group(name: string): Promise<AutoScalingGroup> {
  const res = await asc.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  assert.equal(res.AutoScalingGroups?.length, 1, `group ${name}`);
  return res.AutoScalingGroups![0];
}

function states(g: AutoScalingGroup): string[] {
  return (g.Instances ?? []).map((i) => i.LifecycleState!).sort();
}

test('createAsg launches tagged instances spread over zones; Pending → InService after launchSeconds; activities', async () => {
  const name = 'openvidu-ha-media-asg-eu-west-1-demo';
  const asg = createAsg(emu.world, REGION, options(name));
  let g = await group(name);
  assert.equal(g.AutoScalingGroupARN, asg.arn);
  assert.match(g.AutoScalingGroupARN!, /^arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/openvidu-ha-media-asg-eu-west-1-demo$/);
  assert.equal(g.MinSize, 0);
  assert.equal(g.MaxSize, 4);
  assert.equal(g.DesiredCapacity, 2);
  assert.equal(g.VPCZoneIdentifier, publicSubnetIds().join(','));
  assert.deepEqual(g.AvailabilityZones, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  assert.match(g.LaunchTemplate?.LaunchTemplateId ?? '', /^lt-0[0-9a-f]{16}$/);
  assert.ok(g.CreatedTime instanceof Date);
  assert.equal(g.HealthCheckType, 'EC2');
  assert.ok(g.Tags?.some((t) => t.Key === 'aws:cloudformation:stack-name' && t.Value === 'demo' && t.PropagateAtLaunch === true));
  assert.deepEqual(states(g), ['Pending', 'Pending']);
  const zones = g.Instances!.map((i) => i.AvailabilityZone);
  assert.equal(new Set(zones).size, 2, 'two instances in two different zones');
  for (const i of g.Instances!) {
    assert.equal(i.InstanceType, 'c6a.xlarge');
    assert.equal(i.HealthStatus, 'Healthy');
    assert.equal(i.LaunchTemplate?.LaunchTemplateId, g.LaunchTemplate?.LaunchTemplateId);
    assert.match(i.InstanceId!, /^i-0[0-9a-f]{16}$/);
  }

  const ids = g.Instances!.map((i) => i.InstanceId!);
  const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  for (const inst of described.Reservations!.flatMap((r) => r.Instances!)) {
    const tags = Object.fromEntries(inst.Tags!.map((t) => [t.Key, t.Value]));
    assert.equal(tags['aws:autoscaling:groupName'], name);
    assert.equal(tags['aws:cloudformation:logical-id'], 'OpenViduMediaNodeASG');
    assert.equal(tags.Name, 'demo - OpenVidu HA - Media Node');
    assert.equal(inst.IamInstanceProfile?.Arn, 'arn:aws:iam::123456789012:instance-profile/demo-media');
  }
  for (const id of ids) {
    const i = emu.world.region(REGION).instances.get(id)!;
    assert.equal(i.ssmRegistered, true);
    assert.equal(i.node?.kind, 'media');
  }

  let acts = await asc.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }));
  assert.equal(acts.Activities?.length, 2);
  for (const a of acts.Activities!) {
    assert.match(a.Description!, /^Launching a new EC2 instance: i-0[0-9a-f]{16}$/);
    assert.equal(a.StatusCode, 'InProgress');
    assert.match(a.Cause!, /a user request created an AutoScalingGroup changing the desired capacity from 0 to 2\./);
    assert.match(a.Cause!, /an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2\./);
    assert.equal(a.AutoScalingGroupName, name);
    assert.ok(JSON.parse(a.Details!)['Availability Zone']);
  }

  emu.clock.advance(119 * SEC);
  assert.deepEqual(states(await group(name)), ['Pending', 'Pending']);
  emu.clock.advance(2 * SEC);
  g = await group(name);
  assert.deepEqual(states(g), ['InService', 'InService']);
  const running = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  assert.ok(running.Reservations!.flatMap((r) => r.Instances!).every((i) => i.State?.Name === 'running'));
  acts = await asc.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }));
  assert.ok(acts.Activities!.every((a) => a.StatusCode === 'Successful' && a.Progress === 100 && a.EndTime instanceof Date));
});

test('UpdateAutoScalingGroup scales out; DescribeScalingActivities lists newest first', async () => {
  const name = 'scale-out';
  createAsg(emu.world, REGION, options(name, { desiredCapacity: 1, launchSeconds: 60 }));
  emu.clock.advance(61 * SEC);
  emu.clock.advance(10 * SEC);
  await asc.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 1, MaxSize: 4, DesiredCapacity: 4 }));
  let g = await group(name);
  assert.equal(g.DesiredCapacity, 4);
  assert.equal(g.MinSize, 1);
  assert.deepEqual(states(g), ['InService', 'Pending', 'Pending', 'Pending']);
  const perZone = new Map<string, number>();
  for (const i of g.Instances!) perZone.set(i.AvailabilityZone!, (perZone.get(i.AvailabilityZone!) ?? 0) + 1);
  assert.deepEqual([...perZone.values()].sort(), [1, 1, 2], 'balanced over the three zones');

  const acts = await asc.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }));
  assert.equal(acts.Activities?.length, 4);
  const newest = acts.Activities![0];
  assert.match(
    newest.Cause!,
    /a user request update of AutoScalingGroup constraints to min: 1, max: 4, desired: 4 changing the desired capacity from 1 to 4\./,
  );
  assert.match(newest.Cause!, /increasing the capacity from 1 to 4\./);
  const times = acts.Activities!.map((a) => a.StartTime!.getTime());
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  assert.equal(acts.Activities![3].StatusCode, 'Successful', 'the first launch finished');

  emu.clock.advance(61 * SEC);
  g = await group(name);
  assert.deepEqual(states(g), ['InService', 'InService', 'InService', 'InService']);
});

test('capacity validation errors read as AWS words them', async () => {
  const name = 'validation';
  createAsg(emu.world, REGION, options(name, { minSize: 1, maxSize: 4, desiredCapacity: 1 }));
  await assert.rejects(
    asc.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, DesiredCapacity: 5 })),
    rejectsWith('ValidationError', 'Desired capacity:5 must be between the specified min size:1 and max size:4'),
  );
  await assert.rejects(
    asc.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 2, MaxSize: 3, DesiredCapacity: 1 })),
    rejectsWith('ValidationError', 'Desired capacity:1 must be between the specified min size:2 and max size:3'),
  );
  await assert.rejects(
    asc.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 3, MaxSize: 2 })),
    rejectsWith('ValidationError', 'Max bound, 2, must be greater than or equal to min bound, 3'),
  );
  await assert.rejects(
    asc.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 9 })),
    rejectsWith('ValidationError', 'New SetDesiredCapacity value 9 is above max value 4 for the AutoScalingGroup.'),
  );
  await assert.rejects(
    asc.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 0 })),
    rejectsWith('ValidationError', 'New SetDesiredCapacity value 0 is below min value 1 for the AutoScalingGroup.'),
  );
  await assert.rejects(
    asc.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'missing-group', DesiredCapacity: 1 })),
    rejectsWith('ValidationError', "AutoScalingGroup name not found - AutoScalingGroup 'missing-group' not found"),
  );
  const g = await group(name);
  assert.equal(g.DesiredCapacity, 1, 'nothing changed');
  assert.equal(g.MinSize, 1);

  // a new min above the current desired capacity raises it, as on AWS
  await asc.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 2 }));
  assert.equal((await group(name)).DesiredCapacity, 2);
  // and a new max below lowers it
  await asc.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, MaxSize: 1 }));
  assert.equal((await group(name)).DesiredCapacity, 1);
});

test('scale in: the newest instances drain in Terminating:Wait for drainSeconds, then terminate and leave the group', async () => {
  const name = 'scale-in';
  createAsg(emu.world, REGION, options(name, { desiredCapacity: 2, drainSeconds: 3600, launchSeconds: 60 }));
  emu.clock.advance(61 * SEC);
  await asc.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 4 }));
  emu.clock.advance(61 * SEC);
  let g = await group(name);
  assert.deepEqual(states(g), ['InService', 'InService', 'InService', 'InService']);
  const launchOrder = emu.world.region(REGION).asgs.get(name)!.instances.map((i) => i.instanceId);
  const newest = launchOrder.slice(2).sort();

  emu.clock.advance(5 * SEC);
  await asc.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 2 }));
  g = await group(name);
  assert.equal(g.DesiredCapacity, 2);
  assert.deepEqual(states(g), ['InService', 'InService', 'Terminating:Wait', 'Terminating:Wait']);
  const waiting = g.Instances!.filter((i) => i.LifecycleState === 'Terminating:Wait').map((i) => i.InstanceId!).sort();
  assert.deepEqual(waiting, newest, 'the newest instances are taken out');
  for (const id of waiting) {
    const since = emu.world.region(REGION).instances.get(id)?.node?.drainingSince;
    assert.ok(since !== undefined && Math.abs(emu.world.now() - since) < 5 * SEC, 'the media node knows it is draining');
  }

  let acts = await asc.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name, MaxRecords: 2 }));
  for (const a of acts.Activities!) {
    assert.match(a.Description!, /^Terminating EC2 instance: i-0[0-9a-f]{16}$/);
    assert.equal(a.StatusCode, 'InProgress');
    assert.match(a.Cause!, /a user request explicitly set group desired capacity changing the desired capacity from 4 to 2\./);
    assert.match(a.Cause!, /shrinking the capacity from 4 to 2\./);
    assert.match(a.Cause!, /instance i-0[0-9a-f]{16} was selected for termination\./);
  }

  // still draining just before the hook's timeout; the EC2 instances keep running
  emu.clock.advance(3599 * SEC);
  g = await group(name);
  assert.deepEqual(states(g), ['InService', 'InService', 'Terminating:Wait', 'Terminating:Wait']);
  const ec2Running = await ec2.send(new DescribeInstancesCommand({ InstanceIds: waiting }));
  assert.ok(ec2Running.Reservations!.flatMap((r) => r.Instances!).every((i) => i.State?.Name === 'running'));

  emu.clock.advance(2 * SEC);
  g = await group(name);
  assert.deepEqual(states(g), ['InService', 'InService', 'Terminating:Proceed', 'Terminating:Proceed']);
  const shutting = await ec2.send(new DescribeInstancesCommand({ InstanceIds: waiting }));
  assert.ok(shutting.Reservations!.flatMap((r) => r.Instances!).every((i) => i.State?.Name === 'shutting-down'));

  emu.clock.advance(31 * SEC);
  g = await group(name);
  assert.deepEqual(states(g), ['InService', 'InService']);
  assert.ok(g.Instances!.every((i) => !waiting.includes(i.InstanceId!)));
  const gone = await ec2.send(new DescribeInstancesCommand({ InstanceIds: waiting }));
  assert.ok(gone.Reservations!.flatMap((r) => r.Instances!).every((i) => i.State?.Name === 'terminated'));
  acts = await asc.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name, MaxRecords: 2 }));
  assert.ok(acts.Activities!.every((a) => a.StatusCode === 'Successful' && a.Description!.startsWith('Terminating EC2 instance')));
});

test('a scale-in that the clock jumps over completes in one step', async () => {
  const name = 'jump';
  createAsg(emu.world, REGION, options(name, { desiredCapacity: 3, drainSeconds: 600, launchSeconds: 30 }));
  emu.clock.advance(31 * SEC);
  await asc.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: name, DesiredCapacity: 0 }));
  assert.deepEqual(states(await group(name)), ['Terminating:Wait', 'Terminating:Wait', 'Terminating:Wait']);
  emu.clock.advance(2 * 3600 * SEC);
  assert.deepEqual(states(await group(name)), []);
});

test('an instance stopped behind the group is marked unhealthy, terminated and replaced', async () => {
  const name = 'replace';
  createAsg(emu.world, REGION, options(name, { desiredCapacity: 2, launchSeconds: 60 }));
  emu.clock.advance(61 * SEC);
  const before = await group(name);
  const victim = before.Instances![0].InstanceId!;
  await ec2.send(new StopInstancesCommand({ InstanceIds: [victim] }));
  emu.clock.advance(31 * SEC);
  const g = await group(name);
  assert.ok(!g.Instances!.some((i) => i.InstanceId === victim && i.LifecycleState === 'InService'));
  assert.equal(g.Instances!.filter((i) => i.LifecycleState === 'Pending').length, 1, 'a replacement is launching');
  const acts = await asc.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }));
  assert.ok(acts.Activities!.some((a) => a.Description === `Terminating EC2 instance: ${victim}` && /EC2 health check/.test(a.Cause!)));
  emu.clock.advance(61 * SEC);
  const after = await group(name);
  assert.deepEqual(states(after), ['InService', 'InService']);
  assert.ok(!after.Instances!.some((i) => i.InstanceId === victim));
  assert.equal(emu.world.region(REGION).instances.get(victim)?.state, 'terminated');
});

test('DescribeLifecycleHooks shows the terminate hook with the drain as heartbeat timeout', async () => {
  createAsg(emu.world, REGION, options('hooks', { desiredCapacity: 0, lifecycleHookName: 'demo-StopMediaNodeLifecycleHook-ABC' }));
  const res = await asc.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'hooks' }));
  assert.deepEqual(res.LifecycleHooks, [
    {
      LifecycleHookName: 'demo-StopMediaNodeLifecycleHook-ABC',
      AutoScalingGroupName: 'hooks',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      HeartbeatTimeout: 3600,
      GlobalTimeout: 172800,
      DefaultResult: 'CONTINUE',
    },
  ]);
  createAsg(emu.world, REGION, options('no-hooks', { desiredCapacity: 0, drainSeconds: 0 }));
  assert.deepEqual((await asc.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'no-hooks' }))).LifecycleHooks, []);
  await assert.rejects(asc.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'nope' })), rejectsWith('ValidationError'));
});

test('a 200-instance group is described in one call', async () => {
  const name = 'big';
  createAsg(emu.world, REGION, options(name, { minSize: 0, maxSize: 200, desiredCapacity: 200, instanceType: 'c6a.large' }));
  emu.requests.clear();
  const g = await group(name);
  assert.equal(g.Instances?.length, 200);
  assert.equal(emu.requests.count('autoscaling:DescribeAutoScalingGroups'), 1);
  const perZone = new Map<string, number>();
  for (const i of g.Instances!) perZone.set(i.AvailabilityZone!, (perZone.get(i.AvailabilityZone!) ?? 0) + 1);
  assert.deepEqual([...perZone.values()].sort(), [66, 67, 67]);
  assert.equal(new Set(g.Instances!.map((i) => i.InstanceId)).size, 200);
  deleteAsg(emu.world, REGION, name);
});

test('tag filters and pagination over groups; DescribeAutoScalingInstances', async () => {
  for (const n of ['page-1', 'page-2', 'page-3']) {
    createAsg(emu.world, REGION, options(n, { desiredCapacity: 1, tags: { Purpose: 'paging', Name: n } }));
  }
  const byTag = await asc.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:Purpose', Values: ['paging'] }] }));
  assert.deepEqual(byTag.AutoScalingGroups?.map((g) => g.AutoScalingGroupName), ['page-1', 'page-2', 'page-3']);
  const byKey = await asc.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag-key', Values: ['Purpose'] }] }));
  assert.equal(byKey.AutoScalingGroups?.length, 3);
  const byValue = await asc.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag-value', Values: ['page-2'] }] }));
  assert.deepEqual(byValue.AutoScalingGroups?.map((g) => g.AutoScalingGroupName), ['page-2']);

  const pages: string[][] = [];
  for await (const page of paginateDescribeAutoScalingGroups(
    { client: asc, pageSize: 2 },
    { Filters: [{ Name: 'tag:Purpose', Values: ['paging'] }] },
  )) {
    pages.push(page.AutoScalingGroups!.map((g) => g.AutoScalingGroupName!));
  }
  assert.deepEqual(pages, [['page-1', 'page-2'], ['page-3']]);

  const lean = await asc.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['page-1'], IncludeInstances: false }));
  assert.equal(lean.AutoScalingGroups?.[0].Instances, undefined);
  assert.equal(lean.AutoScalingGroups?.[0].DesiredCapacity, 1);

  const unknown = await asc.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['no-such-group'] }));
  assert.deepEqual(unknown.AutoScalingGroups, []);

  const g = await group('page-2');
  const ai = await asc.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [g.Instances![0].InstanceId!] }));
  assert.equal(ai.AutoScalingInstances?.[0].AutoScalingGroupName, 'page-2');
  assert.equal(ai.AutoScalingInstances?.[0].HealthStatus, 'HEALTHY');

  const acts: string[] = [];
  for await (const page of paginateDescribeScalingActivities({ client: asc, pageSize: 1 }, { AutoScalingGroupName: 'page-1' })) {
    acts.push(...page.Activities!.map((a) => a.ActivityId!));
  }
  assert.equal(acts.length, 1);
});

test('TerminateInstanceInAutoScalingGroup with decrement drains one instance and lowers the desired capacity', async () => {
  const name = 'recycle';
  createAsg(emu.world, REGION, options(name, { minSize: 0, desiredCapacity: 2, drainSeconds: 300, launchSeconds: 30 }));
  emu.clock.advance(31 * SEC);
  const id = (await group(name)).Instances![0].InstanceId!;
  const res = await asc.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: id, ShouldDecrementDesiredCapacity: true }));
  assert.equal(res.Activity?.Description, `Terminating EC2 instance: ${id}`);
  let g = await group(name);
  assert.equal(g.DesiredCapacity, 1);
  assert.equal(g.Instances!.find((i) => i.InstanceId === id)?.LifecycleState, 'Terminating:Wait');
  emu.clock.advance(301 * SEC + 31 * SEC);
  g = await group(name);
  assert.deepEqual(states(g), ['InService']);
  await assert.rejects(
    asc.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: 'i-0000000000000000a', ShouldDecrementDesiredCapacity: false })),
    rejectsWith('ValidationError'),
  );
});

test('deleteAsg terminates the instances at once and removes the group', async () => {
  const name = 'delete-me';
  createAsg(emu.world, REGION, options(name, { desiredCapacity: 2, launchSeconds: 30 }));
  emu.clock.advance(31 * SEC);
  const ids = (await group(name)).Instances!.map((i) => i.InstanceId!);
  deleteAsg(emu.world, REGION, name);
  const res = await asc.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  assert.deepEqual(res.AutoScalingGroups, []);
  emu.clock.advance(31 * SEC);
  const inst = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
  assert.ok(inst.Reservations!.flatMap((r) => r.Instances!).every((i) => i.State?.Name === 'terminated'));
  assert.throws(() => deleteAsg(emu.world, REGION, name), /not found/);
});
