/**
 * The cluster's configuration in the editor, against the emulator: open / edit / save livekit.yaml → restart →
 * "applied"; a YAML error refused before any SSM call; an unknown OPENVIDU_RTC_ENGINE accepted locally but reported
 * by the emulated openvidu-init with its line, then restored (exact bytes, by hash); a conflict; a master unreachable
 * mid-save; a save cancelled during the restart; drift between masters; binary and over-size files refused.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator/server';
import type { Instance, SimNode } from '../emulator/world';
import { startTestbed, stackNode, fastClock } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { ConfigDocuments } from '../../src/features/configuration/configDocuments';
import { ConfigFileSystem, SAVE_AND_RESTART, SAVE_ONLY } from '../../src/features/configuration/configFileSystem';
import { ConfigTree } from '../../src/features/configuration/configTree';
import { attachConfiguration } from '../../src/features/configuration';
import { refreshConfiguration } from '../../src/features/configuration/commands/refreshConfiguration';
import type { ExplorerNode } from '../../src/features/explorer';
import { compareMasterConfiguration } from '../../src/features/configuration/commands/compareMasterConfiguration';
import { configUri, type ConfigLocation } from '../../src/features/configuration/targets';
import { WRITE_CHUNK_CHARS } from '../../src/openvidu/configCommands';
import { fileMeta } from '../emulator/node-config';

const fake = vscode as unknown as typeof import('../fakes/vscode');
const REGION = 'eu-west-1';
const STACK = 'ov-config';
let emu: Emulator;
let app: AppContext;
let p: ClusterTreeProvider;
let docs: ConfigDocuments;
let fs: ConfigFileSystem;
let tree: ConfigTree;
let detach: vscode.Disposable;
let root: ConfigLocation;
let stopClock: () => void;

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
function instances(): Instance[] {
  return [...(emu.world.regions.get(REGION)?.instances.values() ?? [])].filter((i) => i.tags['aws:cloudformation:stack-name'] === STACK && i.state === 'running');
}
function master(n: number): SimNode {
  return instances().find((i) => i.tags['aws:cloudformation:logical-id'] === `OpenViduMasterNode${n}`)?.node as SimNode;
}
const onNode = (n: number, rel: string) => master(n).files?.[`/opt/openvidu/config/${rel}`];
const sends = () => emu.requests.filter('ssm:SendCommand');
const uri = (rel: string) => configUri({ ...root, rel });
async function open(rel: string): Promise<string> {
  return Buffer.from(await fs.readFile(uri(rel))).toString('utf8');
}

before(async () => {
  ({ emu, app } = await startTestbed({ speed: 20 }));
  await createOpenViduStack(emu, { name: STACK, mediaNodes: 2 });
  // the masters reach SSM through the account's Default Host Management Configuration (template 3.8.0 leaves them out)
  emu.world.settings.defaultHostManagement = true;
  emu.clock.advance(10 * 60_000);
  p = new ClusterTreeProvider(app);
  docs = new ConfigDocuments();
  fs = new ConfigFileSystem(app, docs);
  fs.checkWaitSeconds = 5;
  tree = new ConfigTree(app, p, fs);
  detach = attachConfiguration(tree);
  stopClock = fastClock(emu, 5_000);
});
after(async () => {
  stopClock();
  detach.dispose();
  fs.dispose();
  p.dispose();
  app.dispose();
  await emu.stop();
});

test('a Configuration row under the stack in the explorer lists the HA layout read from Master 1, with sizes', async () => {
  const stack = await stackNode(p, STACK);
  const label = (n: ExplorerNode) => String(p.getTreeItem(n).label);
  const top = (await p.getChildren(stack)).find((n) => label(n) === 'Configuration');
  assert.ok(top, 'a Configuration row under the stack');
  assert.equal(p.getTreeItem(top).contextValue, 'configuration');
  const kids = await p.getChildren(top);
  assert.match(label(kids[0]), /^Read from Master 1 \(i-/);
  assert.deepEqual(kids.slice(1).map(label), ['cluster', 'node']);
  const cluster = await p.getChildren(kids[1]);
  assert.deepEqual(cluster.map(label), ['master_node', 'media_node', 'openvidu.env']);
  const media = await p.getChildren(cluster[1]);
  assert.deepEqual(media.map(label), ['caddy.yaml', 'egress.yaml', 'ingress.yaml', 'livekit.yaml', 'prometheus.yaml', 'promtail.yaml']);
  // the explorer asking again (a redraw) does not list the files again: one listing until Refresh
  const before = sends().length;
  await p.getChildren(top);
  assert.equal(sends().length, before);
  // Refresh Configuration on the row reads the master and the listing again
  // the redraw names the row the view knows (the one whose children it read), not a newer copy
  const fired: unknown[] = [];
  const sub = p.onDidChangeTreeData((n) => fired.push(n));
  refreshConfiguration(tree, top);
  sub.dispose();
  assert.ok(fired.includes(top), 'the Configuration row shown is redrawn');
  await p.getChildren(top);
  assert.ok(sends().length > before);
  const lk = p.getTreeItem(media[3]);
  assert.equal(lk.contextValue, 'configFile');
  assert.match(String(lk.description), /^\d+ B$/);
  const m1 = stack.cluster?.masters.find((m) => m.index === 1);
  root = { region: REGION, stackName: STACK, instanceId: m1?.instanceId as string, rel: '' };
  assert.equal(lk.resourceUri?.toString(), uri('cluster/media_node/livekit.yaml').toString());
});

test('open, edit and save livekit.yaml: diff, confirmation naming the master and the restart, atomic write with backup, restart, "applied"', async () => {
  const rel = 'cluster/media_node/livekit.yaml';
  const before = await open(rel);
  assert.ok(before.includes('log_level: error'));
  const edited = before.replace('    log_level: error', '    log_level: warn');
  fake.recorded.notifications.length = 0;
  fake.recorded.commands.length = 0;
  fake.answers.message.push(SAVE_AND_RESTART);
  await fs.writeFile(uri(rel), Buffer.from(edited));
  // the diff was shown, then the modal named the master and the restart
  assert.ok(fake.recorded.commands.some((c) => c.command === 'vscode.diff'));
  const modal = fake.recorded.notifications.find((n) => n.modal);
  assert.match(modal?.message ?? '', new RegExp(`Write ${rel} on Master 1 \\(i-[0-9a-f]+\\) of ${STACK}\\?`));
  assert.match(modal?.detail ?? '', /systemctl restart openvidu on Master 1/);
  assert.equal(onNode(1, rel), edited);
  const backups = Object.entries(master(1).files ?? {}).filter(([k]) => k.startsWith(`/var/backups/openvidu-config/${rel}.`));
  assert.equal(backups.length, 1);
  assert.equal(backups[0][1], before);
  // no temporary file left next to the live one
  assert.deepEqual(Object.keys(master(1).files ?? {}).filter((k) => k.includes('.ovha-')), []);
  const outcome = await fs.lastApply;
  assert.equal(outcome?.outcome, 'applied', outcome?.message);
  assert.ok(sends().some((r) => (r.params.Parameters as { commands: string[] }).commands.includes('systemctl restart openvidu')));
  assert.match(docs.text(outcome?.reportUri as vscode.Uri) ?? '', /\*\*Applied\.\*\*/);
});

