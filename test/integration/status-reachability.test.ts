/**
 * A status check sends its SendCommand to nodes SSM reported Online within the last minute without waiting for the
 * reachability check (src/aws/ssmInventory.ts, operations/reachability.ts runWhereReachable); that check still
 * decides. 4 masters (not registered with SSM: template 3.8.0) + 3 media nodes.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Emulator } from '../emulator/server';
import { createOpenViduStack } from '../support/openviduStack';
import { fake, stackNode as namedStack, startTestbed, Testbed } from '../support/testbed';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { checkStatus } from '../../src/features/operations/commands/checkStatus';
import { ReportDocuments } from '../../src/features/operations/reportDocument';
import type { StackNode } from '../../src/features/explorer/treeNodes';

const REGION = 'eu-west-1';
let bed: Testbed;
let emu: Emulator;
let app: AppContext;

before(async () => {
  bed = await startTestbed({ speed: 20 });
  ({ emu, app } = bed);
  await createOpenViduStack(emu, { name: 'ov-reach', mediaNodes: 3 });
  // launched an hour ago by the client's clock (the emulator's runs 20x ahead): the unregistered masters are not
  // "just launched", so no check waits for them to register (reachability.ts REGISTRATION_RETRY_MS); not the subject here
  for (const i of emu.world.regions.get(REGION)!.instances.values()) i.launchTime = Date.now() - 3_600_000;
});
after(() => bed.stop());
beforeEach(() => emu.faults.clear());

const stackNode = (p: ClusterTreeProvider): Promise<StackNode> => namedStack(p, 'ov-reach');
const instance = (id: string) => emu.world.regions.get(REGION)!.instances.get(id)!;

/** A first check (it reads every node's PingStatus: the media nodes are then known Online), then the request log cleared. */
async function warm(p: ClusterTreeProvider, stack: StackNode): Promise<void> {
  const rows = await checkStatus(app, p, new ReportDocuments(), stack);
  assert.equal(rows?.filter((r) => r.status).length, 3, JSON.stringify(fake.recorded.notifications.slice(-2)));
  emu.requests.clear();
}

test('nodes seen Online lately get their SendCommand before the reachability answer; unregistered masters get none', async () => {
  const p = new ClusterTreeProvider(app);
  const stack = await stackNode(p);
  await warm(p, stack);
  // the reachability read is slow: the send to the media nodes must not wait for it (the emulator logs a request
  // when it answers, so the SendCommand is logged first only if it was sent without waiting)
  emu.faults.add({ service: 'ssm', action: 'DescribeInstanceInformation', kind: 'latency', latencyMs: 1500 });
  const rows = await checkStatus(app, p, new ReportDocuments(), stack);
  assert.ok(rows);
  const log = emu.requests.filter().filter((r) => r.service === 'ssm');
  const describe = log.findIndex((r) => r.action === 'DescribeInstanceInformation');
  const send = log.findIndex((r) => r.action === 'SendCommand');
  assert.ok(describe >= 0 && send >= 0, log.map((r) => r.action).join(', '));
  assert.ok(send < describe, `SendCommand waited for the reachability check: ${log.map((r) => r.action).join(', ')}`);
  // the same rows as a check-first run: media nodes report their services, masters are explained, never sent to
  const media = stack.cluster!.media.map((m) => m.instanceId);
  assert.deepEqual(rows.filter((r) => r.status).map((r) => r.instanceId).sort(), [...media].sort());
  for (const m of rows.filter((r) => r.role === 'master')) assert.match(m.error ?? '', /^Not registered with SSM\. Template 3\.8\.0/);
  const sentTo = emu.requests.filter('ssm:SendCommand').flatMap((r) => r.params.InstanceIds as string[]);
  assert.deepEqual([...sentTo].sort(), [...media].sort());
});

test('a node Online a moment ago whose agent lost its connection: its invocation is cancelled and it is reported as before', async () => {
  const p = new ClusterTreeProvider(app);
  const stack = await stackNode(p);
  await warm(p, stack);
  // the agent loses its credentials (instance profile gone): SSM marks it ConnectionLost, the instance runs on
  const lost = instance(stack.cluster!.media[0].instanceId);
  const was = { profile: lost.iamInstanceProfileArn, registered: lost.ssmRegistered };
  lost.iamInstanceProfileArn = undefined;
  lost.ssmRegistered = false;
  try {
    const rows = await checkStatus(app, p, new ReportDocuments(), stack);
    assert.ok(rows);
    const row = rows.find((r) => r.instanceId === lost.instanceId)!;
    // the message of a check-first run (reachability.ts)
    assert.equal(row.error, 'The SSM agent is ConnectionLost: the instance may be starting, stopping or out of network reach. Try again in a minute.');
    assert.equal(rows.filter((r) => r.status).length, 2);
    // nothing is left waiting for delivery on that node (a disconnected agent's command would wait TimeoutSeconds)
    const invocations = [...emu.world.regions.get(REGION)!.ssmCommands.values()].flatMap((c) => c.invocations).filter((i) => i.instanceId === lost.instanceId);
    for (const inv of invocations) assert.ok(['Cancelled', 'Success'].includes(inv.status), inv.status);
    const cancels = emu.requests.filter('ssm:CancelCommand');
    if (invocations.some((i) => i.status === 'Cancelled')) assert.deepEqual(cancels.map((c) => c.params.InstanceIds), [[lost.instanceId]]);
    // the stored status says why, for the explorer
    assert.equal(app.nodeStatus.get(lost.instanceId)?.error, row.error);
  } finally {
    lost.iamInstanceProfileArn = was.profile;
    lost.ssmRegistered = was.registered;
  }
});

test('a SendCommand refused for a node no longer valid (InvalidInstanceId) falls back to checking first', async () => {
  const p = new ClusterTreeProvider(app);
  const stack = await stackNode(p);
  emu.clock.advance(120_000); // the agent whose profile came back has registered again
  await warm(p, stack);
  emu.faults.add({ service: 'ssm', action: 'SendCommand', kind: 'error', code: 'InvalidInstanceId', message: 'Instances [[i-0]] not in a valid state for account 123456789012', status: 400, count: 1 });
  const rows = await checkStatus(app, p, new ReportDocuments(), stack);
  assert.ok(rows, JSON.stringify(fake.recorded.notifications.slice(-2)));
  assert.equal(rows.filter((r) => r.status).length, 3);
  const log = emu.requests.filter().filter((r) => r.service === 'ssm').map((r) => `${r.action}${r.errorCode ? `:${r.errorCode}` : ''}`);
  assert.deepEqual(
    log.filter((a) => a.startsWith('SendCommand')),
    ['SendCommand:InvalidInstanceId', 'SendCommand'],
  );
  // the second send went after the reachability answer
  assert.ok(log.indexOf('DescribeInstanceInformation') < log.lastIndexOf('SendCommand'), log.join(', '));
});
