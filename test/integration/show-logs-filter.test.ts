/**
 * Show Logs with a time window and a filter (issue 17, item 5) against the emulator: the filter runs on the node
 * (grep), so only matching lines travel back over SSM; a filtered read above SSM's 24,000-character limit is
 * still read whole; the journal takes a window; unsafe filters are refused before any AWS call; Enter on the
 * questions keeps the remembered choice.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestbed, fake, type Testbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import { containerLogs, isoNano } from '../emulator/node-sim';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import { InstanceNode, ServiceNode, type GroupNode, type StackNode } from '../../src/features/explorer/treeNodes';
import { showLogs } from '../../src/features/operations/commands/showLogs';
import { LogDocuments } from '../../src/features/operations/logDocuments';
import type { LogAnswers } from '../../src/features/operations/logChoices';

const REGION = 'eu-west-1';
let bed: Testbed;
let p: ClusterTreeProvider;
let node: InstanceNode;
const now = () => bed.emu.world.now();

before(async () => {
  bed = await startTestbed({ speed: 20 });
  await createOpenViduStack(bed.emu, { name: 'ov-show', mediaNodes: 1 });
  bed.emu.clock.advance(4 * 3_600_000);
  p = new ClusterTreeProvider(bed.app);
  const region = (await p.getChildren())[0];
  const stack = (await p.getChildren(region)).find((s) => s.kind === 'stack' && s.summary.stackName === 'ov-show') as StackNode;
  const media = (await p.getChildren(stack)).find((g): g is GroupNode => g.kind === 'group' && g.role === 'media')!;
  node = (await p.getChildren(media)).find((n): n is InstanceNode => n.kind === 'instance' && n.node.state === 'running')!;
});
after(async () => {
  p.dispose();
  await bed.stop();
});

const openvidu = () => new ServiceNode(node, { name: 'openvidu', state: 'running', health: 'healthy', status: 'Up' });

async function read(docs: LogDocuments, answers: LogAnswers, service: ServiceNode | InstanceNode = openvidu()): Promise<{ header: string[]; lines: string[] }> {
  const uri = await showLogs(bed.app, p, docs, service, answers, now);
  assert.ok(uri, JSON.stringify(fake.recorded.notifications.slice(-2)));
  const text = docs.text(uri.path)!.split('\n');
  return { header: text.filter((l) => l.startsWith('#')), lines: text.filter((l) => l && !l.startsWith('#')) };
}

/** what the node printed for each SendCommand since the last clear */
function outputs(): string[] {
  const ids = bed.emu.requests.filter('ssm:SendCommand').length;
  return [...bed.emu.world.region(REGION).ssmCommands.values()].slice(-ids).flatMap((c) => c.invocations.map((i) => i.stdout));
}

test('a window and a filter are applied on the node: only matching lines travel, the header says both', async () => {
  fake.setSetting('openviduHa.logLines', 500);
  const docs = new LogDocuments();
  const all = await read(docs, { range: { kind: 'last', minutes: 15 }, filter: '' });
  assert.ok(all.lines.length > 20, `${all.lines.length} lines in 15 minutes`);
  // a word that some lines have and others do not
  const words = new Map<string, number>();
  for (const l of all.lines) for (const w of new Set(l.split(/[^A-Za-z]+/).filter((x) => x.length > 5))) words.set(w, (words.get(w) ?? 0) + 1);
  const needle = [...words.entries()].sort((a, b) => b[1] - a[1]).find(([, n]) => n > 2 && n < all.lines.length / 2)?.[0];
  assert.ok(needle, 'a word in some lines only');
  bed.emu.requests.clear();
  const got = await read(docs, { range: { kind: 'last', minutes: 15 }, filter: needle });
  assert.ok(got.lines.length >= 3 && got.lines.length < all.lines.length, `${got.lines.length} of ${all.lines.length}`);
  assert.ok(got.lines.every((l) => l.includes(needle)), got.lines.find((l) => !l.includes(needle)));
  assert.match(got.header[1], new RegExp(`^# last 15 minutes, newest 500 lines at most, matching "${needle}" \\(filtered on the node\\) requested, ${got.lines.length} shown`));
  // the command greps on the node, and what came back over SSM is only the matching lines
  const sent = (bed.emu.requests.filter('ssm:SendCommand').at(-1)!.params as { Parameters: { commands: string[] } }).Parameters.commands.join('\n');
  assert.match(sent, new RegExp(`docker compose logs --no-color --timestamps --since '\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z' 'openvidu' 2>&1 \\| grep -F -e '${needle}' \\| tail -n 500$`));
  const travelled = outputs().join('').split('\n').filter(Boolean);
  assert.equal(travelled.length, got.lines.length);
  assert.ok(travelled.every((l) => l.includes(needle)));
  // a regular expression, case-insensitive
  const re = await read(docs, { range: { kind: 'last', minutes: 15 }, filter: `/${needle.toLowerCase()}/i` });
  assert.ok(re.lines.length >= 1 && re.lines.every((l) => l.toLowerCase().includes(needle.toLowerCase())));
});