test('a YAML error is refused locally with line and column: no SSM call', async () => {
  const rel = 'cluster/media_node/egress.yaml';
  const text = await open(rel);
  const n = sends().length;
  const broken = text.replace('health_port: 9091', 'health_port: [9091');
  await assert.rejects(fs.writeFile(uri(rel), Buffer.from(broken)), (e: Error) => /Line \d+, column \d+/.test(e.message) && /Nothing was sent/.test(e.message));
  assert.equal(sends().length, n);
  assert.equal(onNode(1, rel), text);
});

test('an unknown OPENVIDU_RTC_ENGINE passes the parser, openvidu-init reports it with its line after the restart, and the backup restores the exact bytes', async () => {
  const rel = 'cluster/openvidu.env';
  const original = await open(rel);
  const originalHash = sha(Buffer.from(onNode(1, rel) as string));
  const lineNo = original.split('\n').findIndex((l) => l.startsWith('OPENVIDU_RTC_ENGINE=')) + 1;
  fake.answers.message.push(SAVE_AND_RESTART);
  await fs.writeFile(uri(rel), Buffer.from(original.replace(/OPENVIDU_RTC_ENGINE=\w+/, 'OPENVIDU_RTC_ENGINE=kurento')));
  const outcome = await fs.lastApply;
  assert.equal(outcome?.outcome, 'failed');
  const problem = outcome?.report?.problems[0];
  assert.equal(problem?.source, 'openvidu-init');
  assert.equal(problem?.file, rel);
  assert.equal(problem?.line, lineNo);
  assert.match(problem?.message ?? '', /kurento/);
  // the notification offers to open the file at that line and to restore the backup
  const n = fake.recorded.notifications.filter((x) => x.level === 'error').at(-1);
  assert.deepEqual(n?.items, [`Open openvidu.env at Line ${lineNo}`, 'Restore Backup and Restart', 'Show Report']);
  // no secret of the file in the message or the report
  const secret = /LIVEKIT_API_SECRET=(.+)/.exec(original)?.[1] as string;
  assert.ok(secret.length > 4);
  assert.ok(!n?.message.includes(secret) && !(docs.text(outcome?.reportUri as vscode.Uri) ?? '').includes(secret));
  // restore the backup: exact bytes, then applied again
  const backup = /Previous version: `([^`]+)`/.exec(docs.text(outcome?.reportUri as vscode.Uri) ?? '')?.[1] as string;
  const restored = await fs.restore({ ...root, rel }, fs.remote({ ...root, rel }), backup);
  assert.equal(sha(Buffer.from(onNode(1, rel) as string)), originalHash);
  assert.equal(restored?.outcome, 'applied', restored?.message);
});

test('another container that keeps restarting: a bad port in loki.yaml passes openvidu-init, loki crash-loops, the report quotes its own log and opens loki.yaml at the line; restored, applied', async () => {
  const rel = 'cluster/master_node/loki.yaml';
  const original = await open(rel);
  const lineNo = original.split('\n').findIndex((l) => l.includes('http_listen_port: 3100')) + 1;
  fake.answers.message.push(SAVE_AND_RESTART);
  await fs.writeFile(uri(rel), Buffer.from(original.replace('http_listen_port: 3100', 'http_listen_port: 31OO')));
  const outcome = await fs.lastApply;
  assert.equal(outcome?.outcome, 'failed', outcome?.message);
  const problem = outcome?.report?.problems[0];
  assert.deepEqual([problem?.source, problem?.where, problem?.file, problem?.line], ['container', 'loki', rel, lineNo]);
  assert.match(problem?.message ?? '', /docker logs loki\):\nfailed parsing config: .*yaml: unmarshal errors:\n {2}line \d+: cannot unmarshal !!str `31OO` into int/);
  assert.ok(!outcome?.report?.problems.some((p) => p.source === 'openvidu-init'), 'openvidu-init passed');
  const n = fake.recorded.notifications.filter((x) => x.level === 'error').at(-1);
  assert.deepEqual(n?.items, [`Open loki.yaml at Line ${lineNo}`, 'Restore Backup and Restart', 'Show Report']);
  assert.match(docs.text(outcome?.reportUri as vscode.Uri) ?? '', /\*\*loki\*\* — `cluster\/master_node\/loki\.yaml` line \d+: loki keeps restarting/);
  const backup = /Previous version: `([^`]+)`/.exec(docs.text(outcome?.reportUri as vscode.Uri) ?? '')?.[1] as string;
  const restored = await fs.restore({ ...root, rel }, fs.remote({ ...root, rel }), backup);
  assert.equal(onNode(1, rel), original);
  assert.equal(restored?.outcome, 'applied', restored?.message);
});

