/**
 * Logs over SSM against the emulator: a read above SSM's 24,000-character output limit comes back whole; a live
 * tail sees new lines without repeats, marks a node restart and ends when the node is terminated; CloudWatch
 * log groups open and follow; injection attempts are refused before anything is sent.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EC2Client, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import type { Emulator } from '../emulator/server';
import { startTestbed } from '../support/testbed';
import { containerLogs, isoNano } from '../emulator/node-sim';
import { appendLogEvents } from '../emulator/services/logs';
import { runScript } from '../emulator/node-shell';
import { createOpenViduStack, sdkConfig } from '../support/openviduStack';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { InstanceNode, ServiceNode, type GroupNode, type StackNode } from '../../src/features/explorer/treeNodes';
import { showLogs } from '../../src/features/operations/commands/showLogs';
import { followLogs } from '../../src/features/operations/commands/followLogs';
import { stopTail } from '../../src/features/operations/commands/stopTail';
import { showCloudWatchLogs } from '../../src/features/operations/commands/showCloudWatchLogs';
import { restartService } from '../../src/features/operations/commands/restartService';
import { runCommand } from '../../src/features/operations/commands/runCommand';
import { LogDocuments } from '../../src/features/operations/logDocuments';
import { TailManager, type TailSession } from '../../src/features/operations/tailManager';
import { ReportDocuments } from '../../src/features/operations/reportDocument';

const fake = vscode as unknown as typeof import('../fakes/vscode');
/** Show Logs' two questions answered in advance: the last N lines, every line (its behaviour before it asked) */
const EVERY_LINE = { range: { kind: 'lines' as const }, filter: '' };
/** Follow Logs' filter answered in advance: every line */
const NO_FILTER = { filter: '' };
const REGION = 'eu-west-1';
let emu: Emulator;
let app: AppContext;
let tails: TailManager;

before(async () => {
  ({ emu, app } = await startTestbed({ speed: 20 }));
  tails = new TailManager(app, { manualPolling: true });
  fake.workspace.registerTextDocumentContentProvider('openvidu-ha-tail', tails);
  await createOpenViduStack(emu, { name: 'ov-logs', mediaNodes: 3 });
  // a few hours of logs
  emu.clock.advance(4 * 3_600_000);
});
after(async () => {
  tails.dispose();
  app.dispose();
  await emu.stop();
});

async function tree(p: ClusterTreeProvider): Promise<{ stack: StackNode; masters: GroupNode; media: GroupNode; mediaNodes: InstanceNode[] }> {
  const region = (await p.getChildren())[0];
  const stack = (await p.getChildren(region)).find((s) => s.kind === 'stack' && s.summary.stackName === 'ov-logs') as StackNode;
  assert.ok(stack);
  const groups = (await p.getChildren(stack)) as GroupNode[];
  const media = groups.find((g) => g.role === 'media')!;
  const masters = groups.find((g) => g.role === 'master')!;
  const mediaNodes = (await p.getChildren(media)).filter((n): n is InstanceNode => n.kind === 'instance' && n.node.state === 'running');
  return { stack, masters, media, mediaNodes };
}

function simNode(instanceId: string) {
  const node = emu.world.region(REGION).instances.get(instanceId)?.node;
  assert.ok(node, instanceId);
  return node;
}