test('a filtered read above SSM\'s 24,000-character limit is read in parts and is whole: the newest N matching lines, in order', async () => {
  fake.setSetting('openviduHa.logLines', 1500);
  const docs = new LogDocuments();
  bed.emu.requests.clear();
  const got = await read(docs, { range: { kind: 'lines' }, filter: '/INFO|WARN/' });
  assert.equal(got.lines.length, 1500);
  assert.match(got.header[1], /read in parts and joined/);
  const sends = bed.emu.requests.filter('ssm:SendCommand').map((r) => (r.params as { Parameters: { commands: string[] } }).Parameters.commands.join('\n'));
  assert.ok(sends.length >= 3, `${sends.length} reads`);
  assert.ok(sends.every((c) => c.includes(`| grep -E -e 'INFO|WARN' |`)), 'every page greps on the node');
  // exactly a contiguous run of the container's matching lines: nothing repeated or dropped at the joins
  const sim = bed.emu.world.region(REGION).instances.get(node.node.instanceId)!.node!;
  const svc = sim.services.find((s) => s.name === 'openvidu')!;
  const matching = containerLogs(sim, svc, bed.emu.clock.now(), { tail: 6000 })
    .filter((l) => /INFO|WARN/.test(l.text))
    .map((l) => `${isoNano(l.ns)} ${l.text.replace(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\s+/, '')}`);
  const start = matching.indexOf(got.lines[0]);
  assert.ok(start >= 0, got.lines[0]);
  assert.deepEqual(got.lines, matching.slice(start, start + 1500));
  fake.setSetting('openviduHa.logLines', 500);
});

test('the journal takes a time window (journalctl --since @epoch) and a filter; a log file refuses a window', async () => {
  const docs = new LogDocuments();
  const journal = (answers: LogAnswers) => {
    fake.answers.quickPick.push((items: { description?: string }[]) => items.find((i) => i.description === 'journalctl -u openvidu'));
    return read(docs, answers, node);
  };
  bed.emu.requests.clear();
  const t0 = now();
  const hour = await journal({ range: { kind: 'last', minutes: 60 }, filter: '' });
  const sent = (bed.emu.requests.filter('ssm:SendCommand').at(-1)!.params as { Parameters: { commands: string[] } }).Parameters.commands.join('\n');
  const [, epoch] = /journalctl -u openvidu --since '@(\d+)' -n 500 --no-pager/.exec(sent) ?? [];
  assert.ok(epoch, sent);
  // an hour before the command's "now" (the emulated clock runs while the command waits)
  assert.ok(Number(epoch) >= Math.floor((t0 - 3_600_000) / 1000) && Number(epoch) <= Math.ceil((now() - 3_600_000) / 1000), epoch);
  // every line is from the last hour (journal lines: "Nov 24 09:00:00 host …", UTC on the node), the oldest near its start
  const at = (l: string) => Date.parse(`${/^(\w{3} \d{2}) (\d{2}:\d{2}:\d{2})/.exec(l)?.slice(1).join(` ${new Date(t0).getUTCFullYear()} `)} UTC`);
  assert.ok(hour.lines.length > 0 && hour.lines.every((l) => at(l) >= Number(epoch) * 1000 - 1000), hour.lines[0]);
  // a log file has no common timestamp: a window given in advance is refused before anything is sent
  bed.emu.requests.clear();
  fake.answers.quickPick.push((items: { description?: string }[]) => items.find((i) => i.description === '/var/log/cloud-init-output.log'));
  assert.equal(await showLogs(bed.app, p, docs, node, { range: { kind: 'last', minutes: 15 }, filter: '' }, now), undefined);
  assert.match(fake.recorded.notifications.at(-1)!.message, /A log file has no common timestamp/);
  // a filter on a file is fine
  fake.answers.quickPick.push((items: { description?: string }[]) => items.find((i) => i.description === '/var/log/cloud-init-output.log'));
  const file = await read(docs, { range: { kind: 'lines' }, filter: 'Cloud-init' }, node);
  assert.ok(file.lines.length >= 1 && file.lines.every((l) => l.includes('Cloud-init')), file.lines.join('\n'));
});