test('a conflict: the file changed on the master since it was opened, nothing is overwritten, both versions in a diff', async () => {
  const rel = 'cluster/master_node/meet.env';
  const text = await open(rel);
  const theirs = `${text}MEET_LOG_LEVEL=debug\n`;
  (master(1).files as Record<string, string>)[`/opt/openvidu/config/${rel}`] = theirs;
  fake.recorded.commands.length = 0;
  await assert.rejects(fs.writeFile(uri(rel), Buffer.from(text.replace('MEET_LOG_LEVEL=info', 'MEET_LOG_LEVEL=warn'))), /changed on Master 1 .* since you opened it: nothing was written/);
  assert.equal(onNode(1, rel), theirs);
  assert.match(String(fake.recorded.commands.find((c) => c.command === 'vscode.diff')?.args[2]), /conflict/);
});

test('a master unreachable mid-save: the user is told which master and that nothing changed; the live file is untouched', async () => {
  const rel = 'cluster/master_node/redis.env';
  const text = await open(rel);
  // the master drops out of SSM between the review and the write
  fake.answers.message.push(() => {
    emu.faults.add({ service: 'ssm', action: 'SendCommand', kind: 'error', code: 'InvalidInstanceId', message: 'Instances [[i-0]] not in a valid state for account 123456789012', status: 400 });
    return SAVE_AND_RESTART;
  });
  await assert.rejects(fs.writeFile(uri(rel), Buffer.from(`${text}# tuned\n`)), /Master 1 \(i-[0-9a-f]+\) could not be reached over SSM.*nothing was changed on the node/);
  assert.equal(onNode(1, rel), text);
  assert.deepEqual(Object.keys(master(1).files ?? {}).filter((k) => k.includes('.ovha-')), []);
});

