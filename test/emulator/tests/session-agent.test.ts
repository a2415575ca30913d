/**
 * The emulator's side of a Session Manager data channel (session-agent.ts), driven over a fake WebSocket with the
 * extension's own codec as the client: the agent's resend scheduler (only the oldest unacknowledged message, after
 * its retransmission timeout; amazon-ssm-agent datachannel.go ResendStreamDataMessageScheduler), its round-trip
 * estimate (calculateRetransmissionTimeout), the shell output path (LF → CRLF, ≤ 1,024-byte messages) and the
 * acknowledgement leaving before the output a command produces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { Duplex } from 'node:stream';
import { AgentChannel, buildMessage, parseMessage, type AgentHost } from '../session-agent';
import { decodeMessage, encodeAcknowledge, encodeInput, encodeMessage, MessageType, PayloadType, validateMessage, type ClientMessage } from '../../../src/aws/sessionManager/message';

class FakeWs extends EventEmitter {
  sent: Buffer[] = [];
  /** what had left the (corked) socket when each frame was sent */
  log: string[] = [];
  send(b: Buffer): void {
    this.sent.push(b);
  }
  terminate(): void {
    this.emit('close');
  }
  close(): void {
    this.emit('close');
  }
  frames(): ClientMessage[] {
    return this.sent.map(decodeMessage);
  }
}

function agentFor(runLine: (line: string) => string = () => ''): { agent: AgentChannel; ws: FakeWs; ended: string[] } {
  const ended: string[] = [];
  const host: AgentHost = { sessionType: 'Standard_Stream', agentVersion: '3.3.0.0', runLine, faults: () => ({}), onEnded: (r) => ended.push(r), onActivity: () => undefined };
  const agent = new AgentChannel(host);
  const ws = new FakeWs();
  agent.attach(ws as unknown as WebSocket);
  return { agent, ws, ended };
}

const ack = (m: ClientMessage) => encodeAcknowledge(m);
const stream = (ws: FakeWs) => ws.frames().filter((m) => m.messageType === MessageType.output);

/** handshake answered, so the shell prints its prompt */
function handshake(agent: AgentChannel, ws: FakeWs): void {
  const request = stream(ws)[0];
  ws.emit('message', ack(request), true);
  const response = { ClientVersion: '1.1.69', ProcessedClientActions: [{ ActionType: 'SessionType', ActionStatus: 1 }], Errors: [] };
  ws.emit('message', encodeInput(0, PayloadType.handshakeResponse, Buffer.from(JSON.stringify(response))), true);
  for (const m of stream(ws).slice(1)) ws.emit('message', ack(m), true);
  assert.equal(agent.unacknowledged, 0);
}

test('the agent resends only its oldest unacknowledged message, once its retransmission timeout has passed', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
  const { agent, ws } = agentFor((line) => (line === 'many' ? 'x'.repeat(5000) : ''));
  handshake(agent, ws);
  const start = ws.sent.length;
  ws.emit('message', encodeInput(1, PayloadType.output, Buffer.from('many\r')), true);
  const sent = ws.frames().slice(start).filter((m) => m.messageType === MessageType.output);
  const before = ws.sent.length;
  assert.ok(agent.unacknowledged >= 6, 'the echo, the line end and five or more output messages wait for acknowledgements');
  t.mock.timers.tick(Math.ceil(agent.retransmissionTimeoutMs) + 100);
  const resent = ws.frames().slice(before);
  assert.equal(resent.length, 1, 'one message per scheduler tick, not every overdue one');
  assert.equal(resent[0].sequenceNumber, sent[0].sequenceNumber, 'the front of the outgoing buffer');
  assert.equal(resent[0].messageId, sent[0].messageId, 'the same message again');
  // acknowledged, the next one becomes the front
  for (const m of sent.slice(0, 2)) ws.emit('message', ack(m), true);
  t.mock.timers.tick(1100);
  const next = ws.frames().slice(before + 1);
  assert.ok(next.length >= 1 && next.every((m) => m.sequenceNumber === sent[2].sequenceNumber));
  agent.stop();
});

