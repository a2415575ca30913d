/**
 * Lifecycle actions against the emulator: scale with a drain, invalid sizes refused before any call, shut down
 * then start restoring the sizes, delete with a wrong typed name refused, then done.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { Emulator } from '../emulator/server';
import { createOpenViduStack } from '../support/openviduStack';
import { fake, stackNode, startTestbed, Testbed, withFastClock } from '../support/testbed';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { StackNode } from '../../src/features/explorer/treeNodes';
import { scaleMediaNodes } from '../../src/features/lifecycle/commands/scaleMediaNodes';
import { shutDownCluster } from '../../src/features/lifecycle/commands/shutDownCluster';
import { startCluster } from '../../src/features/lifecycle/commands/startCluster';
import { deleteDeployment } from '../../src/features/lifecycle/commands/deleteDeployment';
import { treeSnapshot } from '../../src/features/explorer/snapshot';
import { injectStackFailure } from '../emulator/openvidu-stack';

let bed: Testbed;
let emu: Emulator;
let app: AppContext;

before(async () => {
  bed = await startTestbed();
  ({ emu, app } = bed);
  await createOpenViduStack(emu, { name: 'ov-life', mediaNodes: 2 });
});
after(() => bed.stop());

const stack = (p: ClusterTreeProvider, name = 'ov-life'): Promise<StackNode> => stackNode(p, name);

test('invalid sizes are refused before any AWS call that changes something', async () => {
  const p = new ClusterTreeProvider(app);
  const s = await stack(p);
  for (const bad of ['-1', '2.5', 'ten', '9', '3/2/5', '1/2']) {
    emu.requests.clear();
    assert.equal(await scaleMediaNodes(app, p, s, bad), undefined, bad);
    assert.equal(emu.requests.count('autoscaling:UpdateAutoScalingGroup'), 0, bad);
  }
  const last = fake.recorded.notifications.at(-1);
  assert.equal(last?.level, 'error');
  assert.match(last?.message ?? '', /Not scaled: Type the desired number of media nodes/);
  assert.ok(fake.recorded.notifications.some((n) => /Desired \(9\) must not be above the maximum \(5\)/.test(n.message)));
});

test('scale out, then in: removed nodes drain (shown as draining) and then go', async () => {
  const p = new ClusterTreeProvider(app);
  let s = await stack(p);
  assert.deepEqual(await scaleMediaNodes(app, p, s, '3'), { min: 0, desired: 3, max: 5 });
  emu.clock.advance(5 * 60_000);
  await p.reloadNow();
  s = await stack(p);
  await p.getChildren(s);
  assert.equal(s.cluster!.media.filter((m) => m.lifecycleState === 'InService').length, 3);
  // Expanding the media group reads its latest scaling activity once and shows it on the group's row.
  const group = (await p.getChildren(s)).find((g) => g.kind === 'group' && g.role === 'media')!;
  const redrawn = new Promise<void>((resolve) => p.onDidChangeTreeData((n) => n === group && resolve()));
  await p.getChildren(group);
  await redrawn;
  const tooltip = p.getTreeItem(group).tooltip as vscode.MarkdownString;
  assert.match(tooltip.value, /Latest scaling activity \(Successful, .*\): Launching a new EC2 instance: i-/);
  emu.requests.clear();
  await p.getChildren(group);
  assert.equal(emu.requests.count('autoscaling:DescribeScalingActivities'), 0, 'read once per load');
  assert.deepEqual(await scaleMediaNodes(app, p, s, '1'), { min: 0, desired: 1, max: 5 });
  emu.clock.advance(60_000);
  await p.reloadNow();
  const tree = await treeSnapshot(p);
  const media = tree[0].children!.find((x) => x.label === 'ov-life')!.children!.find((g) => g.label === 'Media nodes')!;
  assert.match(media.description ?? '', /2 draining/);
  assert.equal(media.children!.filter((n) => n.contextValue === 'node.media.draining').length, 2);
  assert.ok(media.children!.filter((n) => n.contextValue === 'node.media.draining').every((n) => /^Terminating:Wait/.test(n.description ?? '')));
  // After the drain (up to an hour) they are gone.
  emu.clock.advance(65 * 60_000);
  await p.reloadNow();
  s = await stack(p);
  await p.getChildren(s);
  assert.equal(s.cluster!.media.filter((m) => m.state !== 'terminated').length, 1);
});

test('shut down then start restores the media group sizes it had', async () => {
  const p = new ClusterTreeProvider(app);
  let s = await stack(p);
  assert.deepEqual(await scaleMediaNodes(app, p, s, '1/2/4'), { min: 1, desired: 2, max: 4 });
  emu.clock.advance(5 * 60_000);
  assert.equal(await withFastClock(emu, () => shutDownCluster(app, p, s, { confirmed: true, pollMs: 20 })), true);
  await p.reloadNow();
  s = await stack(p);
  await p.getChildren(s);
  assert.ok(s.cluster!.masters.every((m) => m.state === 'stopped'), JSON.stringify(s.cluster!.masters.map((m) => m.state)));
  assert.equal(s.cluster!.mediaGroup.desired, 0);
  assert.equal(s.cluster!.media.filter((m) => m.state !== 'terminated').length, 0);
  // The tree says so, and offers Start instead of Shut Down.
  assert.equal(p.getTreeItem(s).contextValue, 'stack.complete.stopped');
  assert.match(String(p.getTreeItem(s).description), /^shut down · /);
  // Any machine can start it: the sizes live on the group (a tag), not in this extension's memory.
  assert.deepEqual(await withFastClock(emu, () => startCluster(app, new ClusterTreeProvider(app), s, { pollMs: 20 })), { min: 1, desired: 2, max: 4 });
  await p.reloadNow();
  s = await stack(p);
  await p.getChildren(s);
  assert.ok(s.cluster!.masters.every((m) => m.state === 'running'));
  assert.equal(s.cluster!.mediaGroup.desired, 2);
  assert.equal(s.cluster!.mediaGroup.min, 1);
  assert.equal(s.cluster!.mediaGroup.max, 4);
});

test('actions refuse a stack whose state does not allow them', async () => {
  await createOpenViduStack(emu, { name: 'ov-busy', noWait: true });
  const p = new ClusterTreeProvider(app);
  const s = await stack(p, 'ov-busy');
  emu.requests.clear();
  assert.equal(await scaleMediaNodes(app, p, s, '2'), undefined);
  assert.match(fake.recorded.notifications.at(-1)?.message ?? '', /Cannot scale ov-busy: the stack is CREATE_IN_PROGRESS: wait until the operation in progress finishes/);
  assert.equal(emu.requests.count('autoscaling:UpdateAutoScalingGroup'), 0);
});

test('delete: a wrong typed name is refused, the right one deletes and names the retained buckets', async () => {
  const p = new ClusterTreeProvider(app);
  const s = await stack(p);
  emu.requests.clear();
  assert.equal(await deleteDeployment(app, p, s, { typedName: 'ov-lif' }), undefined);
  assert.equal(emu.requests.count('cloudformation:DeleteStack'), 0);
  assert.match(fake.recorded.notifications.at(-1)?.message ?? '', /Not deleted: the typed name "ov-lif" is not "ov-life"/);
  const result = await withFastClock(emu, () => deleteDeployment(app, p, s, { typedName: 'ov-life', pollMs: 20 }));
  assert.equal(result?.status, 'deleted');
  assert.equal(result?.retainedBuckets.length, 2);
  assert.match(fake.recorded.notifications.at(-1)?.message ?? '', /ov-life is deleted\. Retained S3 buckets: /);
  await p.reloadNow();
  const region = (await p.getChildren())[0];
  assert.ok(!(await p.getChildren(region)).some((x) => x.kind === 'stack' && x.summary.stackName === 'ov-life'));
});

test('a failed delete shows the failing resource and its reason', async () => {
  await createOpenViduStack(emu, { name: 'ov-stuck' });
  injectStackFailure(emu.world, { stackName: 'ov-stuck', logicalId: 'OpenViduMasterNodeSG', operation: 'delete', reason: 'resource sg-0abc has a dependent object' });
  const p = new ClusterTreeProvider(app);
  const s = await stack(p, 'ov-stuck');
  const result = await withFastClock(emu, () => deleteDeployment(app, p, s, { typedName: 'ov-stuck', pollMs: 20 }));
  assert.equal(result?.status, 'failed');
  assert.equal(result?.reason, 'OpenViduMasterNodeSG: resource sg-0abc has a dependent object');
  assert.match(fake.recorded.notifications.at(-1)?.message ?? '', /Deleting ov-stuck failed: OpenViduMasterNodeSG: resource sg-0abc has a dependent object/);
  await p.reloadNow();
  const again = await stack(p, 'ov-stuck');
  assert.equal(p.getTreeItem(again).contextValue, 'stack.failed');
});

test('a stack deleted while it is being scaled: a clear message that it is gone, and the tree refreshed (issue 12)', async () => {
  await createOpenViduStack(emu, { name: 'ov-gone', mediaNodes: 1 });
  const p = new ClusterTreeProvider(app);
  const s = await stack(p, 'ov-gone');
  await p.getChildren(s);
  assert.ok(s.cluster?.mediaGroup.asgName);
  // someone else deletes the stack (console, CLI) while the user has it in the tree
  const { CloudFormationClient, DeleteStackCommand } = await import('@aws-sdk/client-cloudformation');
  const { sdkConfig, settleStack } = await import('../support/openviduStack');
  await new CloudFormationClient(sdkConfig(emu)).send(new DeleteStackCommand({ StackName: 'ov-gone' }));
  assert.equal(await settleStack(emu, 'ov-gone'), 'DELETE_COMPLETE');
  const before = fake.recorded.notifications.length;
  assert.equal(await scaleMediaNodes(app, p, s, '2'), undefined);
  const said = fake.recorded.notifications.slice(before);
  assert.ok(
    said.some((n) => n.level === 'error' && /ov-gone \(eu-west-1\) no longer exists: it was deleted while scaling its media nodes\. Nothing was changed; the OpenVidu HA view was refreshed\./.test(n.message)),
    JSON.stringify(said),
  );
  const tree = await treeSnapshot(p);
  assert.ok(!JSON.stringify(tree).includes('ov-gone'), 'the deleted stack is gone from the tree');
});

test('a stack deleted before Shut Down, Start or Update runs: the same clear message, nothing sent, the tree refreshed (issue 12)', async () => {
  const { CloudFormationClient, DeleteStackCommand } = await import('@aws-sdk/client-cloudformation');
  const { sdkConfig, settleStack } = await import('../support/openviduStack');
  const { updateDeployment } = await import('../../src/features/lifecycle/commands/updateDeployment');
  const { ReportDocuments } = await import('../../src/features/operations/reportDocument');
  const cases: [string, string, (p: ClusterTreeProvider, s: StackNode) => Promise<unknown>][] = [
    ['ov-gone-shutdown', 'shutting it down', (p, s) => shutDownCluster(app, p, s, { confirmed: true, pollMs: 20 })],
    ['ov-gone-start', 'starting it', (p, s) => startCluster(app, p, s, { pollMs: 20 })],
    ['ov-gone-update', 'updating it', (p, s) => updateDeployment(app, p, new ReportDocuments(), s, { changes: { MasterNodesDiskSize: '20' }, decision: 'execute', pollMs: 20 })],
  ];
  for (const [name, doing, run] of cases) {
    await createOpenViduStack(emu, { name, mediaNodes: 1 });
    const p = new ClusterTreeProvider(app);
    const s = await stack(p, name);
    await p.getChildren(s);
    await new CloudFormationClient(sdkConfig(emu)).send(new DeleteStackCommand({ StackName: name }));
    assert.equal(await settleStack(emu, name), 'DELETE_COMPLETE');
    const before = fake.recorded.notifications.length;
    emu.requests.clear();
    assert.ok(!(await run(p, s)), `${name}: nothing done`);
    const said = fake.recorded.notifications.slice(before);
    assert.ok(
      said.some((n) => n.level === 'error' && new RegExp(`${name} \\(eu-west-1\\) no longer exists: it was deleted while ${doing}\\.`).test(n.message)),
      `${name}: ${JSON.stringify(said)}`,
    );
    const writes = emu.requests.filter().filter((r) => /^(Stop|Start|Terminate|Update|Create|Set|Execute)/.test(r.action));
    assert.deepEqual(writes.map((r) => r.action), [], `${name}: no write reached AWS`);
    assert.ok(!JSON.stringify(await treeSnapshot(p)).includes(name), `${name}: gone from the tree`);
  }
});
