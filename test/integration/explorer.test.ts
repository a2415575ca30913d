/**
 * The node explorer against the emulator: the real tree provider (with the fake vscode module) and the real
 * SDK clients. Asserts structure, labels, descriptions, icons and context values as a user would see them.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Emulator } from '../emulator/server';
import { createOpenViduStack, scaleMedia, sdkConfig } from '../support/openviduStack';
import { fake, startTestbed, Testbed } from '../support/testbed';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider, THROTTLED_MESSAGE } from '../../src/features/explorer/clusterTreeProvider';
import { EXPLORER_VIEW } from '../../src/constants';
import { selectRegions } from '../../src/features/explorer/commands/selectRegions';
import { treeSnapshot, SnapshotNode } from '../../src/features/explorer/snapshot';
import { CloudFormationClient, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { injectStackFailure } from '../emulator/openvidu-stack';
import { setStackReadLag } from '../emulator/services/cloudformation';
import { revealStack } from '../../src/features/explorer/reveal';
import { stackResources } from '../../src/aws/lifecycleApi';
import { stackLogGroups } from '../../src/aws/cloudWatchLogs';
import { deletionImpact } from '../../src/openvidu/lifecycle';

let bed: Testbed;
let emu: Emulator;
let app: AppContext;

before(async () => {
  delete process.env.AWS_PROFILE;
  bed = await startTestbed();
  ({ emu, app } = bed);
});
after(() => bed.stop());
beforeEach(() => {
  emu.faults.clear();
  emu.throttles.clear();
});

function provider(): ClusterTreeProvider {
  const p = new ClusterTreeProvider(app, { pollIntervalMs: 50 });
  return p;
}

function find(nodes: SnapshotNode[] | undefined, label: string): SnapshotNode {
  const n = nodes?.find((x) => x.label === label);
  assert.ok(n, `no node "${label}" in [${nodes?.map((x) => x.label).join(', ')}]`);
  return n;
}

test('a healthy stack shows region → stack → 4 masters and its media nodes, with icons and context values', async () => {
  await createOpenViduStack(emu, { name: 'ov-healthy', mediaNodes: 2 });
  const tree = await treeSnapshot(provider());
  const region = find(tree, 'eu-west-1');
  assert.equal(region.contextValue, 'region');
  assert.match(region.description ?? '', /account 123456789012/);
  const stack = find(region.children, 'ov-healthy');
  assert.equal(stack.contextValue, 'stack.complete');
  assert.equal(stack.icon, 'cloud');
  // the words that matter first (a narrow sidebar cuts the end): the domain, then AWS's status
  assert.match(stack.description ?? '', /^openvidu\.example\.com · CREATE_COMPLETE$/);
  const masters = find(stack.children, 'Master nodes');
  assert.equal(masters.contextValue, 'group.masters');
  assert.equal(masters.description, '4/4 running');
  assert.deepEqual(masters.children?.map((m) => m.label), ['Master 1', 'Master 2', 'Master 3', 'Master 4']);
  for (const m of masters.children ?? []) {
    assert.equal(m.contextValue, 'node.master.running');
    assert.equal(m.icon, 'vm-running');
    // Template 3.8.0 gives the SSM policy to media nodes only.
    assert.match(m.description ?? '', /^i-[0-9a-f]+ · running · eu-west-1[a-z] · 10\.\d+\.\d+\.\d+ · SSM: not registered$/);
  }
  const media = find(stack.children, 'Media nodes');
  assert.equal(media.contextValue, 'group.media');
  assert.match(media.description ?? '', /^2 running · desired 2 \(min 0, max 5\)$/);
  assert.equal(media.children?.length, 2);
  for (const m of media.children ?? []) {
    assert.equal(m.contextValue, 'node.media.running');
    assert.match(m.description ?? '', /^InService · eu-west-1[a-z] · 10\.\d+\.\d+\.\d+$/);
  }
});

test('media node counts 0, 1, 50 and 200 are shown exactly, in the same number of calls for the stack', async () => {
  const counts: Record<number, number> = {};
  for (const n of [0, 1, 50, 200]) {
    const name = `ov-media-${n}`;
    await createOpenViduStack(emu, { name, mediaNodes: Math.min(n, 1) });
    if (n !== 1) await scaleMedia(emu, name, n);
    const p = provider();
    const root = await p.getChildren();
    const stacks = await p.getChildren(root[0]);
    const stackNode = stacks.find((s) => s.kind === 'stack' && s.summary.stackName === name)!;
    emu.requests.clear();
    const groups = await p.getChildren(stackNode);
    counts[n] = emu.requests.count();
    const mediaGroup = groups.find((g) => g.kind === 'group' && g.role === 'media')!;
    const items = await p.getChildren(mediaGroup);
    assert.equal(items.filter((i) => i.kind === 'instance').length, n, `media nodes for ${n}`);
    assert.match(p.getTreeItem(mediaGroup).description as string, new RegExp(`^${n} running · desired ${n}`));
  }
  assert.deepEqual(new Set(Object.values(counts)).size, 1, `calls to load one stack: ${JSON.stringify(counts)}`);
  assert.equal(counts[200], 5);
});

test('a stack in progress spins and is polled until it completes, without re-listing stacks', async () => {
  await createOpenViduStack(emu, { name: 'ov-creating', noWait: true });
  const p = provider();
  p.setVisible(true);
  let tree = await treeSnapshot(p, { depth: 2 });
  let creating = find(find(tree, 'eu-west-1').children, 'ov-creating');
  assert.equal(creating.contextValue, 'stack.inProgress');
  assert.equal(creating.icon, 'sync~spin');
  // Polling re-reads only the transitional stack: after simulated time passes it is complete.
  emu.clock.advance(2 * 60 * 60_000);
  emu.requests.clear();
  await p.pollOnce();
  const actions = new Set(emu.requests.entries.map((e) => e.action));
  assert.ok(!actions.has('ListStacks'), 'polling does not re-list stacks');
  assert.ok(emu.requests.filter('DescribeStacks').every((e) => e.params.StackName === 'ov-creating'));
  tree = await treeSnapshot(p, { depth: 2 });
  creating = find(find(tree, 'eu-west-1').children, 'ov-creating');
  assert.equal(creating.contextValue, 'stack.complete');
  p.setVisible(false);
  p.dispose();
});

test('a failed stack (resources kept) and a rolled-back one show the failure, with error and warning icons', async () => {
  injectStackFailure(emu.world, { stackName: 'ov-failed', logicalId: 'MasterNodesWaitCondition3', reason: 'WaitCondition timed out. Received 0 conditions when expecting 1' });
  injectStackFailure(emu.world, { stackName: 'ov-rolled', logicalId: 'MasterNodesWaitCondition2' });
  await createOpenViduStack(emu, { name: 'ov-failed', onFailure: 'DO_NOTHING' });
  await createOpenViduStack(emu, { name: 'ov-rolled', onFailure: 'ROLLBACK' });
  const tree = await treeSnapshot(provider());
  const region = find(tree, 'eu-west-1');
  const failed = find(region.children, 'ov-failed');
  assert.equal(failed.contextValue, 'stack.failed');
  assert.equal(failed.icon, 'error');
  assert.equal(failed.children![0].label, 'CREATE_FAILED: MasterNodesWaitCondition3: WaitCondition timed out. Received 0 conditions when expecting 1');
  assert.equal(failed.children![0].contextValue, 'info');
  // DO_NOTHING keeps the masters that were created before the failure.
  assert.equal(find(failed.children, 'Master nodes').children?.length, 3);
  const rolled = find(region.children, 'ov-rolled');
  // rolled back before master node 1 generated the credentials: no credential actions (menus match `.nosecret`)
  assert.equal(rolled.contextValue, 'stack.rolledBack.nosecret');
  assert.equal(rolled.icon, 'warning');
  assert.match(rolled.description ?? '', /^rolled back · (\S+ · )?ROLLBACK_COMPLETE$/);
});

test('throttling during load is retried through; an expired token becomes an error node with the fix and a retry', async () => {
  emu.faults.add({ service: 'cloudformation', action: 'ListStacks', kind: 'throttle', count: 1 });
  let tree = await treeSnapshot(provider(), { depth: 2 });
  assert.ok(find(tree, 'eu-west-1').children!.some((c) => c.contextValue?.startsWith('stack.')));
  emu.faults.add({ service: 'cloudformation', action: 'ListStacks', kind: 'expiredToken', count: 1 });
  const p = provider();
  tree = await treeSnapshot(p, { depth: 2 });
  const errorNode = find(tree, 'eu-west-1').children![0];
  assert.equal(errorNode.contextValue, 'error');
  assert.equal(errorNode.icon, 'error');
  assert.match(errorNode.label, /^Failed to load: The AWS security token has expired\. Renew the credentials/);
  // Retry (what clicking the error node does) loads the region again.
  const region = (await p.getChildren())[0];
  const [message] = await p.getChildren(region);
  assert.equal(message.kind, 'message');
  p.refresh(message.kind === 'message' ? message.retryTarget as never : undefined);
  const again = await p.getChildren(region);
  assert.ok(again.some((c) => c.kind === 'stack'));
});

test('a stack deleted between two refreshes disappears cleanly', async () => {
  await createOpenViduStack(emu, { name: 'ov-doomed' });
  const p = provider();
  const region = (await p.getChildren())[0];
  const stacks = await p.getChildren(region);
  const doomed = stacks.find((s) => s.kind === 'stack' && s.summary.stackName === 'ov-doomed')!;
  assert.ok(doomed);
  const cfn = new CloudFormationClient(sdkConfig(emu));
  await cfn.send(new DeleteStackCommand({ StackName: 'ov-doomed' }));
  emu.clock.advance(60 * 60_000);
  // Expanding the (now deleted) stack drops it from the region instead of showing an error.
  assert.deepEqual(await p.getChildren(doomed), []);
  const after = await p.getChildren(region);
  assert.ok(!after.some((s) => s.kind === 'stack' && s.summary.stackName === 'ov-doomed'));
  // A full refresh does not list it either.
  await p.reloadNow();
  const fresh = await p.getChildren((await p.getChildren())[0]);
  assert.ok(!fresh.some((s) => s.kind === 'stack' && s.summary.stackName === 'ov-doomed'));
});

test('no credentials: an empty tree (welcome content) and the context key says so', async () => {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
  delete process.env.AWS_ACCESS_KEY_ID;
  delete process.env.AWS_SECRET_ACCESS_KEY;
  const savedFiles = { c: process.env.AWS_CONFIG_FILE, s: process.env.AWS_SHARED_CREDENTIALS_FILE };
  process.env.AWS_CONFIG_FILE = '/nonexistent/config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  try {
    fake.setSetting('openviduHa.profile', 'missing-profile');
    const p = provider();
    assert.deepEqual(await p.getChildren(), []);
    const setContext = fake.recorded.commands.filter((c) => c.command === 'setContext').at(-1);
    assert.deepEqual(setContext?.args, ['openviduHa.credentialsState', 'missing']);
  } finally {
    fake.setSetting('openviduHa.profile', '');
    restore('AWS_ACCESS_KEY_ID', saved.id);
    restore('AWS_SECRET_ACCESS_KEY', saved.secret);
    restore('AWS_CONFIG_FILE', savedFiles.c);
    restore('AWS_SHARED_CREDENTIALS_FILE', savedFiles.s);
    delete process.env.AWS_EC2_METADATA_DISABLED;
  }
});

function restore(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}

/** The next change event of the tree (what makes VS Code ask for children again). */
function nextChange(p: ClusterTreeProvider): Promise<void> {
  return new Promise((resolve) => {
    const d = p.onDidChangeTreeData(() => {
      d.dispose();
      resolve();
    });
  });
}

