/**
 * Failed and stopped clusters (issue 13, items 7 and 8): what the rows offer (package.json menus evaluated on the
 * rows' context values, as VS Code does), what the palette says when an action cannot work there, the failed
 * stack's next steps, the media row of a group that was never created, and the delete confirmation's count.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Emulator } from '../emulator/server';
import { createOpenViduStack } from '../support/openviduStack';
import { injectStackFailure } from '../emulator/openvidu-stack';
import { fake, stackNode, startTestbed, Testbed } from '../support/testbed';
import { RenderedTree } from '../support/renderedTree';
import { offeredCommands } from '../support/menus';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { ExplorerNode, GroupNode, InstanceNode } from '../../src/features/explorer/treeNodes';
import { shutDownCluster } from '../../src/features/lifecycle/commands/shutDownCluster';
import { scaleMediaNodes } from '../../src/features/lifecycle/commands/scaleMediaNodes';
import { deleteDeployment } from '../../src/features/lifecycle/commands/deleteDeployment';
import { checkStatus } from '../../src/features/operations/commands/checkStatus';
import { runCommand } from '../../src/features/operations/commands/runCommand';
import { restartOpenVidu } from '../../src/features/operations/commands/restartOpenVidu';
import { followLogs } from '../../src/features/operations/commands/followLogs';
import { TailManager } from '../../src/features/operations/tailManager';
import { ReportDocuments } from '../../src/features/operations/reportDocument';
import { CredentialsFeature } from '../../src/features/credentials/feature';
import { copyLiveKitCredentials } from '../../src/features/credentials/commands/copyLiveKitCredentials';
import { checkCredentials } from '../../src/features/credentials/commands/checkCredentials';
import { writeCredentialsToConfig } from '../../src/features/credentials/commands/writeCredentialsToConfig';

let bed: Testbed;
let emu: Emulator;
let app: AppContext;
const REGION = 'eu-west-1';

before(async () => {
  bed = await startTestbed({ demo: true });
  ({ emu, app } = bed);
});
after(() => bed.stop());

const OPERATIONS = ['checkStatus', 'followLogs', 'scaleMediaNodes', 'restartOpenVidu', 'restartService', 'runCommand'];
const CREDENTIALS = ['copyLiveKitCredentials', 'copyOpenViduV2Credentials', 'copyAdminCredentials', 'writeCredentialsToConfig', 'checkCredentials'];

async function children(p: ClusterTreeProvider, node: ExplorerNode): Promise<ExplorerNode[]> {
  return p.getChildren(node);
}

test('a shut-down cluster: its group and node rows offer Start Cluster, not the operations; a running one offers them', async () => {
  await createOpenViduStack(emu, { name: 'ov-off', mediaNodes: 1 });
  const p = new ClusterTreeProvider(app, { pollIntervalMs: 20 });
  const view = new RenderedTree(p);
  try {
    p.setVisible(true);
    await view.open();
    // before: a running cluster's rows offer the operations
    const runningMasters = view.find(REGION, 'ov-off', 'Master nodes')!;
    for (const op of ['checkStatus', 'followLogs', 'restartOpenVidu', 'runCommand']) assert.ok(offeredCommands(runningMasters.contextValue).has(op), `${op} on a running cluster's masters`);
    assert.ok(offeredCommands(runningMasters.children![0].contextValue).has('checkStatus'));
    assert.ok(!offeredCommands(runningMasters.contextValue).has('startCluster'));

    const s = await stackNode(p, 'ov-off');
    const t = setInterval(() => emu.clock.advance(60_000), 20);
    try {
      assert.equal(await shutDownCluster(app, p, s, { confirmed: true, pollMs: 20 }), true);
    } finally {
      clearInterval(t);
    }
    await view.until((v) => (v.find(REGION, 'ov-off', 'Master nodes')?.children ?? []).length === 4 && v.find(REGION, 'ov-off', 'Master nodes')!.children!.every((m) => /^node\.master\.stopped/.test(m.contextValue ?? '')), 'four stopped masters');
    const masters = view.find(REGION, 'ov-off', 'Master nodes')!;
    const media = view.find(REGION, 'ov-off', 'Media nodes')!;
    for (const row of [masters, media, ...masters.children!]) {
      const offered = offeredCommands(row.contextValue);
      for (const op of OPERATIONS) assert.ok(!offered.has(op), `${op} is offered on ${row.label} (${row.contextValue}) of a shut-down cluster`);
      assert.ok(offered.has('startCluster'), `Start Cluster on ${row.label} (${row.contextValue})`);
    }
  } finally {
    p.setVisible(false);
    view.dispose();
    p.dispose();
  }
});

test('from the palette, operations on a node of a shut-down cluster say why they wait and offer Start Cluster', async () => {
  const p = new ClusterTreeProvider(app);
  try {
    const s = await stackNode(p, 'ov-off');
    const groups = (await children(p, s)).filter((n): n is GroupNode => n.kind === 'group');
    const master = (await children(p, groups.find((g) => g.role === 'master')!)).find((n): n is InstanceNode => n.kind === 'instance')!;
    assert.equal(master.node.state, 'stopped');
    const sends = emu.requests.count('ssm:SendCommand');
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['check service status', () => checkStatus(app, p, new ReportDocuments(), master)],
      ['run a command', () => runCommand(app, p, new ReportDocuments(), master)],
      ['restart OpenVidu', () => restartOpenVidu(app, p, master)],
      ['follow logs', () => followLogs(app, p, new TailManager(app, { manualPolling: true }), master)],
      ['scale', () => scaleMediaNodes(app, p, groups.find((g) => g.role === 'media')!, '2')],
    ];
    for (const [what, run] of cases) {
      fake.recorded.notifications.length = 0;
      fake.recorded.commands.length = 0;
      fake.answers.message.push('Start Cluster');
      await run();
      await new Promise((r) => setImmediate(r));
      const n = fake.recorded.notifications.at(-1);
      assert.match(n?.message ?? '', /the cluster is shut down.*start it first/, `${what}: ${JSON.stringify(fake.recorded.notifications)}`);
      assert.deepEqual(n?.items, ['Start Cluster'], what);
      assert.ok(fake.recorded.commands.some((c) => c.command === 'openviduHa.startCluster'), `${what}: Start Cluster runs when chosen`);
      fake.answers.message.length = 0;
    }
    assert.equal(emu.requests.count('ssm:SendCommand'), sends, 'no command was sent to a stopped node');
  } finally {
    p.dispose();
  }
});

test('a failed stack: next steps from the troubleshooting guide and the media group "never created"', async () => {
  const p = new ClusterTreeProvider(app);
  const view = new RenderedTree(p);
  try {
    await view.open();
    // openvidu-broken: MasterNodesWaitCondition3 timed out; master node 1 had generated the credentials before
    const stack = view.find(REGION, 'openvidu-broken')!;
    const rows = (stack.children ?? []).map((r) => r.label);
    assert.ok(rows.some((l) => /cloud-init-output\.log/.test(l) && /Master 3/.test(l)), JSON.stringify(rows, null, 1));
    assert.ok(rows.some((l) => /^MasterNodesWaitCondition3: master node 3 did not signal/.test(l)), JSON.stringify(rows, null, 1));
    assert.ok(rows.some((l) => /^Delete this stack .*deploy again/.test(l)), JSON.stringify(rows, null, 1));
    const media = view.find(REGION, 'openvidu-broken', 'Media nodes')!;
    assert.equal(media.description, 'the Auto Scaling group was never created');
    // its secret was generated (master node 1 finished): the credential actions stay
    for (const c of CREDENTIALS) assert.ok(offeredCommands(stack.contextValue).has(c), `${c} on openvidu-broken`);
  } finally {
    view.dispose();
    p.dispose();
  }
});

test('a stack that failed before master node 1 generated the credentials: no credential actions in its menu, and the palette says why', async () => {
  injectStackFailure(emu.world, { stackName: 'ov-nosecret', logicalId: 'MasterNodesWaitCondition1', region: REGION, reason: 'WaitCondition timed out. Received 0 conditions when expecting 1' });
  await createOpenViduStack(emu, { name: 'ov-nosecret' });
  const p = new ClusterTreeProvider(app);
  const view = new RenderedTree(p);
  const feature = new CredentialsFeature(app, p, { pollIntervalMs: 1 });
  try {
    await view.open();
    const stack = view.find(REGION, 'ov-nosecret')!;
    assert.match(stack.contextValue ?? '', /^stack\.failed.*\.nosecret$/);
    for (const c of CREDENTIALS) assert.ok(!offeredCommands(stack.contextValue).has(c), `${c} on a stack whose secret was never generated`);
    assert.ok(offeredCommands(stack.contextValue).has('deleteDeployment'));
    for (const c of CREDENTIALS) assert.ok(offeredCommands(view.find(REGION, 'openvidu-demo')!.contextValue).has(c), `${c} on openvidu-demo`);
    const rows = (stack.children ?? []).map((r) => r.label);
    assert.ok(rows.some((l) => /^MasterNodesWaitCondition1: master node 1 did not signal/.test(l)), JSON.stringify(rows, null, 1));

    const s = await stackNode(p, 'ov-nosecret');
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['copy', () => copyLiveKitCredentials(feature, s)],
      ['check', () => checkCredentials(feature, s)],
      ['write', () => writeCredentialsToConfig(feature, s)],
    ];
    for (const [what, run] of cases) {
      fake.recorded.notifications.length = 0;
      await run();
      const n = fake.recorded.notifications.at(-1);
      assert.match(n?.message ?? '', /^ov-nosecret has no credentials: its creation failed \(CREATE_FAILED\) before master node 1 generated them/, `${what}: ${JSON.stringify(fake.recorded.notifications)}`);
      assert.match(n?.message ?? '', /[Dd]elete .*deploy again/);
      assert.equal(n?.items, undefined, `${what}: no "Wait for Them" on a failed stack`);
    }
  } finally {
    feature.dispose();
    view.dispose();
    p.dispose();
  }
});

test('the delete confirmation counts the master nodes that exist', async () => {
  const p = new ClusterTreeProvider(app);
  try {
    const s = await stackNode(p, 'openvidu-broken');
    fake.recorded.prompts.length = 0;
    fake.answers.inputBox.push(undefined); // the user reads the prompt and cancels
    assert.equal(await deleteDeployment(app, p, s), undefined);
    const prompt = fake.recorded.prompts.find((x) => x.kind === 'input') as { options: { prompt: string } } | undefined;
    assert.match(prompt?.options.prompt ?? '', /the 3 master nodes and their disks/, prompt?.options.prompt);
  } finally {
    p.dispose();
  }
});
