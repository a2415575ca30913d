/**
 * SSM as it really is, through the extension's operations against the emulator's agent-faithful Run Command:
 * inline output cut by the agent in bytes with markers (iohandler.go TruncateOutput) comes back whole through
 * Show Logs and Run Command; every command carries an execution timeout; the inventory's eventual consistency and
 * InvalidInstanceId answers give per-node reachability; a restart with an empty service name is refused; a node
 * terminated mid-command is named in a clear message.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator/server';
import { startTestbed, fastClock } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import { launchInstance, terminateInstance } from '../emulator/services/ec2';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { InstanceNode, GroupNode, StackNode } from '../../src/features/explorer/treeNodes';
import { runCommand, USER_COMMAND_TIMEOUT } from '../../src/features/operations/commands/runCommand';
import { checkReachability } from '../../src/features/operations/reachability';
import { readLogs } from '../../src/features/operations/logReader';
import { restartNodes } from '../../src/features/operations/restart';
import { ReportDocuments } from '../../src/features/operations/reportDocument';
import type { NodeInstance } from '../../src/openvidu/cluster';

const fake = vscode as unknown as typeof import('../fakes/vscode');
const REGION = 'eu-west-1';
let emu: Emulator;
let app: AppContext;
let p: ClusterTreeProvider;

before(async () => {
  ({ emu, app } = await startTestbed({ speed: 20 }));
  p = new ClusterTreeProvider(app);
  // masters registered too (Default Host Management Configuration), so their log files can be read
  emu.world.settings.defaultHostManagement = true;
  await createOpenViduStack(emu, { name: 'ov-ssm', mediaNodes: 2 });
  emu.clock.advance(3 * 3_600_000);
});
after(async () => {
  p.dispose();
  app.dispose();
  await emu.stop();
});

async function tree(): Promise<{ stack: StackNode; masters: GroupNode; masterNodes: InstanceNode[]; mediaNodes: InstanceNode[] }> {
  await p.reloadNow();
  const region = (await p.getChildren())[0];
  const stack = (await p.getChildren(region)).find((s) => s.kind === 'stack' && s.summary.stackName === 'ov-ssm') as StackNode;
  const groups = (await p.getChildren(stack)) as GroupNode[];
  const masters = groups.find((g) => g.role === 'master')!;
  const media = groups.find((g) => g.role === 'media')!;
  const inst = async (g: GroupNode) => (await p.getChildren(g)).filter((n): n is InstanceNode => n.kind === 'instance' && n.node.state === 'running');
  return { stack, masters, masterNodes: await inst(masters), mediaNodes: await inst(media) };
}

function simNode(instanceId: string) {
  const node = emu.world.region(REGION).instances.get(instanceId)?.node;
  assert.ok(node, instanceId);
  return node;
}

/** nodes_errors.log on a master: `lines` lines of `text(i)`, dated in the past */
function fillNodeErrors(instanceId: string, lines: number, text: (i: number) => string): string[] {
  const node = simNode(instanceId);
  const t0 = emu.clock.now() - 3_600_000;
  node.nodeErrors = Array.from({ length: lines }, (_, i) => ({ at: t0 + i * 1000, text: text(i) }));
  return node.nodeErrors.map((e) => e.text);
}

async function runTyped(target: InstanceNode, command: string) {
  fake.answers.inputBox.push(command);
  fake.answers.message.push('Run');
  const reports = new ReportDocuments();
  const results = await runCommand(app, p, reports, target);
  assert.ok(results, JSON.stringify(fake.recorded.notifications.slice(-3)));
  const r = results.get(target.node.instanceId);
  assert.ok(r);
  return { r, doc: reports.provideTextDocumentContent(vscode.Uri.from({ scheme: 'openvidu-ha-report', path: '/ov-ssm-command.md' })) };
}

// 1. inline output -------------------------------------------------------------------------------------------

