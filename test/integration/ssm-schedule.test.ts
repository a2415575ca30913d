/**
 * runShellScript's polling against the emulator through the real SDK: a single-node command whose output is
 * expected past the 2,500 bytes ListCommandInvocations inlines is polled with GetCommandInvocation, which answers the
 * status and the whole output (up to 24,000 characters) at once: one round trip less per step.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestbed, type Testbed } from '../support/testbed';
import { launchInstance } from '../emulator/services/ec2';
import { runShellScript } from '../../src/aws/ssmCommands';

const REGION = 'eu-west-1';
let bed: Testbed;
let instanceId: string;

before(async () => {
  bed = await startTestbed({ start: Date.parse('2026-11-24T06:00:00Z') });
  const subnet = bed.emu.world.region(REGION).subnets.find((x) => x.mapPublicIpOnLaunch);
  assert.ok(subnet);
  instanceId = launchInstance(bed.emu.world, REGION, { subnetId: subnet.subnetId, instanceType: 'c7i.xlarge', tags: { Name: 'schedule test' }, nodeKind: 'media', ssmRegistered: true, bootSeconds: 0 }).instanceId;
  bed.emu.clock.advance(60_000);
});
after(() => bed.stop());

// 60 lines of 100 characters: 6,060 bytes, past the inline 2,500
const script = Array.from({ length: 60 }, (_, i) => `echo ${String(i).padStart(100, '0')}`);

test("output 'full' on one node: no ListCommandInvocations, the whole output from GetCommandInvocation", async () => {
  bed.emu.requests.clear();
  const r = (await runShellScript(bed.app.session(REGION), [instanceId], script, { comment: 'schedule test', output: 'full' })).get(instanceId);
  assert.ok(r);
  assert.equal(r.status, 'Success', r.stderr);
  assert.equal(r.stdout.split('\n').filter(Boolean).length, 60);
  assert.equal(r.stdout.length, 60 * 101);
  assert.equal(r.truncated, false);
  assert.equal(bed.emu.requests.count('ssm:ListCommandInvocations'), 0);
  assert.ok(bed.emu.requests.count('ssm:GetCommandInvocation') >= 1);
});

test('without the hint the same output is listed (cut at 2,500 bytes) and read whole once more', async () => {
  bed.emu.requests.clear();
  const r = (await runShellScript(bed.app.session(REGION), [instanceId], script, { comment: 'schedule test inline' })).get(instanceId);
  assert.ok(r);
  assert.equal(r.stdout.length, 60 * 101);
  assert.ok(bed.emu.requests.count('ssm:ListCommandInvocations') >= 1);
  assert.equal(bed.emu.requests.count('ssm:GetCommandInvocation'), 1);
});

test("output 'full' on a command that fails keeps its status, exit code and stderr", async () => {
  const r = (await runShellScript(bed.app.session(REGION), [instanceId], ['echo oops >&2', 'exit 3'], { comment: 'schedule test fail', output: 'full' })).get(instanceId);
  assert.ok(r);
  assert.equal(r.status, 'Failed');
  assert.equal(r.responseCode, 3);
  assert.match(r.stderr, /oops/);
});
