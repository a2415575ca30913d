/**
 * The emulator's agent side of a port forwarding session, spoken to with raw frames (the emulator's own message
 * codec and smux frames built here from xtaci/smux's layout), through the real @aws-sdk/client-ssm: a client
 * announcing 1.1.70 gets the multiplexed session (port.go GetSession), 1.1.69 the basic one; an agent at 3.0.196.0
 * or older never multiplexes; output comes in reads of at most 1,024 bytes (port_mux.go transferDataToMgs); a
 * frame of another smux version ends the session (session.go recvLoop ErrInvalidProtocol).
 */
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { SSMClient, StartSessionCommand, DescribeSessionsCommand } from '@aws-sdk/client-ssm';
import { WebSocket } from 'ws';
import { startEmulator, Emulator } from '../server';
import { launchInstance } from '../services/ec2';
import { sessionsOf, setSessionFaults } from '../services/ssmSessions';
import { buildMessage, parseMessage, type AgentMessage } from '../session-agent';
import { clientConfig } from '../clientConfig';

const REGION = 'eu-west-1';
let emu: Emulator;
let ssm: SSMClient;
let target: string;

before(async () => {
  emu = await startEmulator({ start: Date.parse('2026-11-24T06:00:00Z') });
  ssm = new SSMClient(clientConfig(emu, REGION));
  emu.world.settings.defaultHostManagement = true;
  const subnet = emu.world.region(REGION).subnets.find((x) => x.mapPublicIpOnLaunch)!;
  target = launchInstance(emu.world, REGION, { subnetId: subnet.subnetId, instanceType: 't3.micro', tags: {}, ssmRegistered: true, bootSeconds: 0 }).instanceId;
  emu.clock.advance(60_000);
  emu.world.tick();
});
after(async () => {
  ssm.destroy();
  await emu.stop();
});
afterEach(() => setSessionFaults(emu.world, {}));

/** smux frame: version, cmd, length (LE), stream id (LE), data */
function frame(cmd: number, sid: number, data = Buffer.alloc(0), version = 1): Buffer {
  const b = Buffer.alloc(8 + data.length);
  b[0] = version;
  b[1] = cmd;
  b.writeUInt16LE(data.length, 2);
  b.writeUInt32LE(sid, 4);
  data.copy(b, 8);
  return b;
}

function frames(bytes: Buffer): { cmd: number; sid: number; data: Buffer }[] {
  const out = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    const len = bytes.readUInt16LE(at + 2);
    out.push({ cmd: bytes[at + 1], sid: bytes.readUInt32LE(at + 4), data: bytes.subarray(at + 8, at + 8 + len) });
    at += 8 + len;
  }
  return out;
}

/** A port session's data channel, driven by hand: token, handshake with the given client version, then input. */
async function portChannel(clientVersion: string) {
  const started = await ssm.send(new StartSessionCommand({ Target: target, DocumentName: 'AWS-StartPortForwardingSession', Parameters: { portNumber: ['80'] } }));
  const ws = new WebSocket(started.StreamUrl!);
  await new Promise<void>((r, j) => ws.once('open', () => r()).once('error', j));
  const outputs: AgentMessage[] = [];
  const seen = new Set<number>();
  let closed: string | undefined;
  let onChange = () => undefined as void;
  let inSeq = 0;
  const input = (payloadType: number, payload: Buffer) => ws.send(buildMessage('input_stream_data', inSeq++, 0, payloadType, payload));
  ws.on('message', (data: Buffer) => {
    const m = parseMessage(data);
    if (!m) return;
    if (m.type === 'channel_closed') closed = JSON.parse(m.payload.toString()).Output ?? '';
    if (m.type === 'output_stream_data') {
      const ack = { AcknowledgedMessageType: m.type, AcknowledgedMessageId: m.id, AcknowledgedMessageSequenceNumber: m.seq, IsSequentialMessage: true };
      ws.send(buildMessage('acknowledge', 0, 3, 0, Buffer.from(JSON.stringify(ack))));
      if (seen.has(m.seq)) return;
      seen.add(m.seq);
      outputs.push(m);
      if (m.payloadType === 5) {
        const res = { ClientVersion: clientVersion, ProcessedClientActions: [{ ActionType: 'SessionType', ActionStatus: 1 }], Errors: [] };
        input(6, Buffer.from(JSON.stringify(res)));
      }
    }
    onChange();
  });
  ws.send(JSON.stringify({ MessageSchemaVersion: '1.0', RequestId: 'r', TokenValue: started.TokenValue, ClientId: 'c', ClientVersion: clientVersion }));
  const until = (cond: () => boolean) =>
    new Promise<void>((resolve) => {
      if (cond()) return resolve();
      onChange = () => {
        if (cond()) resolve();
      };
    });
  await until(() => outputs.some((m) => m.payloadType === 7));
  const data = () => Buffer.concat(outputs.filter((m) => m.payloadType === 1).map((m) => m.payload));
  return { sessionId: started.SessionId!, ws, outputs, input, data, until, closed: () => closed };
}