test('Run Command: 10 KB of stdout with 200 bytes of stderr comes back whole (the agent cut it inline at 2,253 bytes)', async () => {
  const { masterNodes } = await tree();
  const target = masterNodes[0];
  const lines = fillNodeErrors(target.node.instanceId, 100, (i) => `media node ${String(i).padStart(3, '0')} failed ${'x'.repeat(60)}`);
  const err = 'E'.repeat(99);
  const { r } = await runTyped(target, `cat /var/log/openvidu/nodes_errors.log; echo ${err} >&2; echo ${err} >&2`);
  assert.equal(r.status, 'Success');
  const got = r.stdout.trim().split('\n');
  assert.equal(got.length, 100);
  assert.ok(got.every((l, i) => l.endsWith(lines[i])), got.at(-1));
  assert.ok(r.stdout.length > 9_000);
  assert.equal(r.stderr, `${err}\n${err}\n`);
  assert.equal(r.truncated, false);
});

test('Run Command: multi-byte output (3,000+ bytes in fewer than 2,400 characters) comes back whole', async () => {
  const { masterNodes } = await tree();
  const target = masterNodes[0];
  const lines = fillNodeErrors(target.node.instanceId, 30, (i) => `nodo ${i}: sesión falló ✓ ${'€'.repeat(25)}`);
  const { r } = await runTyped(target, 'cat /var/log/openvidu/nodes_errors.log');
  assert.ok(Buffer.byteLength(r.stdout) > 2_500 && r.stdout.length < 2_400, `${r.stdout.length} chars`);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.replace(/^\[[^\]]+\] /, '')), lines);
  assert.ok(!r.stdout.includes('---Output truncated---'));
});

test('Show Logs: a log file with multi-byte characters is read whole and newest-last, not the oldest part of the window', async () => {
  const { masterNodes } = await tree();
  const target = masterNodes[0];
  const lines = fillNodeErrors(target.node.instanceId, 300, (i) => `línea ${String(i).padStart(3, '0')} — conexión perdida ✗ ${'é'.repeat(20)}`);
  const read = await readLogs(app.session(REGION), target.node.instanceId, { kind: 'file', id: 'nodes-errors' }, 300);
  assert.equal(read.lines.length, 300);
  assert.deepEqual(read.lines.map((l) => l.replace(/^\[[^\]]+\] /, '')), lines);
  assert.ok(!read.lines.some((l) => l.includes('truncated')));
});

test('Show Logs: a short multi-byte log (whole inline) is read in one command', async () => {
  const { masterNodes } = await tree();
  const target = masterNodes[0];
  const lines = fillNodeErrors(target.node.instanceId, 5, (i) => `ß ${i}`);
  emu.requests.clear();
  const read = await readLogs(app.session(REGION), target.node.instanceId, { kind: 'file', id: 'nodes-errors' }, 50);
  assert.deepEqual(read.lines.map((l) => l.replace(/^\[[^\]]+\] /, '')), lines);
  assert.equal(emu.requests.count('ssm:GetCommandInvocation'), 0);
});

// 2. execution timeout --------------------------------------------------------------------------------------

test('every command the extension sends carries an execution timeout; a hung typed command stops at 10 minutes', async () => {
  const { mediaNodes } = await tree();
  const target = mediaNodes[0];
  emu.requests.clear();
  const stop = fastClock(emu, 60_000);
  let out;
  try {
    out = await runTyped(target, 'sleep 100000');
  } finally {
    stop();
  }
  const sends = emu.requests.filter('ssm:SendCommand');
  assert.ok(sends.length >= 1);
  for (const s of sends) assert.deepEqual((s.params.Parameters as Record<string, string[]>).executionTimeout, [String(USER_COMMAND_TIMEOUT)]);
  assert.equal(out.r.status, 'TimedOut');
  assert.equal(out.r.statusDetails, 'ExecutionTimedOut');
  assert.match(out.doc, /stopped after 10 minutes \(execution timeout\)/);
  // log reads and status checks carry theirs too
  emu.requests.clear();
  await readLogs(app.session(REGION), target.node.instanceId, { kind: 'journal' }, 10);
  for (const s of emu.requests.filter('ssm:SendCommand')) assert.ok((s.params.Parameters as Record<string, string[]>).executionTimeout?.length === 1);
});

// 5. eventual consistency ---------------------------------------------------------------------------------------