test('unsafe or invalid filters are refused before any AWS call', async () => {
  const docs = new LogDocuments();
  for (const bad of ['/(a+)+$/', '/\\d+/', '/(?=x)/', '/[unclosed/', 'x'.repeat(201), "line\nrm -rf /", { range: { kind: 'since', since: "2026-11-24'; reboot" } }]) {
    bed.emu.requests.clear();
    fake.recorded.notifications.length = 0;
    const answers: LogAnswers = typeof bad === 'string' ? { range: { kind: 'lines' }, filter: bad } : { ...(bad as LogAnswers), filter: '' };
    assert.equal(await showLogs(bed.app, p, docs, openvidu(), answers, now), undefined, JSON.stringify(bad));
    assert.equal(bed.emu.requests.count(), 0, `no AWS call for ${JSON.stringify(bad)}: ${JSON.stringify(bed.emu.requests.summary())}`);
    assert.equal(fake.recorded.notifications.at(-1)?.level, 'error');
  }
  // typed in the box: the box itself refuses it (the fake input box applies validateInput)
  fake.answers.quickPick.push((items: unknown[]) => items[0]);
  fake.answers.inputBox.push('/(a+)+/');
  await assert.rejects(() => showLogs(bed.app, p, docs, openvidu(), {}, now), /Nested repetition/);
  // quotes and shell syntax are plain text, single-quoted: they reach grep as the pattern, nothing else runs
  bed.emu.requests.clear();
  const odd = await read(docs, { range: { kind: 'lines' }, filter: `'; touch /tmp/pwned; echo '` });
  assert.deepEqual(odd.lines, []);
  const sent = (bed.emu.requests.filter('ssm:SendCommand').at(-1)!.params as { Parameters: { commands: string[] } }).Parameters.commands.join('\n');
  assert.ok(sent.includes(`grep -F -e ''\\''; touch /tmp/pwned; echo '\\''' | tail -n 500`), sent);
});