test('a save cancelled during the restart: CancelCommand is sent, the user is told the file is written and the restart was stopped', async () => {
  const rel = 'cluster/master_node/dashboard.env';
  const text = await open(rel);
  fake.answers.message.push(SAVE_AND_RESTART);
  emu.requests.clear();
  await fs.writeFile(uri(rel), Buffer.from(`${text}# cancelled restart\n`));
  // cancel once the restart command is on its way
  const t0 = Date.now();
  while (!sends().some((r) => (r.params.Parameters as { commands: string[] }).commands.includes('systemctl restart openvidu'))) {
    if (Date.now() - t0 > 10_000) throw new Error('no restart sent');
    await new Promise((r) => setTimeout(r, 5));
  }
  fake.cancelProgress();
  const outcome = await fs.lastApply;
  assert.equal(outcome?.outcome, 'cancelled');
  assert.match(outcome?.message ?? '', /dashboard\.env is saved on Master 1 .*previous version kept at \/var\/backups\/openvidu-config\/cluster\/master_node\/dashboard\.env\./);
  assert.ok(emu.requests.count('ssm:CancelCommand') >= 1);
});

test('drift: the cluster files that differ between the masters are reported (the edits above were made on Master 1 only)', async () => {
  const stack = await stackNode(p, STACK);
  emu.requests.clear();
  const r = await compareMasterConfiguration(app, p, docs, stack);
  assert.equal(r?.compared.length, 4);
  assert.ok(r?.differing.has('cluster/media_node/livekit.yaml'));
  assert.ok(r?.differing.has('cluster/master_node/meet.env'));
  assert.ok(!r?.differing.has('cluster/openvidu.env'), 'restored to the original bytes: same as the other masters');
  // one SendCommand for the four masters
  assert.equal(emu.requests.filter('ssm:SendCommand').length, 1);
});