test('a client at 1.1.70 gets the multiplexed session: a SYN opens a stream to the port, PSH carries its bytes, FIN ends it', { timeout: 30_000 }, async () => {
  const c = await portChannel('1.1.70');
  const agent = sessionsOf(emu.world).find((s) => s.sessionId === c.sessionId)!.agent;
  assert.ok(agent.mux);
  // two streams in one message, the second request split across two messages
  const req3 = Buffer.from('GET /three HTTP/1.0\r\n\r\n');
  const req5 = Buffer.from('GET /five HTTP/1.0\r\n\r\n');
  const both = Buffer.concat([frame(0, 3), frame(2, 3, req3), frame(0, 5), frame(2, 5, req5)]);
  c.input(1, both.subarray(0, 40));
  c.input(1, both.subarray(40));
  const done = () => {
    const f = frames(c.data());
    return f.some((x) => x.cmd === 1 && x.sid === 3) && f.some((x) => x.cmd === 1 && x.sid === 5);
  };
  await c.until(done);
  const f = frames(c.data());
  const body = (sid: number) => Buffer.concat(f.filter((x) => x.cmd === 2 && x.sid === sid).map((x) => x.data)).toString();
  assert.match(body(3), /^HTTP\/1\.1 200[\s\S]*"path":"\/three"/);
  assert.match(body(5), /^HTTP\/1\.1 200[\s\S]*"path":"\/five"/);
  assert.ok(
    c.outputs.filter((m) => m.payloadType === 1).every((m) => m.payload.length <= 1024),
    'output messages are reads of at most 1,024 bytes',
  );
  assert.equal(agent.mux.stats.streamsAccepted, 2);
  assert.equal(agent.mux.openStreams, 0, 'the port closed both connections (HTTP/1.0): FIN for each');
  c.ws.close();
});

test('a FIN from the client closes the connection to the port and comes back; frames for a closed stream are dropped', { timeout: 30_000 }, async () => {
  const c = await portChannel('1.1.70');
  const mux = sessionsOf(emu.world).find((s) => s.sessionId === c.sessionId)!.agent.mux!;
  c.input(1, Buffer.concat([frame(0, 3), frame(2, 3, Buffer.from('GET /x HTTP/1.1\r\nHost: a\r\n\r\n'))]));
  await c.until(() => frames(c.data()).some((x) => x.cmd === 2 && x.sid === 3));
  assert.equal(mux.openStreams, 1, 'a keep-alive connection stays open');
  c.input(1, frame(1, 3));
  await c.until(() => frames(c.data()).some((x) => x.cmd === 1 && x.sid === 3));
  assert.equal(mux.openStreams, 0);
  c.input(1, frame(2, 3, Buffer.from('late')));
  c.input(1, frame(3, 0));
  await c.until(() => mux.stats.nops === 1);
  assert.equal(mux.stats.dropped, 1);
  c.ws.close();
});

test('a client at 1.1.69 gets the basic session: bytes go to the port as they are', { timeout: 30_000 }, async () => {
  const c = await portChannel('1.1.69');
  assert.equal(sessionsOf(emu.world).find((s) => s.sessionId === c.sessionId)!.agent.mux, undefined);
  c.input(1, Buffer.from('GET /basic HTTP/1.0\r\n\r\n'));
  await c.until(() => /"path":"\/basic"/.test(c.data().toString()));
  assert.match(c.data().toString(), /^HTTP\/1\.1 200/);
  c.ws.close();
});

test('an agent at 3.0.196.0 runs the basic session even for a 1.1.70 client', { timeout: 30_000 }, async () => {
  setSessionFaults(emu.world, { agentVersion: '3.0.196.0' });
  const c = await portChannel('1.1.70');
  assert.equal(sessionsOf(emu.world).find((s) => s.sessionId === c.sessionId)!.agent.mux, undefined);
  assert.equal(JSON.parse(c.outputs.find((m) => m.payloadType === 5)!.payload.toString()).AgentVersion, '3.0.196.0');
  c.ws.close();
});

test('a frame of another smux version ends the session: channel_closed, and the session is History', { timeout: 30_000 }, async () => {
  const c = await portChannel('1.1.70');
  c.input(1, frame(0, 3, Buffer.alloc(0), 2));
  await c.until(() => c.closed() !== undefined);
  assert.match(c.closed()!, /Port forwarding stopped/);
  const history = await ssm.send(new DescribeSessionsCommand({ State: 'History', Filters: [{ key: 'SessionId', value: c.sessionId }] }));
  assert.equal(history.Sessions?.[0]?.Status, 'Terminated');
});