test('a load that AWS throttles beyond the SDK retries says the explorer is waiting (no error node), then retries by itself', async () => {
  await createOpenViduStack(emu, { name: 'ov-throttled' });
  // An empty bucket that does not refill: every ListStacks is throttled until the test lifts it.
  emu.throttles.set({ service: 'cloudformation', action: 'ListStacks', bucketSize: 0, refillPerSecond: 0 });
  emu.requests.clear();
  const p = new ClusterTreeProvider(app, { pollIntervalMs: 60_000, throttleRetryMs: 20 });
  try {
    const region = (await p.getChildren())[0];
    const [waiting, ...rest] = await p.getChildren(region);
    assert.equal(rest.length, 0);
    const item = p.getTreeItem(waiting);
    assert.equal(item.label, THROTTLED_MESSAGE);
    assert.equal((item.iconPath as { id?: string }).id, 'loading~spin');
    assert.notEqual(item.contextValue, 'error');
    assert.ok(emu.requests.count('ListStacks') >= 2, 'the SDK retried the throttled call first');
    // AWS lets calls through again: the explorer's own retry redraws the region with its stacks.
    const changed = nextChange(p);
    emu.throttles.clear();
    await changed;
    const stacks = await p.getChildren(region);
    assert.ok(stacks.some((s) => s.kind === 'stack' && s.summary.stackName === 'ov-throttled'));
  } finally {
    p.dispose();
  }
});