test('Enter on the questions keeps the defaults: first the last N lines and every line, then the last choice', async () => {
  const docs = new LogDocuments();
  /** Enter on the range pick; `typed` is what Enter leaves in the filter box (its prefilled value) */
  const enter = (typed: string) => {
    let labels: string[] = [];
    fake.answers.quickPick.push((items: { label: string }[]) => ((labels = items.map((i) => i.label)), items[0]));
    fake.answers.inputBox.push(typed);
    return () => labels;
  };
  // first time: Enter, Enter = last N lines, every line (the input box's value is empty)
  let labels = enter('');
  const first = await read(docs, {});
  assert.equal(labels()[0], 'Last 500 lines');
  assert.match(first.header[1], /^# last 500 lines requested, \d+ shown/);
  const box = fake.recorded.prompts.filter((x) => x.kind === 'input').at(-1)!.options as { value: string };
  assert.equal(box.value, '');
  // choose "Last hour" with a filter
  fake.answers.quickPick.push((items: { label: string }[]) => items.find((i) => i.label === 'Last hour'));
  fake.answers.inputBox.push('/INFO/');
  const second = await read(docs, {});
  assert.match(second.header[1], /^# last hour, newest 500 lines at most, matching \/INFO\/ \(filtered on the node\)/);
  // next time the remembered choice comes first and the filter is prefilled: Enter, Enter repeats it
  labels = enter('/INFO/');
  await read(docs, {});
  assert.equal(labels()[0], 'Last hour');
  const box2 = fake.recorded.prompts.filter((x) => x.kind === 'input').at(-1)!.options as { value: string };
  assert.equal(box2.value, '/INFO/');
  // "Since…" asks a UTC date and time
  fake.answers.quickPick.push((items: { label: string }[]) => items.find((i) => i.label === 'Since…'));
  const since = new Date(now() - 30 * 60_000).toISOString().slice(0, 16).replace('T', ' ');
  fake.answers.inputBox.push(since, '');
  const s = await read(docs, {});
  assert.match(s.header[1], new RegExp(`^# since ${since} UTC, newest 500 lines at most requested`));
  assert.ok(s.lines.every((l) => l.slice(0, 16).replace('T', ' ') >= since), s.lines[0]);
});

test('a live tail can be filtered: grep runs in every poll on the node, the header says the filter', async () => {
  const { TailManager } = await import('../../src/features/operations/tailManager');
  const { followLogs } = await import('../../src/features/operations/commands/followLogs');
  const tails = new TailManager(bed.app, { manualPolling: true });
  fake.workspace.registerTextDocumentContentProvider('openvidu-ha-tail', tails);
  try {
    // unsafe filters given in advance: refused before any AWS call
    for (const bad of ['/(a+)+/', 'a\u0000b']) {
      bed.emu.requests.clear();
      assert.equal(await followLogs(bed.app, p, tails, openvidu(), { filter: bad }), undefined);
      assert.equal(bed.emu.requests.count(), 0);
      assert.match(fake.recorded.notifications.at(-1)!.message, /^Logs not followed: /);
    }
    // asked when it starts (typed in the box)
    fake.answers.inputBox.push('/INFO/');
    bed.emu.requests.clear();
    const session = await followLogs(bed.app, p, tails, openvidu());
    assert.ok(session, JSON.stringify(fake.recorded.notifications.slice(-2)));
    for (let i = 0; i < 10 && (await session.pollOnce()); i++);
    bed.emu.clock.advance(5 * 60_000);
    for (let i = 0; i < 10 && (await session.pollOnce()); i++);
    const doc = ((await fake.documentText(session.uri.toString())) ?? '').split('\n').filter(Boolean);
    assert.match(doc[0], /^# Following openvidu on ov-show · Media i-\w+ · only lines matching \/INFO\/ \(filtered on the node\) · every/);
    const lines = doc.slice(1).filter((l) => /^\d{4}-/.test(l));
    assert.ok(lines.length > 50, `${lines.length} lines`);
    assert.ok(lines.every((l) => l.includes('INFO')), lines.find((l) => !l.includes('INFO')));
    const polls = bed.emu.requests.filter('ssm:SendCommand').map((r) => (r.params as { Parameters: { commands: string[] } }).Parameters.commands.join('\n')).filter((c) => c.includes('docker compose logs'));
    assert.ok(polls.length >= 2, `${polls.length} polls`);
    assert.ok(polls.every((c) => c.includes("| grep -E -e 'INFO' |")), polls[0]);
    // what travelled back is only matching lines (and the clock markers)
    const travelled = outputs().join('\n').split('\n').filter((l) => /^\S+\s+\| \d{4}-/.test(l));
    assert.ok(travelled.length > 0 && travelled.every((l) => l.includes('INFO')));
    session.stop();
    // the next tail offers the same filter (Enter keeps it)
    fake.answers.inputBox.push('/INFO/');
    const again = await followLogs(bed.app, p, tails, openvidu());
    assert.equal((fake.recorded.prompts.filter((x) => x.kind === 'input').at(-1)!.options as { value: string }).value, '/INFO/');
    again?.stop();
  } finally {
    tails.dispose();
  }
});