test('a 150 KB file is written in chunks, each SendCommand under SSM\'s 64 KB; still atomic: owner and mode kept, backup kept, nothing left behind', async () => {
  const rel = 'cluster/master_node/grafana/dashboards/large.json';
  const path = `/opt/openvidu/config/${rel}`;
  const rows = Array.from({ length: 1500 }, (_, i) => `    {"id": ${i + 1}, "type": "timeseries", "title": "Panel ${i + 1}", "expr": "rate(livekit_packet_total[1m])"}`);
  const original = `{\n  "title": "Large",\n  "panels": [\n${rows.join(',\n')}\n  ]\n}\n`;
  assert.ok(original.length > 140 * 1024 && original.length < 512 * 1024);
  (master(1).files as Record<string, string>)[path] = original;
  fileMeta(master(1), path).mode = '640';
  fileMeta(master(1), path).owner = 'root:grafana';
  const text = await open(rel);
  assert.equal(text, original);
  const edited = text.replace('"title": "Large"', '"title": "Large, edited"');
  emu.requests.clear();
  fake.answers.message.push(SAVE_ONLY);
  await fs.writeFile(uri(rel), Buffer.from(edited));
  const writes = sends().filter((r) => (r.params.Parameters as { commands: string[] }).commands.some((c) => c.includes('/var/tmp/ovha-')));
  const b64 = Buffer.from(edited).toString('base64').length;
  assert.equal(writes.length, Math.ceil(b64 / WRITE_CHUNK_CHARS));
  assert.ok(writes.length >= 3, `${writes.length} write commands`);
  for (const w of writes) assert.ok(Buffer.byteLength(JSON.stringify(w.params.Parameters)) <= 64 * 1024);
  assert.equal(onNode(1, rel), edited);
  assert.deepEqual({ mode: fileMeta(master(1), path).mode, owner: fileMeta(master(1), path).owner }, { mode: '640', owner: 'root:grafana' });
  const backups = Object.entries(master(1).files ?? {}).filter(([k]) => k.startsWith(`/var/backups/openvidu-config/${rel}.`));
  assert.equal(backups.length, 1);
  assert.equal(sha(backups[0][1]), sha(original));
  assert.deepEqual(Object.keys(master(1).files ?? {}).filter((k) => k.includes('ovha-')), []);
});

test('reads: the 20 KB dashboard comes in one compressed page (one script); incompressible text falls back to 16 KiB plain pages, same bytes', async () => {
  emu.requests.clear();
  const dash = await open('cluster/master_node/grafana/dashboards/openvidu-cluster.json');
  assert.ok(dash.length > 20_000);
  assert.equal(sends().length, 1);
  assert.ok((sends()[0].params.Parameters as { commands: string[] }).commands.some((c) => c.includes('| gzip -c -n | base64 -w0')));
  // random hex compresses to about half: 60 KB gzip + base64 is over the 24,000 characters GetCommandInvocation returns
  const rel = 'cluster/master_node/grafana/dashboards/noise.json';
  const noise = `{"noise": "${randomBytes(30 * 1024).toString('hex')}"}\n`;
  (master(1).files as Record<string, string>)[`/opt/openvidu/config/${rel}`] = noise;
  emu.requests.clear();
  assert.equal(await open(rel), noise);
  const reads = sends().map((r) => (r.params.Parameters as { commands: string[] }).commands.at(-1) as string);
  assert.equal(reads.length, 1 + Math.ceil(noise.length / (16 * 1024)), reads.join('\n'));
  assert.match(reads[0], /gzip/);
  assert.ok(reads.slice(1).every((c) => !c.includes('gzip')));
});

test('a save over 512 KB is refused before any SSM call', async () => {
  const rel = 'cluster/master_node/grafana/dashboards/large.json';
  const n = sends().length;
  await assert.rejects(fs.writeFile(uri(rel), Buffer.from(`{"x": "${'y'.repeat(520 * 1024)}"}\n`)), /is \d+ bytes and files over 512 KB are not written.*Nothing was sent/);
  assert.equal(sends().length, n);
});

test('binary and over-size files are refused with the reason', async () => {
  (master(1).files as Record<string, string>)['/opt/openvidu/config/cluster/master_node/grafana/logo.png'] = '\u0089PNG\r\n\u001a\n\u0000\u0000';
  await assert.rejects(fs.readFile(uri('cluster/master_node/grafana/logo.png')), /not UTF-8 text .* binary files are not opened/);
  (master(1).files as Record<string, string>)['/opt/openvidu/config/cluster/master_node/grafana/huge.json'] = 'x'.repeat(600 * 1024);
  await assert.rejects(fs.readFile(uri('cluster/master_node/grafana/huge.json')), /614400 bytes: files over 512 KB are not opened/);
});
