/**
 * The data channel's fast codec paths (message.ts): acknowledgements written from a per-type JSON prefix must be the
 * bytes JSON.stringify gives for the AcknowledgeContent; message ids drawn from a pool of random bytes must be
 * version 4 UUIDs; 64-bit fields written and read as two 32-bit halves must agree with BigInt; and the channel corks
 * its socket once per event-loop turn while still acknowledging every message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeAcknowledge, encodeInput, encodeMessage, MessageType, PayloadType, validateMessage } from '../../src/aws/sessionManager/message';
import { DataChannel, type ChannelSocket } from '../../src/aws/sessionManager/dataChannel';

const ID = 'dd01e56b-ff48-483e-a508-b5f073f31b16';
const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('an acknowledgement payload is exactly JSON.stringify of its AcknowledgeContent, on the fast path and off it', () => {
  const cases = [
    { messageType: MessageType.output, messageId: ID, sequenceNumber: 0 },
    { messageType: MessageType.input, messageId: ID.toUpperCase(), sequenceNumber: 123456789 },
    { messageType: 'odd "type"\u00e9', messageId: ID, sequenceNumber: 7 },
    { messageType: MessageType.output, messageId: 'not-a-uuid"', sequenceNumber: 7 },
    { messageType: MessageType.output, messageId: ID, sequenceNumber: -1 },
    { messageType: MessageType.output, messageId: ID, sequenceNumber: 2 ** 53 + 2 },
  ];
  for (const c of cases) {
    const m = decodeMessage(encodeAcknowledge(c, 1_700_000_000_000));
    const expected = JSON.stringify({ AcknowledgedMessageType: c.messageType, AcknowledgedMessageId: c.messageId, AcknowledgedMessageSequenceNumber: c.sequenceNumber, IsSequentialMessage: true });
    assert.equal(m.payload.toString('utf8'), expected);
    assert.equal(m.messageType, MessageType.acknowledge);
    assert.equal(m.flags, 3);
    assert.equal(m.createdDate, 1_700_000_000_000);
    assert.equal(validateMessage(m), undefined, 'its digest matches');
  }
});

test('message ids of input and acknowledgements are distinct version 4 UUIDs', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const a = decodeMessage(encodeInput(i, PayloadType.output, Buffer.from('x'))).messageId;
    const b = decodeMessage(encodeAcknowledge({ messageType: MessageType.output, messageId: ID, sequenceNumber: i })).messageId;
    assert.match(a, V4);
    assert.match(b, V4);
    ids.add(a).add(b);
  }
  assert.equal(ids.size, 1200);
});

test('64-bit fields: negative sequence numbers and values beyond 2^53 agree with BigInt both ways', () => {
  const b = encodeMessage({ messageType: MessageType.input, schemaVersion: 1, createdDate: 2 ** 53 + 2, sequenceNumber: -1, flags: 2 ** 40 + 5, messageId: ID, payloadType: 1, payload: Buffer.from('p') });
  assert.equal(b.subarray(48, 56).toString('hex'), 'ffffffffffffffff');
  assert.equal(b.readBigUInt64BE(40), 2n ** 53n + 2n);
  const m = decodeMessage(b);
  assert.equal(m.sequenceNumber, -1);
  assert.equal(m.createdDate, 2 ** 53 + 2);
  assert.equal(m.flags, 2 ** 40 + 5);
  b.writeBigInt64BE(-(2n ** 60n) - 3n, 48);
  b.writeBigUInt64BE(2n ** 64n - 1n, 56);
  const big = decodeMessage(b);
  assert.equal(big.sequenceNumber, Number(-(2n ** 60n) - 3n));
  assert.equal(big.flags, Number(2n ** 64n - 1n));
});

test('a type outside the known ones is still read, trimmed of spaces and NULs on both sides', () => {
  const b = encodeMessage({ messageType: 'x', schemaVersion: 1, createdDate: 1, sequenceNumber: 0, flags: 0, messageId: ID, payloadType: 0, payload: Buffer.alloc(0) });
  b.write('  agent_session_state\0\0', 4, 'utf8');
  assert.equal(decodeMessage(b).messageType, 'agent_session_state');
});

test('a payload digest of the wrong length is not valid', () => {
  const m = decodeMessage(encodeInput(0, PayloadType.output, Buffer.from('abc')));
  assert.equal(validateMessage({ ...m, payloadDigest: m.payloadDigest!.subarray(0, 31) }), 'payload Hash is not valid');
});

test('the channel corks its socket once per event-loop turn and still acknowledges every message', async () => {
  const sent: (Buffer | string)[] = [];
  let corks = 0;
  let uncorks = 0;
  const handlers: Record<string, ((...a: unknown[]) => void)[]> = {};
  const sock: ChannelSocket = {
    send: (d) => void sent.push(d),
    close: () => undefined,
    on: (event: string, l: (...a: never[]) => void) => (handlers[event] ??= []).push(l as (...a: unknown[]) => void),
    cork: () => void corks++,
    uncork: () => void uncorks++,
  };
  const ch = new DataChannel({ sessionId: 's', sessionType: 'Standard_Stream', streamUrl: 'ws://x', tokenValue: 't', connect: async () => sock, resendIntervalMs: 3_600_000 });
  const opened = ch.open();
  await new Promise((r) => setImmediate(r));
  const msg = (seq: number, payloadType: number, payload: object | string) =>
    encodeMessage({ messageType: MessageType.output, schemaVersion: 1, createdDate: Date.now(), sequenceNumber: seq, flags: 0, messageId: crypto.randomUUID(), payloadType, payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)) });
  ch.onFrame(msg(0, PayloadType.handshakeRequest, { AgentVersion: '3', RequestedClientActions: [{ ActionType: 'SessionType', ActionParameters: { SessionType: 'Standard_Stream' } }] }));
  ch.onFrame(msg(1, PayloadType.handshakeComplete, {}));
  await opened;
  await new Promise((r) => process.nextTick(r));
  corks = uncorks = 0;
  const before = sent.length;
  for (let seq = 2; seq < 52; seq++) ch.onFrame(msg(seq, PayloadType.output, `line ${seq}`));
  assert.equal(corks, 1, 'corked once for the 50 messages of this turn');
  assert.equal(uncorks, 0, 'not flushed in the middle of the turn');
  await new Promise((r) => process.nextTick(r));
  assert.equal(uncorks, 1, 'flushed when the turn ends');
  const acks = sent.slice(before).map((b) => decodeMessage(b as Buffer));
  assert.deepEqual(
    acks.map((a) => [a.messageType, JSON.parse(a.payload.toString()).AcknowledgedMessageSequenceNumber]),
    Array.from({ length: 50 }, (_, i) => ['acknowledge', i + 2]),
    'one acknowledgement per message, in order',
  );
  ch.close();
});