test('the agent estimates its retransmission timeout from round trips (RTTVAR from the previous RTT, then RTT)', async (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
  const { agent, ws } = agentFor();
  assert.equal(agent.retransmissionTimeoutMs, 200, 'DefaultTransmissionTimeout');
  const request = stream(ws)[0];
  t.mock.timers.tick(20);
  ws.emit('message', ack(request), true);
  // RTTVAR = 3/4·0 + 1/4·|100 − 20| = 20; RTT = 7/8·100 + 1/8·20 = 90; RTO = 90 + max(10, 80) = 170
  assert.equal(agent.retransmissionTimeoutMs, 170);
  agent.stop();
});

test('shell output: LF becomes CRLF (a CR already there stays single), in full 1,024-byte messages, then the prompt', () => {
  // ASCII output is written from the string directly, other text through its UTF-8 bytes: both cut the same way
  for (const text of [`${'a'.repeat(1500)}\n${'b'.repeat(700)}\r\n\n\r${'c'.repeat(2100)}\nend`, `${'a'.repeat(1500)}\n${'b'.repeat(700)}\r\n\n${'é'.repeat(600)}\nend`]) {
    const { agent, ws } = agentFor((line) => (line === 'show' ? text : ''));
    handshake(agent, ws);
    const before = stream(ws).length;
    ws.emit('message', encodeInput(1, PayloadType.output, Buffer.from('show\r')), true);
    const out = stream(ws).slice(before).map((m) => m.payload);
    // the echo of the four letters, then CRLF for Enter and the output
    const output = out.slice(4);
    assert.deepEqual(Buffer.concat(output).toString('utf8'), `\r\n${text.replace(/\r?\n/g, '\r\n')}$ `);
    const body = output.slice(1);
    assert.ok(body.slice(0, -1).every((p) => p.length === 1024), 'every message but the last is full');
    assert.ok(body.at(-1)!.length <= 1024);
    agent.stop();
  }
});

test('the acknowledgement of a command leaves before the output it produces, even with the socket corked', () => {
  const { agent, ws } = agentFor((line) => (line === 'big' ? 'y'.repeat(10_000) : ''));
  handshake(agent, ws);
  // a socket that records whether each frame would have left (not corked) when it was sent
  let corks = 0;
  const flushed: number[] = [];
  const socket = { cork: () => corks++, uncork: () => (corks--, flushed.push(ws.sent.length)) } as unknown as Duplex;
  agent.attach(ws as unknown as WebSocket, socket);
  const start = ws.sent.length;
  ws.emit('message', encodeInput(1, PayloadType.output, Buffer.from('b')), true);
  ws.emit('message', encodeInput(2, PayloadType.output, Buffer.from('ig\r')), true);
  const frames = ws.frames().slice(start);
  const ackAt = frames.findIndex((m) => m.messageType === MessageType.acknowledge && JSON.parse(m.payload.toString()).AcknowledgedMessageSequenceNumber === 2);
  assert.ok(ackAt >= 0);
  assert.ok(flushed.includes(start + ackAt + 1), 'the socket was uncorked right after the acknowledgement');
  assert.ok(frames.length > ackAt + 10, 'the output came after it');
  agent.stop();
});

test("the agent's messages are what the extension's codec reads, and the other way round", () => {
  const m = decodeMessage(buildMessage('output_stream_data', 7, 0, 1, Buffer.from('hello')));
  assert.equal(validateMessage(m), undefined);
  assert.equal(m.messageType, MessageType.output);
  assert.equal(m.sequenceNumber, 7);
  assert.match(m.messageId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a version 4 UUID');
  assert.ok(Math.abs(m.createdDate - Date.now()) < 5000);
  const id = 'dd01e56b-ff48-483e-a508-b5f073f31b16';
  const back = parseMessage(encodeMessage({ messageType: MessageType.input, schemaVersion: 1, createdDate: 1, sequenceNumber: 3, flags: 0, messageId: id, payloadType: 1, payload: Buffer.from('ls') }))!;
  assert.deepEqual({ type: back.type, seq: back.seq, id: back.id, digestOk: back.digestOk, payload: back.payload.toString() }, { type: 'input_stream_data', seq: 3, id, digestOk: true, payload: 'ls' });
  const bad = buildMessage('output_stream_data', 1, 0, 1, Buffer.from('x'));
  bad[bad.length - 1] ^= 1;
  assert.equal(parseMessage(bad)!.digestOk, false);
});
