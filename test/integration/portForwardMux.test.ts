/**
 * Multiplexed port forwarding end to end against the emulator: the real SDK's StartSession / ResumeSession /
 * TerminateSession / DescribeSessions, the data channel over a real WebSocket, and smux streams to the emulator's
 * agent, which dials the node's port once per stream. Several concurrent TCP connections (HTTP, and a raw echo
 * service) share ONE session; a stream closes from either side; a dropped socket is resumed with the streams open;
 * a session ended elsewhere closes its connections and the next connection opens a new one; stop terminates it.
 */
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect, createServer, Server } from 'node:net';
import type { Emulator } from '../emulator/server';
import { startTestbed } from '../support/testbed';
import { createOpenViduStack } from '../support/openviduStack';
import type { AppContext } from '../../src/features/shared/appContext';
import { startPortForward, type PortForward } from '../../src/aws/sessionManager/portForward';
import { describeSessions, terminateSession } from '../../src/aws/ssmSessions';
import { dropSessionSockets, sessionsOf, setSessionFaults } from '../emulator/services/ssmSessions';

const REGION = 'eu-west-1';
const PORT_DOC = 'AWS-StartPortForwardingSession';
let emu: Emulator;
let app: AppContext;
let master: string;
let echo: Server;
let echoPort: number;
/** connections the echo service saw close */
let echoClosed = 0;
const logLines: string[] = [];

before(async () => {
  ({ emu, app } = await startTestbed({ speed: 1 }));
  emu.world.settings.defaultHostManagement = true;
  await createOpenViduStack(emu, { name: 'ov-mux', mediaNodes: 1 });
  emu.clock.advance(3 * 3_600_000);
  emu.world.tick();
  master = [...emu.world.region(REGION).instances.values()].find((i) => i.state === 'running' && i.node?.kind === 'master')!.instanceId;
  // a raw TCP service on "the node": echoes what it gets; on a line "bye" it closes its side
  echo = createServer((c) => {
    c.on('data', (d: Buffer) => {
      c.write(d);
      if (/^bye$/m.test(d.toString())) c.end();
    });
    c.on('error', () => undefined);
    c.on('close', () => echoClosed++);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as { port: number }).port;
});
after(async () => {
  app.dispose();
  await emu.stop();
  echo.close();
});
afterEach(() => setSessionFaults(emu.world, {}));

async function activePortSessions(): Promise<string[]> {
  return (await describeSessions(app.session(REGION), 'Active', master)).filter((s) => s.DocumentName === PORT_DOC).map((s) => s.SessionId!);
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let b = '';
      res.on('data', (c: Buffer) => (b += c.toString()));
      res.on('end', () => resolve(b));
    });
    req.on('error', reject);
    req.end();
  });
}