test('reachability waits for a just-launched node to appear in SSM\'s inventory instead of calling it unregistered', async () => {
  const { mediaNodes } = await tree();
  emu.world.settings.ssmRegistrationDelayMs = 20_000;
  try {
    const subnet = emu.world.region(REGION).subnets.find((s) => s.mapPublicIpOnLaunch)!;
    const inst = launchInstance(emu.world, REGION, { subnetId: subnet.subnetId, instanceType: 'c7i.xlarge', tags: { Name: 'new media' }, nodeKind: 'media', ssmRegistered: true, bootSeconds: 0 });
    const fresh: NodeInstance = { instanceId: inst.instanceId, role: 'media', state: 'running', launchTime: new Date() };
    const r = await checkReachability(app, REGION, [mediaNodes[0].node, fresh]);
    assert.deepEqual([...r.unreachable], []);
    assert.deepEqual(r.reachable.map((n) => n.instanceId).sort(), [mediaNodes[0].node.instanceId, inst.instanceId].sort());
  } finally {
    emu.world.settings.ssmRegistrationDelayMs = undefined;
  }
});

// 6. unmanaged instances ----------------------------------------------------------------------------------------

test('an InvalidInstanceId answer from DescribeInstanceInformation is per node, never a failed check for the group', async () => {
  const { mediaNodes } = await tree();
  const subnet = emu.world.region(REGION).subnets.find((s) => s.mapPublicIpOnLaunch)!;
  const unmanaged = launchInstance(emu.world, REGION, { subnetId: subnet.subnetId, instanceType: 'c7i.xlarge', tags: { Name: 'plain' }, nodeKind: 'media', ssmRegistered: false, bootSeconds: 0 });
  emu.world.settings.defaultHostManagement = false;
  try {
    emu.faults.add({ service: 'ssm', action: 'DescribeInstanceInformation', kind: 'error', code: 'InvalidInstanceId', message: `Instances [[${unmanaged.instanceId}]] not in a valid state`, status: 400, count: 1 });
    const nodes: NodeInstance[] = [...mediaNodes.map((n) => n.node), { instanceId: unmanaged.instanceId, role: 'media', state: 'running' }];
    const r = await checkReachability(app, REGION, nodes);
    assert.deepEqual(r.reachable.map((n) => n.instanceId).sort(), mediaNodes.map((n) => n.node.instanceId).sort());
    assert.match(r.unreachable.get(unmanaged.instanceId) ?? '', /Not registered with SSM/);
  } finally {
    emu.faults.clear();
    emu.world.settings.defaultHostManagement = true;
  }
});

// bad input: restart with an empty service name ----------------------------------------------------------------

test('a restart with an empty service name is refused before anything is sent (never a whole-node restart)', async () => {
  const { stack, mediaNodes } = await tree();
  emu.requests.clear();
  fake.answers.message.push('Restart');
  const out = await restartNodes(app, { region: REGION, stack, nodes: [mediaNodes[0].node], label: 'media', service: '' });
  assert.equal(out, undefined);
  assert.equal(emu.requests.count('ssm:SendCommand'), 0);
  assert.match(fake.recorded.notifications.at(-1)!.message, /not a valid service name/);
  fake.answers.message.length = 0;
});

// fault: the instance is terminated while the command runs -----------------------------------------------------

test('a node terminated mid-command: the document names the node and says it stopped answering; no hang, no raw error', async () => {
  const { mediaNodes } = await tree();
  const target = mediaNodes.at(-1)!;
  const watcher = setInterval(() => {
    const cmd = [...emu.world.region(REGION).ssmCommands.values()].find((c) => c.parameters.commands[0] === 'sleep 200' && c.invocations[0].status === 'InProgress');
    if (cmd) {
      clearInterval(watcher);
      terminateInstance(emu.world, REGION, target.node.instanceId);
    }
  }, 5);
  const stop = fastClock(emu, 5_000);
  let out;
  try {
    out = await runTyped(target, 'sleep 200');
  } finally {
    stop();
    clearInterval(watcher);
  }
  assert.equal(out.r.statusDetails, 'Undeliverable');
  assert.match(out.doc, new RegExp(`Media[^\\n]*\\(${target.node.instanceId}\\) — Failed \\(Undeliverable\\)`));
  assert.match(out.doc, /stopped answering while the command ran: it was stopped or terminated/);
  assert.match(fake.recorded.notifications.at(-1)!.message, /failed on 1 of 1 node/);
});
