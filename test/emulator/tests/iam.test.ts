/**
 * The emulator's IAM module through the real `@aws-sdk/client-iam` client: the roles and instance profiles an
 * OpenVidu stack creates (the media role with AmazonSSMManagedInstanceCore, the master role without it, as
 * template 3.8.0 does), attaching the SSM policy to the master role (the documented fix), and the errors.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  AttachRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
} from '@aws-sdk/client-iam';
import { startEmulator, Emulator } from '../server';
import { clientConfig } from '../clientConfig';

const SSM_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const MASTER_ROLE = 'OpenViduMasterNodeRole-eu-west-1-openvidu-demo';
const MEDIA_ROLE = 'OpenViduMediaNodeRole-eu-west-1-openvidu-demo';
const MASTER_PROFILE = 'OpenViduMasterInstanceProfile-eu-west-1-openvidu-demo';

let emu: Emulator;
let iam: IAMClient;

before(async () => {
  emu = await startEmulator({ demo: true });
  // IAM is global: the SDK signs for us-east-1 whatever region the profile uses
  iam = new IAMClient(clientConfig(emu, 'us-east-1'));
});
after(async () => {
  await emu.stop();
});

async function rejects(p: Promise<unknown>, name: string, message: string, status: number): Promise<void> {
  await assert.rejects(p, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name);
    assert.equal(e.message, message);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  });
}

test('GetRole returns the stack role with its URL-encoded trust policy', async () => {
  const { Role } = await iam.send(new GetRoleCommand({ RoleName: MASTER_ROLE }));
  assert.equal(Role!.RoleName, MASTER_ROLE);
  assert.equal(Role!.Arn, `arn:aws:iam::123456789012:role/${MASTER_ROLE}`);
  assert.equal(Role!.Path, '/');
  assert.match(Role!.RoleId!, /^AROA[A-Z0-9]{17}$/);
  assert.ok(Role!.CreateDate instanceof Date);
  const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)) as { Statement: { Principal: { Service: string[] } }[] };
  assert.deepEqual(trust.Statement[0].Principal.Service, ['ec2.amazonaws.com']);
});

test('GetInstanceProfile lists its role; the master instances use that profile', async () => {
  const { InstanceProfile } = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: MASTER_PROFILE }));
  assert.equal(InstanceProfile!.InstanceProfileName, MASTER_PROFILE);
  assert.match(InstanceProfile!.InstanceProfileId!, /^AIPA/);
  assert.deepEqual(InstanceProfile!.Roles!.map((r) => r.RoleName), [MASTER_ROLE]);
  const masters = [...emu.world.region('eu-west-1').instances.values()].filter(
    (i) => i.tags['aws:cloudformation:stack-name'] === 'openvidu-demo' && /Master Node/.test(i.tags.Name),
  );
  assert.equal(masters.length, 4);
  assert.ok(masters.every((i) => i.iamInstanceProfileArn === InstanceProfile!.Arn));
});

test('ListAttachedRolePolicies: the media role has SSM, the master role has not (template 3.8.0)', async () => {
  const media = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: MEDIA_ROLE }));
  assert.deepEqual(media.AttachedPolicies, [{ PolicyName: 'AmazonSSMManagedInstanceCore', PolicyArn: SSM_POLICY }]);
  assert.equal(media.IsTruncated, false);
  const master = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: MASTER_ROLE }));
  assert.deepEqual(master.AttachedPolicies, []);
});

test('AttachRolePolicy / DetachRolePolicy change the role (idempotent attach; detach of a missing policy is NoSuchEntity)', async () => {
  await iam.send(new AttachRolePolicyCommand({ RoleName: MASTER_ROLE, PolicyArn: SSM_POLICY }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: MASTER_ROLE, PolicyArn: SSM_POLICY }));
  let list = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: MASTER_ROLE }));
  assert.deepEqual(list.AttachedPolicies!.map((p) => p.PolicyArn), [SSM_POLICY]);
  assert.deepEqual(emu.world.iam.roles.get(MASTER_ROLE)!.attachedPolicyArns, [SSM_POLICY]);
  await iam.send(new DetachRolePolicyCommand({ RoleName: MASTER_ROLE, PolicyArn: SSM_POLICY }));
  list = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: MASTER_ROLE }));
  assert.deepEqual(list.AttachedPolicies, []);
  await rejects(
    iam.send(new DetachRolePolicyCommand({ RoleName: MASTER_ROLE, PolicyArn: SSM_POLICY })),
    'NoSuchEntityException',
    `Policy ${SSM_POLICY} was not found.`,
    404,
  );
  await rejects(iam.send(new AttachRolePolicyCommand({ RoleName: MASTER_ROLE, PolicyArn: 'not-an-arn' })), 'InvalidInputException', 'ARN not-an-arn is not valid.', 400);
});

test('ListInstanceProfilesForRole', async () => {
  const out = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: MEDIA_ROLE }));
  assert.deepEqual(out.InstanceProfiles!.map((p) => p.InstanceProfileName), ['OpenViduMediaInstanceProfile-eu-west-1-openvidu-demo']);
  assert.equal(out.InstanceProfiles![0].Roles![0].RoleName, MEDIA_ROLE);
  assert.equal(out.IsTruncated, false);
});

test('unknown roles and instance profiles are NoSuchEntity (404)', async () => {
  await rejects(iam.send(new GetRoleCommand({ RoleName: 'nope' })), 'NoSuchEntityException', 'The role with name nope cannot be found.', 404);
  await rejects(iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'nope' })), 'NoSuchEntityException', 'The role with name nope cannot be found.', 404);
  await rejects(iam.send(new AttachRolePolicyCommand({ RoleName: 'nope', PolicyArn: SSM_POLICY })), 'NoSuchEntityException', 'The role with name nope cannot be found.', 404);
  await rejects(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'nope' })), 'NoSuchEntityException', 'The role with name nope cannot be found.', 404);
  await rejects(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'nope' })), 'NoSuchEntityException', 'Instance Profile nope cannot be found.', 404);
});

test('a client configured for another region reaches the same global IAM', async () => {
  const eu = new IAMClient(clientConfig(emu, 'eu-west-1'));
  const { Role } = await eu.send(new GetRoleCommand({ RoleName: MEDIA_ROLE }));
  assert.equal(Role!.RoleName, MEDIA_ROLE);
});

test('roles are deleted with their stack', async () => {
  const { CloudFormationClient, DeleteStackCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = new CloudFormationClient(clientConfig(emu, 'eu-west-1'));
  await cfn.send(new DeleteStackCommand({ StackName: 'openvidu-broken' }));
  emu.clock.advance(30 * 60_000);
  await iam.send(new GetRoleCommand({ RoleName: MEDIA_ROLE }));
  await rejects(
    iam.send(new GetRoleCommand({ RoleName: 'OpenViduMasterNodeRole-eu-west-1-openvidu-broken' })),
    'NoSuchEntityException',
    'The role with name OpenViduMasterNodeRole-eu-west-1-openvidu-broken cannot be found.',
    404,
  );
});
