/**
 * Session Manager end to end against the emulator: the real SDK's StartSession / ResumeSession / TerminateSession /
 * DescribeSessions and the data channel over a real WebSocket to the emulator's agent. A shell on a media node runs
 * `docker compose ps`; resize reaches the node; a dropped socket is resumed and typing goes on; lost and reordered
 * messages are resent and put in order; closing terminates the session; a port is forwarded and fetched through.
 */
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { Emulator } from '../emulator/server';
import { startTestbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import type { AppContext } from '../../src/features/shared/appContext';
import { openSession, OpenedSession } from '../../src/aws/sessionManager/session';
import { startPortForward } from '../../src/aws/sessionManager/portForward';
import { describeSessions, startSession } from '../../src/aws/ssmSessions';
import { sessionsOf, setSessionFaults, dropSessionSockets } from '../emulator/services/ssmSessions';

const REGION = 'eu-west-1';
let emu: Emulator;
let app: AppContext;
let media: string;
let master: string;
const logLines: string[] = [];

before(async () => {
  ({ emu, app } = await startTestbed({ speed: 1 }));
  // masters registered with SSM too (Default Host Management Configuration): template 3.8.0 leaves them out
  emu.world.settings.defaultHostManagement = true;
  await createOpenViduStack(emu, { name: 'ov-shell', mediaNodes: 1 });
  emu.clock.advance(3 * 3_600_000);
  emu.world.tick();
  const insts = [...emu.world.region(REGION).instances.values()].filter((i) => i.state === 'running');
  media = insts.find((i) => i.node?.kind === 'media')!.instanceId;
  master = insts.find((i) => i.node?.kind === 'master')!.instanceId;
  assert.ok(media && master);
});
after(async () => {
  app.dispose();
  await emu.stop();
});
afterEach(() => setSessionFaults(emu.world, {}));

/** collects a session's output; waitFor resolves when the text shows up */
function terminal() {
  let text = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  return {
    onOutput(d: Buffer) {
      text += d.toString('utf8');
      for (const w of [...waiters]) {
        if (!w.re.test(text)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    },
    get text() {
      return text;
    },
    waitFor(re: RegExp): Promise<void> {
      if (re.test(text)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
}

async function shell(t = terminal()): Promise<{ s: OpenedSession; t: ReturnType<typeof terminal>; closed: Promise<{ byNode: boolean; message: string }> }> {
  let closedResolve!: (r: { byNode: boolean; message: string }) => void;
  const closed = new Promise<{ byNode: boolean; message: string }>((r) => (closedResolve = r));
  const s = await openSession(app.session(REGION), media, { kind: 'shell' }, { onOutput: (d) => t.onOutput(d), onClosed: closedResolve, log: (l) => logLines.push(l) });
  await t.waitFor(/\$ $/);
  return { s, t, closed };
}

test('a shell on a media node runs docker compose ps and shows its services; exit ends the session from the node', { timeout: 30_000 }, async () => {
  const { s, t, closed } = await shell();
  s.channel.sendInput(Buffer.from('cd /opt/openvidu\r'));
  await t.waitFor(/openvidu\r\n\$ $/);
  s.channel.sendInput(Buffer.from('docker compose ps\r'));
  await t.waitFor(/docker compose ps\r\n[\s\S]*ingress[\s\S]*\$ $/);
  assert.match(t.text, /media-node-controller|openvidu|ingress/);
  s.channel.sendInput(Buffer.from('exit\r'));
  const why = await closed;
  assert.equal(why.byNode, true);
  const emuSession = sessionsOf(emu.world).find((x) => x.sessionId === s.sessionId)!;
  assert.equal(emuSession.status, 'Terminated');
  const history = await describeSessions(app.session(REGION), 'History', media);
  assert.ok(history.some((h) => h.SessionId === s.sessionId));
});

test('a resize reaches the node: stty size answers the new rows and columns', { timeout: 30_000 }, async () => {
  const { s, t } = await shell();
  s.channel.sendSize(132, 41);
  s.channel.sendInput(Buffer.from('stty size\r'));
  await t.waitFor(/stty size\r\n41 132\r\n/);
  await s.terminate();
});

test('the socket drops mid-session: the client resumes (ResumeSession) and typing goes on', { timeout: 30_000 }, async () => {
  const { s, t } = await shell();
  s.channel.sendInput(Buffer.from('echo before\r'));
  await t.waitFor(/before\r\n\$ $/);
  const resumesBefore = emu.requests.count('ResumeSession');
  assert.equal(dropSessionSockets(emu.world), 1);
  s.channel.sendInput(Buffer.from('echo after-resume\r'));
  await t.waitFor(/after-resume\r\n\$ $/);
  assert.equal(emu.requests.count('ResumeSession'), resumesBefore + 1);
  assert.equal(s.channel.stats.resumes, 1);
  await s.terminate();
});

test('lost and reordered messages are resent and delivered in order', { timeout: 30_000 }, async () => {
  setSessionFaults(emu.world, { loseEveryNth: 3, loseIncomingEveryNth: 4, reorder: true });
  const { s, t } = await shell();
  const lines = Array.from({ length: 8 }, (_, i) => `line-${i}`);
  for (const l of lines) {
    s.channel.sendInput(Buffer.from(`echo ${l}\r`));
    await t.waitFor(new RegExp(`${l}\\r\\n\\$ $`));
  }
  // every output in order, nothing twice
  const outs = [...t.text.matchAll(/\r\n(line-\d)\r\n/g)].map((m) => m[1]);
  assert.deepEqual(outs, lines);
  const agent = sessionsOf(emu.world).find((x) => x.sessionId === s.sessionId)!.agent;
  assert.ok(agent.stats.dropped > 0, 'the fault dropped messages');
  assert.ok(s.channel.stats.resent > 0, 'the client resent what the agent lost');
  assert.ok(s.channel.stats.outOfOrder > 0 || s.channel.stats.duplicates > 0, 'reordered or resent messages arrived');
  await s.terminate();
});

test('closing terminates the session: nothing left Active in DescribeSessions', { timeout: 30_000 }, async () => {
  const { s } = await shell();
  const active = await describeSessions(app.session(REGION), 'Active', media);
  assert.ok(active.some((a) => a.SessionId === s.sessionId));
  await s.terminate();
  const after = await describeSessions(app.session(REGION), 'Active', media);
  assert.ok(!after.some((a) => a.SessionId === s.sessionId));
  assert.ok(emu.requests.filter('TerminateSession').some((r) => r.params.SessionId === s.sessionId));
});

test('an idle session is ended by the node and the terminal is told', { timeout: 30_000 }, async () => {
  setSessionFaults(emu.world, { idleTimeoutMs: 60_000 });
  const { closed } = await shell();
  emu.clock.advance(61_000);
  const why = await closed;
  assert.equal(why.byNode, true);
  assert.match(why.message, /inactivity/);
});

test('StartSession on a node that is not Online: TargetNotConnected, no session', { timeout: 30_000 }, async () => {
  const inst = emu.world.region(REGION).instances.get(media)!;
  const saved = inst.state;
  inst.state = 'stopped';
  try {
    await assert.rejects(startSession(app.session(REGION), media), (e: Error) => e.name === 'TargetNotConnected');
  } finally {
    inst.state = saved;
  }
});

test('a port is forwarded: HTTP through 127.0.0.1:<local> reaches the node, and stopping terminates its sessions', { timeout: 30_000 }, async () => {
  const fwd = await startPortForward(app.session(REGION), master, 7880, { log: (l) => logLines.push(l) });
  assert.ok(fwd.localPort > 0);
  const body = await new Promise<string>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: fwd.localPort, path: '/twirp/health', method: 'GET', agent: false }, (res) => {
      let b = '';
      res.on('data', (c: Buffer) => (b += c.toString()));
      res.on('end', () => resolve(b));
    });
    req.on('error', reject);
    req.end();
  });
  assert.match(body, /"path":"\/twirp\/health"/);
  const post = Buffer.alloc(300_000, 'x');
  const echoed = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: fwd.localPort, path: '/echo', method: 'POST', agent: false, headers: { 'content-length': post.length } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
    });
    req.on('error', reject);
    req.end(post);
  });
  assert.equal(echoed, post.length);
  await fwd.stop();
  const active = await describeSessions(app.session(REGION), 'Active', master);
  assert.equal(active.filter((a) => a.DocumentName === 'AWS-StartPortForwardingSession').length, 0);
});

test('a local port already in use is refused before any AWS call', { timeout: 30_000 }, async () => {
  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  const port = (busy.address() as { port: number }).port;
  const before = emu.requests.count('StartSession');
  try {
    await assert.rejects(startPortForward(app.session(REGION), master, 7880, { localPort: port }), /Local port \d+ is already in use/);
    await assert.rejects(startPortForward(app.session(REGION), master, 70000), /Remote port must be a whole number from 1 to 65535/);
  } finally {
    busy.close();
  }
  assert.equal(emu.requests.count('StartSession'), before);
});

test('no token or stream URL in anything logged', () => {
  const tokens = sessionsOf(emu.world).length;
  assert.ok(tokens > 0);
  for (const l of logLines) {
    assert.doesNotMatch(l, /ws:\/\/|wss:\/\/|TokenValue|data-channel/);
  }
});