test('logs above SSM\'s 24,000-character limit are read in parts and stitched, whole and in order', async () => {
  fake.setSetting('openviduHa.logLines', 2000);
  const p = new ClusterTreeProvider(app);
  const { mediaNodes } = await tree(p);
  const target = mediaNodes[0];
  const docs = new LogDocuments();
  emu.requests.clear();
  // the node was never checked: the status script runs first to discover its services
  fake.answers.quickPick.push((items: { label: string }[]) => items.find((i) => i.label.endsWith(' openvidu')));
  // Enter on the two new questions (which lines, filter) keeps today's behaviour: the last N lines, every line
  let offered: string[] = [];
  fake.answers.quickPick.push((items: { label: string }[]) => ((offered = items.map((i) => i.label)), items[0]));
  fake.answers.inputBox.push('');
  const uri = await showLogs(app, p, docs, target);
  assert.ok(uri, JSON.stringify(fake.recorded.notifications));
  assert.deepEqual(offered, ['Last 2000 lines', 'Last 15 minutes', 'Last hour', 'Last 24 hours', 'Since…']);
  // its own tab name: the service and the node (a live tail of the same service is named differently)
  assert.equal(uri.toString(), `openvidu-ha-logs:/ov-logs/Media ${target.node.instanceId}/openvidu · Media ${target.node.instanceId}.log`);
  assert.ok(fake.recorded.languages.some((l) => l.uri === uri.toString() && l.language === 'log'));
  const text = docs.text(uri.path)!;
  const [h1, h2, ...rest] = text.split('\n');
  // the instance id once, not "Media i-… (i-…)"
  assert.match(h1, /^# ov-logs · Media i-\w+ · openvidu logs$/);
  assert.match(h2, /^# last 2000 lines requested, 2000 shown .* read in parts and joined/);
  assert.doesNotMatch(text, /left out/);
  const lines = rest.filter((l) => /^\d{4}-/.test(l));
  assert.equal(lines.length, 2000);
  assert.ok(text.length > 3 * 24_000, `only ${text.length} characters`);
  // several SendCommands, each page fetched whole with GetCommandInvocation; one status check first
  const sends = emu.requests.filter('ssm:SendCommand');
  assert.ok(sends.length >= 4, `${sends.length} reads`);
  assert.match(String((sends[0].params.Parameters as { commands: string[] }).commands.join('\n')), /docker compose ps/);
  assert.ok(emu.requests.count('ssm:GetCommandInvocation') >= 3);
  // the stitched lines are exactly a contiguous run of the container's log: nothing repeated, nothing dropped
  const node = simNode(target.node.instanceId);
  const svc = node.services.find((s) => s.name === 'openvidu')!;
  // one timestamp per line (setting openviduHa.logTimestamps, default "docker"): docker's, the service's own leading one left out
  assert.ok(!lines.some((l) => /^\S+Z\s+\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(l)), lines.slice(0, 3).join('\n'));
  const all = containerLogs(node, svc, emu.clock.now(), { tail: 5000 }).map((l) => `${isoNano(l.ns)} ${l.text.replace(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\s+/, '')}`);
  const start = all.indexOf(lines[0]);
  assert.ok(start >= 0, lines[0]);
  assert.deepEqual(lines, all.slice(start, start + 2000));
  // the output channel carries metadata only
  assert.ok(fake.recorded.output.some((o) => /logs openvidu on i-\w+: 2000 lines in \d+ SSM command/.test(o)));
  assert.ok(!fake.recorded.output.some((o) => o.includes(lines[5])));
  fake.setSetting('openviduHa.logLines', 500);
});

test('the journal above 24,000 characters is read in overlapping pages that line up even while it grows', async () => {
  fake.setSetting('openviduHa.logLines', 1500);
  const p = new ClusterTreeProvider(app);
  const { mediaNodes } = await tree(p);
  const target = mediaNodes[0];
  const docs = new LogDocuments();
  emu.requests.clear();
  fake.answers.quickPick.push((items: { description?: string }[]) => items.find((i) => i.description === 'journalctl -u openvidu'));
  const uri = await showLogs(app, p, docs, target, EVERY_LINE);
  assert.ok(uri);
  const [, h2, ...rest] = docs.text(uri.path)!.split('\n');
  const lines = rest.slice(1, -1);
  assert.match(h2, /1500 shown .* read in parts and joined/);
  assert.equal(lines.length, 1500, rest.slice(0, 3).join('\n'));
  assert.ok(emu.requests.count('ssm:SendCommand') >= 3);
  // a contiguous run of the node's journal: nothing repeated or lost at the joins
  const inst = emu.world.region(REGION).instances.get(target.node.instanceId)!;
  const full = runScript(simNode(inst.instanceId), 'journalctl -u openvidu -n 5000 --no-pager', {
    hostname: `ip-${inst.privateIpAddress.replace(/\./g, '-')}`,
    instanceId: inst.instanceId,
    privateIp: inst.privateIpAddress,
    region: REGION,
    now: emu.clock.now(),
    tags: inst.tags,
  }).stdout.split('\n');
  const starts = full.map((l, i) => (l === lines[0] ? i : -1)).filter((i) => i >= 0);
  assert.ok(starts.some((i) => full.slice(i, i + 1500).join('\n') === lines.join('\n')), 'the pages line up');
  fake.setSetting('openviduHa.logLines', 500);
});

test('each line shows one timestamp; the setting openviduHa.logTimestamps shows the service\'s own or both', async () => {
  const p = new ClusterTreeProvider(app);
  const { mediaNodes } = await tree(p);
  const target = mediaNodes[0];
  const read = async (mode: string | undefined) => {
    fake.setSetting('openviduHa.logLines', 50);
    fake.setSetting('openviduHa.logTimestamps', mode);
    fake.answers.quickPick.push((items: { label: string }[]) => items.find((i) => i.label.endsWith(' openvidu')));
    const docs = new LogDocuments();
    const uri = await showLogs(app, p, docs, target, EVERY_LINE);
    assert.ok(uri, JSON.stringify(fake.recorded.notifications.slice(-2)));
    return docs.text(uri.path)!.split('\n').filter((l) => l && !l.startsWith('#'));
  };
  const iso = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z';
  const docker = await read(undefined);
  assert.ok(docker.length >= 40 && docker.every((l) => new RegExp(`^${iso}\\s+(?!\\d{4}-)`).test(l)), docker.slice(0, 2).join('\n'));
  const own = await read('service');
  assert.ok(own.every((l) => new RegExp(`^${iso}\\t(INFO|DEBUG|WARN|ERROR)\\t`).test(l)) && own.every((l) => !/\.\d{9}Z/.test(l)), own.slice(0, 2).join('\n'));
  const both = await read('both');
  assert.ok(both.every((l) => new RegExp(`^${iso} ${iso}\\t`).test(l)), both.slice(0, 2).join('\n'));
  fake.setSetting('openviduHa.logTimestamps', undefined);
});

test('a known log file and the journal are offered by role and read', async () => {
  const p = new ClusterTreeProvider(app);
  const { mediaNodes } = await tree(p);
  const docs = new LogDocuments();
  let offered: string[] = [];
  fake.answers.quickPick.push((items: { label: string; description?: string }[]) => {
    offered = items.map((i) => `${i.label} ${i.description ?? ''}`);
    return items.find((i) => i.description === '/var/log/cloud-init-output.log');
  });
  // a log file: no time window is offered (no common timestamp), only the filter is asked
  fake.answers.inputBox.push('');
  const before = fake.recorded.prompts.length;
  const uri = await showLogs(app, p, docs, mediaNodes[1]);
  assert.deepEqual(fake.recorded.prompts.slice(before).map((x) => x.kind), ['quickPick', 'input']);
  assert.ok(uri);
  assert.match(docs.text(uri.path)!, /Cloud-init v\. .* finished at/);
  assert.ok(offered.some((o) => o.includes('/var/log/stop_media_node.log')));
  assert.ok(!offered.some((o) => o.includes('/var/log/openvidu-restart.log')), 'a master-only file is not offered on a media node');
  assert.ok(offered.some((o) => o.includes('journalctl')));
});

test('injection attempts are refused with a clear error before anything is sent', async () => {
  const p = new ClusterTreeProvider(app);
  const { mediaNodes } = await tree(p);
  const bad = new ServiceNode(mediaNodes[0], { name: 'x; rm -rf /', state: 'running', health: '', status: 'Up' });
  emu.requests.clear();
  fake.recorded.notifications.length = 0;
  assert.equal(await showLogs(app, p, new LogDocuments(), bad), undefined);
  assert.equal(await followLogs(app, p, tails, bad), undefined);
  fake.answers.message.push('Restart');
  assert.equal(await restartService(app, p, bad), undefined);
  const errors = fake.recorded.notifications.filter((n) => n.level === 'error');
  assert.equal(errors.length, 3, JSON.stringify(fake.recorded.notifications));
  for (const e of errors) assert.match(e.message, /"x; rm -rf \/" is not a valid service name/);
  // nothing reached SSM (not even a reachability check)
  assert.equal(emu.requests.filter().filter((r) => r.service === 'ssm').length, 0, JSON.stringify(emu.requests.summary()));
  // a service the node does not have is refused as well
  const unknown = new ServiceNode(mediaNodes[0], { name: 'mongo', state: 'running', health: '', status: 'Up' });
  assert.equal(await showLogs(app, p, new LogDocuments(), unknown), undefined);
  assert.match(fake.recorded.notifications.at(-1)!.message, /no service "mongo"/);
  assert.equal(emu.requests.count('ssm:SendCommand'), 0);
  // an empty command is refused by the input box before any confirmation
  fake.answers.inputBox.push('   ');
  await assert.rejects(() => runCommand(app, p, new ReportDocuments(), mediaNodes[0]), /Type a command/);
  assert.equal(emu.requests.count('ssm:SendCommand'), 0);
});

/** polls until no read was cut */
/** the last value the extension gave the context key that shows the editor-title Stop button */
function runningTails(): string[] {
  const set = fake.recorded.commands.filter((c) => c.command === 'setContext' && c.args[0] === 'openviduHa.runningTails');
  return (set.at(-1)?.args[1] as string[] | undefined) ?? [];
}

async function drain(s: TailSession): Promise<void> {
  for (let i = 0; i < 20 && (await s.pollOnce()); i++);
}

function docLines(s: TailSession): Promise<string[]> {
  return fake.documentText(s.uri.toString()).then((t) => (t ?? '').split('\n').filter(Boolean));
}

test('a live tail sees new lines once, marks a node restart and ends when the node is terminated', async () => {
  fake.setSetting('openviduHa.tailIntervalSeconds', 1);
  // a master (media nodes stopped behind the ASG's back are replaced): masters answer with the account-wide setting
  emu.world.settings.defaultHostManagement = true;
  emu.clock.advance(15 * 60_000);
  const p = new ClusterTreeProvider(app);
  const { masters } = await tree(p);
  const target = (await p.getChildren(masters)).find((n): n is InstanceNode => n.kind === 'instance' && n.node.index === 2)!;
  const id = target.node.instanceId;
  const session = await followLogs(app, p, tails, new ServiceNode(target, { name: 'openvidu-meet', state: 'running', health: '', status: 'Up' }), NO_FILTER);
  assert.ok(session, JSON.stringify(fake.recorded.notifications));
  assert.equal(session.uri.toString(), 'openvidu-ha-tail:/ov-logs/Master 2/openvidu-meet · Master 2 · live.log');
  // the editor-title Stop button shows only while this tail runs (context key openviduHa.runningTails)
  assert.ok(runningTails().includes(session.uri.toString()), JSON.stringify(runningTails()));
  const item = fake.recorded.statusBar.at(-1)!;
  assert.ok(item.visible);
  assert.deepEqual((item.command as { command: string; arguments: unknown[] }).command, 'openviduHa.stopTail');
  await drain(session);
  const first = await docLines(session);
  assert.match(first[0], /^# Following openvidu-meet on ov-logs · Master 2 · every 1 s · newest 5000 lines kept$/);
  assert.ok(first.length - 1 >= 50, 'the first poll shows the newest 50 lines');
  // later: only the new lines are appended, none repeated; only an editor showing the end follows them
  const revealed: string[] = [];
  const editor = (name: string, lastVisible: number) => ({
    document: { uri: session.uri, lineCount: first.length + 1 },
    visibleRanges: [{ start: { line: 0 }, end: { line: lastVisible } }],
    revealRange: () => revealed.push(name),
  });
  fake.window.visibleTextEditors.push(editor('at the end', first.length), editor('scrolled up', 10));
  emu.clock.advance(600_000);
  await drain(session);
  fake.changeDocument({ uri: session.uri, lineCount: 500 });
  assert.deepEqual(revealed, ['at the end']);
  fake.window.visibleTextEditors.length = 0;
  const second = (await docLines(session)).slice(1);
  assert.ok(second.length > first.length + 2, `${second.length} lines after ${first.length - 1}`);
  assert.equal(new Set(second).size, second.length, 'no line repeated');
  const sorted = [...second].sort();
  assert.deepEqual(second, sorted, 'in time order');
  assert.match(item.text, /^\$\(debug-stop\) openvidu-meet · Master 2 · \d+\.\d lines\/s$/);
  // the node is stopped: one waiting line, no lines
  const ec2 = new EC2Client(sdkConfig(emu));
  await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
  emu.clock.advance(120_000);
  await session.pollOnce();
  await session.pollOnce();
  const stopped = (await docLines(session)).slice(1);
  assert.equal(stopped.filter((l) => /waiting for the node to answer again/.test(l)).length, 1, stopped.slice(-3).join('\n'));
  // started again: a gap marker, then the new containers' lines
  await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
  emu.clock.advance(180_000);
  await drain(session);
  const back = (await docLines(session)).slice(1);
  const gap = back.findIndex((l) => /^--- node restarted \/ no output between \S+ and \S+ ---$/.test(l));
  assert.ok(gap > 0, back.slice(-5).join('\n'));
  assert.ok(back.length > gap + 1, 'lines after the restart');
  const [, t1, t2] = /between (\S+) and (\S+)/.exec(back[gap])!;
  assert.ok(t1 < t2);
  assert.ok(back[gap + 1] >= t2);
  // terminated: the tail ends with a message
  await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  emu.clock.advance(60_000);
  await session.pollOnce();
  await session.pollOnce();
  assert.match(session.stopped ?? '', /was terminated/);
  const end = await docLines(session);
  assert.equal(end.at(-1), '--- Master 2 was terminated: its tail ended ---');
  assert.match(end[0], /stopped: Master 2 was terminated/);
  assert.ok(fake.recorded.notifications.some((n) => /live tail of openvidu-meet on ov-logs · Master 2 ended: Master 2 was terminated/.test(n.message)));
  assert.ok(item.disposed);
  assert.ok(!tails.list().includes(session));
  assert.ok(!runningTails().includes(session.uri.toString()), 'no Stop button on a stopped tail');
});

test('a tail of every media node interleaves them with a node prefix; several tails run and stop independently', async () => {
  const p = new ClusterTreeProvider(app);
  await p.reloadNow();
  const { media, mediaNodes } = await tree(p);
  fake.answers.quickPick.push('caddy');
  const all = await followLogs(app, p, tails, media, NO_FILTER);
  assert.ok(all, JSON.stringify(fake.recorded.notifications.slice(-3)));
  const one = await followLogs(app, p, tails, new ServiceNode(mediaNodes[0], { name: 'caddy', state: 'running', health: '', status: 'Up' }), NO_FILTER);
  assert.ok(one);
  const running = tails.list().length;
  assert.ok(running >= 2);
  await drain(all);
  emu.clock.advance(60_000);
  emu.requests.clear();
  await all.pollOnce();
  // caught-up nodes are read with one command
  assert.equal(emu.requests.count('ssm:SendCommand'), 1);
  const lines = (await docLines(all)).slice(1);
  const labels = new Set(lines.map((l) => /^\[(Media i-\w+)\]/.exec(l)?.[1]));
  assert.equal(labels.size, mediaNodes.length, [...labels].join(','));
  const times = lines.slice(-20).map((l) => l.split(' ')[2]);
  assert.deepEqual(times, [...times].sort(), 'interleaved by timestamp');
  // stop one from its editor title (the uri), the other by closing its document
  assert.equal(await stopTail(tails, all.uri), all);
  assert.equal(all.stopped, 'stopped by the user');
  assert.equal(tails.list().length, running - 1);
  fake.closeDocument(one.uri.toString());
  assert.equal(one.stopped, 'the document was closed');
  assert.equal(tails.list().length, running - 2);
});

test('a tail that AWS throttles waits longer, says so, and never marks the nodes down or stops (issue 12, item 7)', async () => {
  fake.setSetting('openviduHa.tailIntervalSeconds', 2);
  const p = new ClusterTreeProvider(app);
  await p.reloadNow();
  const { mediaNodes } = await tree(p);
  const session = await followLogs(app, p, tails, new ServiceNode(mediaNodes[0], { name: 'caddy', state: 'running', health: '', status: 'Up' }), NO_FILTER);
  assert.ok(session, JSON.stringify(fake.recorded.notifications.slice(-3)));
  try {
    await drain(session);
    const item = fake.recorded.statusBar.at(-1)!;
    assert.equal(session.delayMs(), 2000);
    const before = await docLines(session);
    // An empty bucket that does not refill: every SendCommand is throttled, beyond the SDK's own retries.
    emu.throttles.set({ service: 'ssm', action: 'SendCommand', bucketSize: 0, refillPerSecond: 0 });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      emu.clock.advance(30_000);
      await session.pollOnce();
      delays.push(session.delayMs());
    }
    assert.equal(session.stopped, undefined, 'a throttle is not a failed poll');
    assert.deepEqual(delays, [4000, 8000, 16000, 32000, 64000, 120000], 'the delay doubles, up to a cap');
    assert.match(item.text, /waiting: AWS is throttling, next poll in 120 s/);
    assert.deepEqual(await docLines(session), before, 'no "did not answer" or waiting line for the nodes');
    // AWS answers again: the lines arrive and the interval is back.
    emu.throttles.clear();
    await drain(session);
    assert.equal(session.delayMs(), 2000);
    assert.match(item.text, /lines\/s$/);
    assert.ok((await docLines(session)).length > before.length);
  } finally {
    emu.throttles.clear();
    session.stop();
  }
});

test('from the palette: quick picks choose the node, the log, or all media nodes of a stack', async () => {
  const p = new ClusterTreeProvider(app);
  const { mediaNodes } = await tree(p);
  const id = mediaNodes[1].node.instanceId;
  fake.answers.quickPick.push(id, (items: { label: string }[]) => items.find((i) => i.label.endsWith(' caddy')));
  const uri = await showLogs(app, p, new LogDocuments(), undefined, EVERY_LINE);
  assert.equal(uri?.toString(), `openvidu-ha-logs:/ov-logs/Media ${id}/caddy · Media ${id}.log`);
  fake.answers.quickPick.push((items: { label: string }[]) => items.find((i) => i.label === '$(layers) All media nodes'), 'caddy');
  // Enter on the filter box: every line
  fake.answers.inputBox.push('');
  const session = await followLogs(app, p, tails);
  assert.equal(session?.uri.toString(), 'openvidu-ha-tail:/ov-logs/all media nodes/caddy · all media nodes · live.log');
  assert.ok(runningTails().includes(session!.uri.toString()));
  // Stop from the palette: the only running tail; its Stop button goes
  assert.equal(await stopTail(tails), session);
  assert.ok(!runningTails().includes(session!.uri.toString()));
  assert.equal(await stopTail(tails), undefined);
  assert.match(fake.recorded.notifications.at(-1)!.message, /No live tail is running/);
});

test('the stack\'s CloudWatch log group (the SubnetProcessor Lambda\'s) opens and follows', async () => {
  const p = new ClusterTreeProvider(app);
  const { stack } = await tree(p);
  const docs = new LogDocuments();
  const uri = await showCloudWatchLogs(app, p, docs, tails, stack, 'open');
  assert.ok(uri && 'path' in uri, JSON.stringify(fake.recorded.notifications.slice(-2)));
  const text = docs.text((uri as vscode.Uri).path)!;
  assert.match(text, /CloudWatch log group \/aws\/lambda\/SubnetProcessor-eu-west-1-ov-logs/);
  assert.match(text, /START RequestId/);
  const session = (await showCloudWatchLogs(app, p, docs, tails, stack, 'follow')) as TailSession;
  await session.pollOnce();
  const before = (await docLines(session)).length;
  const group = emu.world.region(REGION).logGroups.get('/aws/lambda/SubnetProcessor-eu-west-1-ov-logs')!;
  const now = emu.clock.now();
  appendLogEvents(emu.world, group, '2026/11/24/[$LATEST]new', [
    { timestamp: now, message: 'first new event' },
    { timestamp: now, message: 'second event, same millisecond' },
  ]);
  await session.pollOnce();
  await session.pollOnce();
  const after = await docLines(session);
  assert.equal(after.length, before + 2);
  assert.match(after.at(-1)!, /\[2026\/11\/24\/\[\$LATEST\]new\] second event, same millisecond$/);
  session.stop();
});
