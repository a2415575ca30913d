/**
 * The shell feature through its commands against the emulator: Open Shell on a media node's tree row runs
 * `docker compose ps` in a terminal named after the node; closing the terminal terminates the session (nothing
 * left Active in DescribeSessions); a master that is not registered with SSM (template 3.8.0) gets the reason and
 * the Enable SSM offer and no terminal; Forward a Port lists the forward under its node, serves HTTP, and Stop
 * terminates it; bad ports are refused before any call; deactivating terminates every session.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import * as vscode from 'vscode';
import type { Emulator } from '../emulator/server';
import { startTestbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import type { AppContext } from '../../src/features/shared/appContext';
import { ClusterTreeProvider } from '../../src/features/explorer/clusterTreeProvider';
import type { GroupNode, InstanceNode, PortForwardNode, StackNode } from '../../src/features/explorer/treeNodes';
import { openShell } from '../../src/features/shell/commands/openShell';
import { forwardPort } from '../../src/features/shell/commands/forwardPort';
import { stopPortForward } from '../../src/features/shell/commands/stopPortForward';
import { ForwardRegistry } from '../../src/features/shell/forwards';
import { registerShell } from '../../src/features/shell';
import type { ShellPty } from '../../src/features/shell/shellTerminal';
import { describeSessions } from '../../src/aws/ssmSessions';

const fake = vscode as unknown as typeof import('../fakes/vscode');
const REGION = 'eu-west-1';
let emu: Emulator;
let app: AppContext;
let p: ClusterTreeProvider;
const registry = new ForwardRegistry();

before(async () => {
  ({ emu, app } = await startTestbed({ speed: 1 }));
  p = new ClusterTreeProvider(app);
  p.setForwardSource(registry);
  await createOpenViduStack(emu, { name: 'ov-term', mediaNodes: 1 });
  emu.clock.advance(3 * 3_600_000);
});
after(async () => {
  await registry.stopAll();
  p.dispose();
  app.dispose();
  await emu.stop();
});
beforeEach(() => {
  fake.recorded.terminals.length = 0;
  fake.recorded.notifications.length = 0;
  fake.recorded.output.length = 0;
});

async function nodes(): Promise<{ stack: StackNode; master: InstanceNode; media: InstanceNode }> {
  await p.reloadNow();
  const region = (await p.getChildren())[0];
  const stack = (await p.getChildren(region)).find((s) => s.kind === 'stack' && s.summary.stackName === 'ov-term') as StackNode;
  const groups = (await p.getChildren(stack)) as GroupNode[];
  const running = async (g: GroupNode) => (await p.getChildren(g)).filter((n): n is InstanceNode => n.kind === 'instance' && n.node.state === 'running');
  return { stack, master: (await running(groups.find((g) => g.role === 'master')!))[0], media: (await running(groups.find((g) => g.role === 'media')!))[0] };
}

function screen(pty: ShellPty) {
  let text = '';
  pty.onDidWrite((d) => (text += d));
  return {
    get text() {
      return text;
    },
    async waitFor(re: RegExp): Promise<void> {
      for (let i = 0; i < 400 && !re.test(text); i++) await new Promise((r) => setTimeout(r, 25));
      assert.match(text, re);
    },
  };
}

test('Open Shell on a media node: a terminal named after the node runs docker compose ps; closing it terminates the session', { timeout: 30_000 }, async () => {
  const { media } = await nodes();
  assert.ok(media, 'a running media node');
  const opened = await openShell(app, p, new Set(), media);
  assert.ok(opened, JSON.stringify(fake.recorded.notifications));
  const term = fake.recorded.terminals.at(-1)!;
  assert.equal(term.name, `Media · ${media.node.instanceId.slice(0, 10)}…`);
  const s = screen(opened.pty);
  term.show();
  await s.waitFor(/\$ $/);
  opened.pty.handleInput('cd /opt/openvidu\r');
  await s.waitFor(/openvidu\r\n\$ $/);
  opened.pty.handleInput('docker compose ps\r');
  await s.waitFor(/docker compose ps\r\n[\s\S]*ingress[\s\S]*\$ $/);
  const sessionId = opened.pty.sessionId!;
  assert.ok((await describeSessions(app.session(REGION), 'Active', media.node.instanceId)).some((x) => x.SessionId === sessionId));
  term.dispose();
  await opened.pty.finished;
  assert.ok(!(await describeSessions(app.session(REGION), 'Active', media.node.instanceId)).some((x) => x.SessionId === sessionId));
  // only metadata in the output channel
  for (const line of fake.recorded.output) assert.doesNotMatch(line, /ws:\/\/|data-channel|TokenValue/);
});

test('a master not registered with SSM gets the reason and the Enable SSM offer, and no terminal', { timeout: 30_000 }, async () => {
  const { master } = await nodes();
  const before = emu.requests.count('StartSession');
  const opened = await openShell(app, p, new Set(), master);
  assert.equal(opened, undefined);
  assert.equal(fake.recorded.terminals.length, 0);
  const warning = fake.recorded.notifications.find((n) => n.level === 'warning')!;
  assert.match(warning.message, /Not registered with SSM/);
  assert.deepEqual(warning.items, ['Enable SSM on Master Nodes…']);
  assert.equal(emu.requests.count('StartSession'), before);
});

test('Forward a Port: the forward shows under the node, HTTP goes through it, Stop terminates its sessions', { timeout: 30_000 }, async () => {
  const { media } = await nodes();
  const entry = await forwardPort(app, p, registry, media, { remotePort: 7880, openBrowser: false });
  assert.ok(entry);
  const { media: again } = await nodes();
  const rows = (await p.getChildren(again)).filter((n): n is PortForwardNode => n.kind === 'portForward');
  assert.equal(rows.length, 1);
  assert.equal(rows[0].treeItem().label, `127.0.0.1:${entry.row.localPort} → :7880`);
  const body = await new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: entry.row.localPort, path: '/rtc', agent: false }, (res) => {
      let b = '';
      res.on('data', (c: Buffer) => (b += c));
      res.on('end', () => resolve(b));
    });
    req.on('error', reject);
    req.end();
  });
  assert.match(body, /"path":"\/rtc"/);
  assert.equal(await stopPortForward(registry, rows[0]), true);
  assert.equal(registry.forwards(media.node.instanceId).length, 0);
  const active = await describeSessions(app.session(REGION), 'Active', media.node.instanceId);
  assert.equal(active.length, 0);
});

test('bad ports are refused before any AWS call, naming the field', { timeout: 30_000 }, async () => {
  const { media } = await nodes();
  const calls = emu.requests.entries.length;
  await assert.rejects(forwardPort(app, p, registry, media, { remotePort: 0 }), /Remote port must be a whole number from 1 to 65535/);
  await assert.rejects(forwardPort(app, p, registry, media, { remotePort: 7880, localPort: '99999' }), /Local port must be a whole number from 1 to 65535/);
  assert.equal(emu.requests.entries.length, calls);
});

test('deactivating terminates every open shell and forward (no orphaned sessions)', { timeout: 30_000 }, async () => {
  const { media } = await nodes();
  const context = { subscriptions: [] as { dispose(): unknown }[] } as unknown as vscode.ExtensionContext;
  const feature = registerShell(app, context, { provider: p } as never);
  const opened = await openShell(app, p, feature.shells, media);
  const s = screen(opened!.pty);
  fake.recorded.terminals.at(-1)!.show();
  await s.waitFor(/\$ $/);
  await forwardPort(app, p, feature.forwards, media, { remotePort: 3000, openBrowser: false });
  // the shell's session and the forward's one multiplexed session (opened when the forward starts)
  assert.equal((await describeSessions(app.session(REGION), 'Active', media.node.instanceId)).length, 2);
  await feature.shutdown();
  assert.equal((await describeSessions(app.session(REGION), 'Active', media.node.instanceId)).length, 0);
  assert.equal(feature.shells.size, 0);
  assert.equal(feature.forwards.all().length, 0);
  for (const d of context.subscriptions) d.dispose();
});
