import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyInstances, isOpenViduStackDescription, readiness, RawInstance, secretReadiness, stackPhase } from '../../src/openvidu/cluster';
import { formatStackEvents, firstFailure } from '../../src/openvidu/stackEvents';
import { asgConsoleUrl, instanceConsoleUrl, stackConsoleUrl } from '../../src/openvidu/consoleUrls';

test('stack statuses map to phases', () => {
  const cases: [string, string][] = [
    ['CREATE_COMPLETE', 'complete'],
    ['UPDATE_COMPLETE', 'complete'],
    ['CREATE_IN_PROGRESS', 'inProgress'],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'inProgress'],
    ['ROLLBACK_IN_PROGRESS', 'inProgress'],
    ['CREATE_FAILED', 'failed'],
    ['ROLLBACK_FAILED', 'failed'],
    ['DELETE_FAILED', 'failed'],
    ['ROLLBACK_COMPLETE', 'rolledBack'],
    ['UPDATE_ROLLBACK_COMPLETE', 'rolledBack'],
    ['DELETE_IN_PROGRESS', 'deleting'],
    ['DELETE_COMPLETE', 'deleted'],
  ];
  for (const [status, phase] of cases) assert.equal(stackPhase(status), phase, status);
});

test('OpenVidu stacks are recognised by their template description, not their name', () => {
  assert.ok(isOpenViduStackDescription('OpenVidu Pro - High Availability'));
  assert.ok(!isOpenViduStackDescription('My app'));
  assert.ok(!isOpenViduStackDescription(undefined));
});

const inst = (id: string, logicalId: string, state = 'running', extra: Partial<RawInstance> = {}): RawInstance => ({
  InstanceId: id,
  State: { Name: state },
  Tags: [
    { Key: 'aws:cloudformation:logical-id', Value: logicalId },
    { Key: 'Name', Value: logicalId },
  ],
  ...extra,
});

test('instances split into ordered masters and ASG media nodes with lifecycle states', () => {
  const instances = [
    inst('i-m3', 'OpenViduMasterNode3'),
    inst('i-m1', 'OpenViduMasterNode1'),
    inst('i-a', 'OpenViduMediaNodeASG', 'running', { LaunchTime: new Date(1000) }),
    inst('i-b', 'OpenViduMediaNodeASG', 'running', { LaunchTime: new Date(2000) }),
    inst('i-gone', 'OpenViduMediaNodeASG', 'terminated'),
    inst('i-other', 'SomethingElse'),
  ];
  const asg = {
    Instances: [
      { InstanceId: 'i-a', LifecycleState: 'InService', HealthStatus: 'Healthy' },
      { InstanceId: 'i-b', LifecycleState: 'Terminating:Wait', HealthStatus: 'Healthy' },
      { InstanceId: 'i-new', LifecycleState: 'Pending', HealthStatus: 'Healthy', AvailabilityZone: 'eu-west-1a' },
    ],
  };
  const { masters, media } = classifyInstances(instances, asg);
  assert.deepEqual(masters.map((m) => [m.instanceId, m.index]), [['i-m1', 1], ['i-m3', 3]]);
  assert.deepEqual(media.map((m) => [m.instanceId, m.lifecycleState]), [['i-new', 'Pending'], ['i-a', 'InService'], ['i-b', 'Terminating:Wait']]);
});

test('a replaced master keeps the live instance, not the terminated one', () => {
  const { masters } = classifyInstances([inst('i-new', 'OpenViduMasterNode2', 'running'), inst('i-old', 'OpenViduMasterNode2', 'terminated')], undefined);
  assert.deepEqual(masters.map((m) => m.instanceId), ['i-new']);
});

test('secret readiness needs ALL_SECRETS_GENERATED=true and no essential "none" value, and keeps no value', () => {
  assert.deepEqual(secretReadiness(undefined, 's'), { found: false, generated: false, secretId: 's' });
  assert.equal(secretReadiness(JSON.stringify({ ALL_SECRETS_GENERATED: 'false', LIVEKIT_API_SECRET: 'none' })).generated, false);
  assert.equal(secretReadiness(JSON.stringify({ ALL_SECRETS_GENERATED: 'true', LIVEKIT_API_SECRET: 'none' })).generated, false);
  const ok = secretReadiness(JSON.stringify({ ALL_SECRETS_GENERATED: 'true', LIVEKIT_API_SECRET: 'abc', MEET_INITIAL_API_KEY: 'none' }));
  assert.equal(ok.generated, true);
  assert.doesNotMatch(JSON.stringify(ok), /abc/);
  assert.equal(secretReadiness('not json').generated, false);
});

test('CREATE_COMPLETE is not ready until the secrets are generated', () => {
  const stack = { stackName: 's', stackId: 'id', status: 'CREATE_COMPLETE' };
  assert.equal(readiness({ stack, secret: { found: true, generated: false } }).ready, false);
  assert.match(readiness({ stack, secret: { found: true, generated: false } }).reason ?? '', /generating/);
  assert.equal(readiness({ stack, secret: { found: true, generated: true } }).ready, true);
  assert.equal(readiness({ stack: { ...stack, status: 'CREATE_IN_PROGRESS' }, secret: { found: true, generated: true } }).ready, false);
});

test('stack events read oldest first, with the first failure as the headline', () => {
  const events = [
    { Timestamp: new Date('2026-01-01T00:03:00Z'), LogicalResourceId: 'demo', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'The following resource(s) failed to create: [MasterNodesWaitCondition3].' },
    { Timestamp: new Date('2026-01-01T00:02:00Z'), LogicalResourceId: 'MasterNodesWaitCondition3', ResourceType: 'AWS::CloudFormation::WaitCondition', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'WaitCondition timed out. Received 0 conditions when expecting 1' },
    { Timestamp: new Date('2026-01-01T00:01:00Z'), LogicalResourceId: 'demo', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'CREATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated' },
  ];
  const text = formatStackEvents('demo', 'eu-west-1', events);
  const lines = text.split('\n');
  assert.match(lines[2], /CREATE_IN_PROGRESS/);
  // local time with the zone, as everywhere a person reads a time
  assert.match(formatStackEvents('demo', 'eu-west-1', events, { timeZone: 'Europe/Madrid' }).split('\n')[2], /^2026-01-01 01:01:00 CET {2}CREATE_IN_PROGRESS/);
  assert.match(text, /First failure: MasterNodesWaitCondition3 — WaitCondition timed out/);
  assert.equal(firstFailure(events)?.LogicalResourceId, 'MasterNodesWaitCondition3');
});

test('console links point at the right region and resource', () => {
  assert.equal(instanceConsoleUrl('eu-west-1', 'i-1'), 'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-1');
  assert.match(stackConsoleUrl('us-east-1', 'arn:aws:cloudformation:us-east-1:1:stack/x/y'), /stackId=arn%3Aaws%3Acloudformation/);
  assert.match(asgConsoleUrl('eu-west-1', 'openvidu-ha-media-asg'), /AutoScalingGroupDetails:id=openvidu-ha-media-asg/);
});