test('a poll that AWS throttles keeps the last state, says it is waiting and slows the polls down; they speed up once AWS answers', async () => {
  await createOpenViduStack(emu, { name: 'ov-polled', noWait: true });
  const p = new ClusterTreeProvider(app, { pollIntervalMs: 10_000 });
  p.setVisible(true);
  try {
    const find1 = async () => find(find(await treeSnapshot(p, { depth: 2 }), 'eu-west-1').children, 'ov-polled');
    assert.equal((await find1()).contextValue, 'stack.inProgress');
    assert.equal(p.pollDelayMs(), 10_000);
    emu.throttles.set({ service: 'cloudformation', action: 'DescribeStacks', bucketSize: 0, refillPerSecond: 0 });
    await p.pollOnce();
    let row = await find1();
    assert.equal(row.contextValue, 'stack.inProgress', 'the last known state stays');
    assert.ok(row.description?.endsWith(`· ${THROTTLED_MESSAGE}`), row.description);
    assert.equal(p.pollDelayMs(), 20_000);
    await p.pollOnce();
    assert.equal(p.pollDelayMs(), 40_000);
    emu.throttles.clear();
    emu.clock.advance(2 * 60 * 60_000);
    await p.pollOnce();
    assert.equal(p.pollDelayMs(), 10_000);
    row = await find1();
    assert.equal(row.contextValue, 'stack.complete');
    assert.ok(!row.description?.includes(THROTTLED_MESSAGE), row.description);
  } finally {
    p.setVisible(false);
    p.dispose();
  }
});