function post(port: number, body: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/echo', method: 'POST', agent: false, headers: { 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** a raw connection to the forward with a reader that waits for text */
async function open(port: number) {
  const sock = connect(port, '127.0.0.1');
  await new Promise<void>((r, j) => sock.once('connect', () => r()).once('error', j));
  let text = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  sock.on('data', (d: Buffer) => {
    text += d.toString();
    for (const w of [...waiters]) {
      if (!w.re.test(text)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  const ended = new Promise<void>((r) => sock.once('end', () => r()));
  const closed = new Promise<void>((r) => sock.once('close', () => r()));
  sock.on('error', () => undefined);
  return {
    sock,
    ended,
    closed,
    get text() {
      return text;
    },
    waitFor: (re: RegExp) => (re.test(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ re, resolve }))),
  };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(cond(), what);
}

test('concurrent HTTP connections share ONE session: GETs and a POST echo through smux streams; stop terminates it', { timeout: 60_000 }, async () => {
  const starts = emu.requests.count('StartSession');
  const fwd: PortForward = await startPortForward(app.session(REGION), master, 7880, { log: (l) => logLines.push(l) });
  assert.equal(fwd.mode, 'mux');
  const paths = ['/a', '/b', '/c', '/d', '/e', '/f'];
  const big = Buffer.alloc(200_000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
  const [echoed, ...bodies] = await Promise.all([post(fwd.localPort, big), ...paths.map((p) => get(fwd.localPort, p))]);
  assert.ok(echoed.equals(big), 'the POST body came back byte for byte');
  bodies.forEach((b, i) => assert.match(b, new RegExp(`"path":"\\${paths[i]}"`)));
  const ids = await activePortSessions();
  assert.equal(ids.length, 1, 'one session carries every connection');
  assert.equal(emu.requests.count('StartSession'), starts + 1);
  const agent = sessionsOf(emu.world).find((s) => s.sessionId === ids[0])!.agent;
  assert.ok(agent.mux, 'the agent runs the multiplexed port session');
  assert.equal(agent.mux.stats.streamsAccepted, 7, 'one stream per connection');
  assert.ok(agent.mux.stats.maxConcurrent > 1, 'streams were open at the same time');
  await fwd.stop();
  assert.deepEqual(await activePortSessions(), []);
  const history = await describeSessions(app.session(REGION), 'History', master);
  assert.ok(history.some((h) => h.SessionId === ids[0] && h.Status === 'Terminated'));
});

test('raw TCP echo: streams interleave without mixing; a local close and a node-side close each end only their stream', { timeout: 60_000 }, async () => {
  setSessionFaults(emu.world, { tcpPort: echoPort });
  const fwd = await startPortForward(app.session(REGION), master, 9000, { log: (l) => logLines.push(l) });
  const [a, b, c] = await Promise.all([open(fwd.localPort), open(fwd.localPort), open(fwd.localPort)]);
  for (let i = 0; i < 5; i++) for (const [name, conn] of [['a', a], ['b', b], ['c', c]] as const) conn.sock.write(`${name}${i}\n`);
  await Promise.all([a.waitFor(/a4\n$/), b.waitFor(/b4\n$/), c.waitFor(/c4\n$/)]);
  assert.equal(a.text, 'a0\na1\na2\na3\na4\n');
  assert.equal(b.text, 'b0\nb1\nb2\nb3\nb4\n');
  assert.equal(fwd.connections, 3);
  const [id] = await activePortSessions();
  const mux = sessionsOf(emu.world).find((s) => s.sessionId === id)!.agent.mux!;
  assert.equal(mux.openStreams, 3);

  // the local side closes: FIN to the node, which closes its connection to the port
  const closedBefore = echoClosed;
  a.sock.destroy();
  await until(() => echoClosed === closedBefore + 1 && mux.openStreams === 2, 'the node closed the port connection of the closed stream');
  assert.ok(mux.stats.finsReceived >= 1);

  // the port closes its side: FIN to the client, whose local connection ends
  b.sock.write('bye\n');
  await b.ended;
  await until(() => mux.openStreams === 1 && fwd.connections === 1, 'the stream the port closed is gone');

  // the last connection still works
  c.sock.write('still here\n');
  await c.waitFor(/still here\n$/);
  assert.deepEqual(await activePortSessions(), [id]);
  await fwd.stop();
  await c.closed;
  assert.deepEqual(await activePortSessions(), []);
});

test('the socket drops mid-forward: the data channel resumes (ResumeSession) and the open streams carry on', { timeout: 60_000 }, async () => {
  setSessionFaults(emu.world, { tcpPort: echoPort });
  const fwd = await startPortForward(app.session(REGION), master, 9000, { log: (l) => logLines.push(l) });
  const a = await open(fwd.localPort);
  const b = await open(fwd.localPort);
  a.sock.write('before\n');
  await a.waitFor(/before\n$/);
  const resumes = emu.requests.count('ResumeSession');
  assert.equal(dropSessionSockets(emu.world), 1);
  a.sock.write('after-a\n');
  b.sock.write('after-b\n');
  await Promise.all([a.waitFor(/after-a\n$/), b.waitFor(/after-b\n$/)]);
  assert.equal(emu.requests.count('ResumeSession'), resumes + 1);
  assert.equal((await activePortSessions()).length, 1);
  await fwd.stop();
});

test('the session ends elsewhere (TerminateSession): its connections close; the next connection opens a new session', { timeout: 60_000 }, async () => {
  setSessionFaults(emu.world, { tcpPort: echoPort });
  const fwd = await startPortForward(app.session(REGION), master, 9000, { log: (l) => logLines.push(l) });
  const a = await open(fwd.localPort);
  a.sock.write('one\n');
  await a.waitFor(/one\n$/);
  const [first] = await activePortSessions();
  await terminateSession(app.session(REGION), first);
  await a.closed;
  const b = await open(fwd.localPort);
  b.sock.write('two\n');
  await b.waitFor(/two\n$/);
  const now = await activePortSessions();
  assert.equal(now.length, 1);
  assert.notEqual(now[0], first);
  await fwd.stop();
  assert.deepEqual(await activePortSessions(), []);
});

test('nothing listens on the node port: the agent reports ConnectToPortError, the connection closes, the session stays', { timeout: 60_000 }, async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  setSessionFaults(emu.world, { tcpPort: closedPort });
  const errors: string[] = [];
  const fwd = await startPortForward(app.session(REGION), master, 9001, { log: (l) => logLines.push(l), onError: (m) => errors.push(m) });
  const a = await open(fwd.localPort);
  await a.closed;
  const b = await open(fwd.localPort);
  await b.closed;
  const [id] = await activePortSessions();
  const mux = sessionsOf(emu.world).find((s) => s.sessionId === id)!.agent.mux!;
  assert.equal(mux.stats.dialFailures, 2);
  assert.equal(fwd.connections, 0);
  await until(() => logLines.filter((l) => /could not connect to the port/.test(l)).length === 2, 'each failed connection is logged');
  assert.deepEqual(errors, [`port 9001 on ${master}: the node could not connect to the port (is anything listening there?)`], 'the user is told once');
  await fwd.stop();
});

test('an agent that does not multiplex (3.0.196.0): one session per connection (basic mode)', { timeout: 60_000 }, async () => {
  setSessionFaults(emu.world, { agentVersion: '3.0.196.0' });
  const fwd = await startPortForward(app.session(REGION), master, 7880, { log: (l) => logLines.push(l) });
  assert.equal(fwd.mode, 'basic');
  assert.deepEqual(await activePortSessions(), [], 'the probing session was terminated');
  const bodies = await Promise.all(['/x', '/y'].map((p) => get(fwd.localPort, p)));
  assert.match(bodies[0], /"path":"\/x"/);
  assert.match(bodies[1], /"path":"\/y"/);
  const sessions = sessionsOf(emu.world).filter((s) => s.documentName === PORT_DOC && s.target === master).slice(-2);
  assert.ok(sessions.every((s) => !s.agent.mux), 'the agent ran basic port sessions');
  await fwd.stop();
  assert.deepEqual(await activePortSessions(), []);
});

test('nothing secret in the forward log', () => {
  const text = logLines.join('\n');
  assert.doesNotMatch(text, /wss?:\/\//);
  for (const s of sessionsOf(emu.world)) if (s.token) assert.ok(!text.includes(s.token));
});