test('a persistent 5xx from AWS says the problem is on AWS\'s side and offers a retry that works once AWS recovers', async () => {
  emu.faults.add({ service: 'cloudformation', action: 'ListStacks', kind: 'internal', count: 100 });
  const p = provider();
  const region = (await p.getChildren())[0];
  const [node] = await p.getChildren(region);
  const item = p.getTreeItem(node);
  assert.equal(item.contextValue, 'error');
  assert.match(String(item.label), /^Failed to load: AWS answered with an internal error \(HTTP 500 InternalFailure\) even after retries: the problem is on AWS's side/);
  assert.equal(item.command?.title, 'Retry');
  emu.faults.clear();
  p.refresh(node.kind === 'message' ? (node.retryTarget as never) : undefined);
  assert.ok((await p.getChildren(region)).some((c) => c.kind === 'stack'));
});

test('a connection reset on every attempt becomes an error node that names the reset and offers a retry', async () => {
  emu.faults.add({ service: 'cloudformation', action: 'ListStacks', kind: 'reset', count: 100 });
  const p = provider();
  const region = (await p.getChildren())[0];
  const [node] = await p.getChildren(region);
  const item = p.getTreeItem(node);
  assert.equal(item.contextValue, 'error');
  assert.match(String(item.label), /^Failed to load: The connection to http:\/\/127\.0\.0\.1:\d+ was reset in the middle of a call, even after retries\./);
  assert.equal(item.command?.title, 'Retry');
});

test('a slow AWS (several seconds per call) shows the view\'s progress bar while the tree loads', async () => {
  const shown: { location: unknown; settled: boolean }[] = [];
  const original = fake.window.withProgress;
  fake.window.withProgress = (async (options: { location: unknown }, task: (...a: never[]) => Promise<unknown>) => {
    const entry = { location: options.location, settled: false };
    shown.push(entry);
    try {
      return await original(options as never, task as never);
    } finally {
      entry.settled = true;
    }
  }) as typeof original;
  try {
    emu.faults.add({ service: 'cloudformation', action: 'ListStacks', kind: 'latency', latencyMs: 2000, count: 1 });
    const p = provider();
    const region = (await p.getChildren())[0];
    shown.length = 0;
    const loading = p.getChildren(region);
    assert.equal(shown.length, 1, 'a progress indicator is shown as soon as the region loads');
    assert.deepEqual(shown[0].location, { viewId: EXPLORER_VIEW });
    assert.equal(shown[0].settled, false, 'still shown while AWS is slow');
    const stacks = await loading;
    assert.ok(stacks.every((s) => s.kind !== 'message' || p.getTreeItem(s).contextValue !== 'error'));
    await new Promise((r) => setImmediate(r));
    assert.equal(shown[0].settled, true, 'gone once the load ends');
  } finally {
    fake.window.withProgress = original;
  }
});

test('the region picker lists the account\'s regions from DescribeRegions, marking opt-in regions not enabled', async () => {
  let offered: { label: string; description?: string; picked?: boolean }[] = [];
  fake.answers.quickPick.push((items) => {
    offered = items as typeof offered;
    return undefined;
  });
  emu.requests.clear();
  await selectRegions(app);
  assert.equal(emu.requests.count('ec2:DescribeRegions'), 1);
  const labels = offered.map((i) => i.label);
  // Regions the hand-kept list of 28 did not have, and opt-in ones marked as such.
  assert.ok(labels.includes('mx-central-1') && labels.includes('ap-southeast-7'), labels.join(','));
  // each code with its name (DescribeRegions has none): a person knows "Ireland", not eu-west-1
  assert.equal(offered.find((i) => i.label === 'af-south-1')?.description, 'Africa (Cape Town) · not enabled for this account');
  assert.equal(offered.find((i) => i.label === 'eu-west-1')?.picked, true);
  assert.equal(offered.find((i) => i.label === 'eu-west-1')?.description, 'Europe (Ireland)');
  assert.match(offered.find((i) => i.label === 'mx-central-1')?.description ?? '', /^Mexico \(Central\)/);
});
// ---- issue 12: AWS as it really is -------------------------------------------------------------------------

test('a stack with more than 100 resources: every resource is read (ListStackResources pages; DescribeStackResources stops at 100)', async () => {
  await createOpenViduStack(emu, { name: 'ov-big', mediaNodes: 1 });
  const stack = emu.world.region('eu-west-1').stacks.find((x) => x.stackName === 'ov-big' && x.status !== 'DELETE_COMPLETE')!;
  const now = emu.world.now();
  // a future template with more resources: the buckets and the log group end up past the 100th
  stack.resources.unshift(...Array.from({ length: 60 }, (_, i) => ({ logicalId: `Extra${i}`, physicalId: `extra-${i}`, type: 'AWS::SSM::Parameter', status: 'CREATE_COMPLETE', timestamp: now })));
  const total = stack.resources.length;
  const session = app.session('eu-west-1');
  const resources = await stackResources(session, 'ov-big');
  assert.equal(resources.length, total);
  const impact = deletionImpact(resources);
  assert.equal(impact.retained.length, 2, 'both retained S3 buckets are named before deletion');
  assert.ok((await stackLogGroups(session, 'ov-big')).length >= 1, 'the log groups are found');
  assert.equal(emu.requests.filter('DescribeStackResources').length, 0, 'DescribeStackResources is not used');
});

test('a stack just created that ListStacks does not return yet is still revealed (eventual consistency)', async () => {
  setStackReadLag(emu.world, 3);
  try {
    await createOpenViduStack(emu, { name: 'ov-reveal-lag', noWait: true });
    const p = provider();
    const revealed: string[] = [];
    const view = { visible: true, reveal: async (n: { summary: { stackName: string } }) => void revealed.push(n.summary.stackName) };
    // one read inside the window does not see it
    assert.equal(await revealStack({ provider: p, view } as never, 'eu-west-1', 'ov-reveal-lag', false, undefined, { attempts: 1 }), false);
    assert.deepEqual(revealed, []);
    const found = await revealStack({ provider: p, view } as never, 'eu-west-1', 'ov-reveal-lag', false, undefined, { retryDelayMs: 1 });
    assert.equal(found, true);
    assert.deepEqual(revealed, ['ov-reveal-lag']);
  } finally {
    setStackReadLag(emu.world, 0);
  }
});
