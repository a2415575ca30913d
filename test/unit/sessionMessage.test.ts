/**
 * The Session Manager message codec and the data channel's stream logic, against byte sequences derived from the
 * layout aws/session-manager-plugin defines (src/message/clientmessage.go, messageparser.go) and the values its
 * messageparser_test.go uses (restated here: message id dd01e56b-ff48-483e-a508-b5f073f31b16, created date
 * 1503434274948, payload "payload", the integer and long encodings, Validate's checks in order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeMessage,
  encodeAcknowledge,
  encodeMessage,
  HEADER_LENGTH,
  MessageType,
  PayloadType,
  uuidFromBytes,
  uuidToBytes,
  validateMessage,
  type ClientMessage,
} from '../../src/aws/sessionManager/message';
import { DataChannel, type ChannelSocket } from '../../src/aws/sessionManager/dataChannel';

const ID = 'dd01e56b-ff48-483e-a508-b5f073f31b16';
const CREATED = 1503434274948;

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

test('an input_stream_data message is laid out byte for byte as the plugin writes it', () => {
  const b = encodeMessage({ messageType: MessageType.input, schemaVersion: 1, createdDate: CREATED, sequenceNumber: 1, flags: 2, messageId: ID, payloadType: PayloadType.output, payload: Buffer.from('payload') });
  const expected = Buffer.concat([
    hex('00000074'), // header length 116
    Buffer.from('input_stream_data'.padEnd(32, ' ')), // type, space padded
    hex('00000001'), // schema version
    hex('0000015e0baa7884'), // created date 1503434274948
    hex('0000000000000001'), // sequence number
    hex('0000000000000002'), // flags
    hex('a508b5f073f31b16 dd01e56bff48483e'), // message id: low 8 bytes, then high 8 bytes
    hex('239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5'), // sha256("payload")
    hex('00000001'), // payload type Output
    hex('00000007'), // payload length
    Buffer.from('payload'),
  ]);
  assert.equal(b.toString('hex'), expected.toString('hex'));
  assert.equal(HEADER_LENGTH, 116);
});

test('decoding gives back every field of messageparser_test.go TestSerializeAndDeserializeClientMessage', () => {
  const b = encodeMessage({ messageType: MessageType.input, schemaVersion: 1, createdDate: CREATED, sequenceNumber: 1, flags: 2, messageId: ID, payloadType: 0, payload: Buffer.from('payload') });
  const m = decodeMessage(b);
  assert.equal(m.messageType, 'input_stream_data');
  assert.equal(m.schemaVersion, 1);
  assert.equal(m.createdDate, CREATED);
  assert.equal(m.sequenceNumber, 1);
  assert.equal(m.flags, 2);
  assert.equal(m.messageId, ID);
  assert.equal(m.payload.toString(), 'payload');
  assert.equal(m.payloadDigest?.toString('hex'), '239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5');
  assert.equal(validateMessage(m), undefined);
});

test('integers and longs are big-endian as the parser tests pin them', () => {
  // putLong 5747283 → 00 00 00 00 00 57 b2 53 (TestLongToBytes / TestPutLong), as a sequence number here
  const seq = encodeMessage({ messageType: 'x', schemaVersion: 324, createdDate: 1, sequenceNumber: 5747283, flags: 4294967296, messageId: ID, payloadType: 520392, payload: Buffer.alloc(0) });
  assert.equal(seq.subarray(48, 56).toString('hex'), '000000000057b253');
  // putInteger 324 → 00 00 01 44; 520392 → 00 07 f0 c8 (TestPutInteger)
  assert.equal(seq.subarray(36, 40).toString('hex'), '00000144');
  assert.equal(seq.subarray(112, 116).toString('hex'), '0007f0c8');
  // putLong 2^32 → 00 00 00 01 00 00 00 00 (TestPutGetLong)
  assert.equal(seq.subarray(56, 64).toString('hex'), '0000000100000000');
  // getLong of 00 00 00 00 00 5a 05 66 = 5899622 (TestGetLong)
  const b = Buffer.from(seq);
  hex('00000000005a0566').copy(b, 48);
  assert.equal(decodeMessage(b).sequenceNumber, 5899622);
});

test('a message type is read trimmed of NULs and spaces (getString)', () => {
  const b = encodeMessage({ messageType: 'acknowledge', schemaVersion: 1, createdDate: 1, sequenceNumber: 0, flags: 3, messageId: ID, payloadType: 0, payload: Buffer.alloc(0) });
  b.fill(0, 4 + 'acknowledge'.length, 36); // NUL padded instead of spaces
  assert.equal(decodeMessage(b).messageType, 'acknowledge');
});

test('UUIDs: low half first, and back; the nil UUID is refused (TestPutUuid)', () => {
  assert.equal(uuidToBytes(ID).toString('hex'), 'a508b5f073f31b16dd01e56bff48483e');
  assert.equal(uuidFromBytes(uuidToBytes(ID)), ID);
  assert.throws(() => uuidToBytes('00000000-0000-0000-0000-000000000000'), /nil/);
});

test('validateMessage: the checks of TestClientMessage_Validate, in order; start_publication passes as is', () => {
  const m: ClientMessage = { messageType: '', schemaVersion: 1, createdDate: 0, sequenceNumber: 1, flags: 2, messageId: ID, payloadType: 0, payload: Buffer.from('payload'), payloadLength: 3, headerLength: 0 };
  assert.equal(validateMessage(m), 'HeaderLength cannot be zero');
  m.headerLength = 1;
  assert.equal(validateMessage(m), 'MessageType is missing');
  m.messageType = MessageType.input;
  assert.equal(validateMessage(m), 'CreatedDate is missing');
  m.createdDate = CREATED;
  assert.equal(validateMessage(m), 'payload Hash is not valid');
  m.payloadDigest = hex('239f59ed55e737c77147cf55ad0c1b030b6d7ee748a7426952f9b852d5a935e5');
  assert.equal(validateMessage(m), undefined);
  assert.equal(validateMessage({ ...m, messageType: MessageType.startPublication, headerLength: 0, createdDate: 0 }), undefined);
});

test('an acknowledgement names the acknowledged type, id and sequence number (TestSerializeAndDeserializeClientMessageWithAcknowledgeContent)', () => {
  const m = decodeMessage(encodeAcknowledge({ messageType: MessageType.input, messageId: ID, sequenceNumber: 2 }));
  assert.equal(m.messageType, 'acknowledge');
  assert.equal(m.flags, 3);
  assert.deepEqual(JSON.parse(m.payload.toString()), { AcknowledgedMessageType: 'input_stream_data', AcknowledgedMessageId: ID, AcknowledgedMessageSequenceNumber: 2, IsSequentialMessage: true });
});

test('a message shorter than its header is refused', () => {
  assert.throws(() => decodeMessage(Buffer.alloc(100)), /shorter than the 120-byte header/);
});

// ---------------------------------------------------------------------------------------------------------------
// the stream, over a fake socket

class FakeSocket implements ChannelSocket {
  sent: (Buffer | string)[] = [];
  private handlers: Record<string, ((...a: unknown[]) => void)[]> = {};
  send(data: Buffer | string): void {
    this.sent.push(data);
  }
  close(): void {
    this.emit('close');
  }
  on(event: string, listener: (...a: never[]) => void): unknown {
    (this.handlers[event] ??= []).push(listener as (...a: unknown[]) => void);
    return this;
  }
  emit(event: string, ...a: unknown[]): void {
    for (const h of this.handlers[event] ?? []) h(...a);
  }
  binary(): ClientMessage[] {
    return this.sent.filter((s): s is Buffer => Buffer.isBuffer(s)).map(decodeMessage);
  }
}

function agentMsg(seq: number, payloadType: number, payload: string | object, type: string = MessageType.output): Buffer {
  return encodeMessage({ messageType: type, schemaVersion: 1, createdDate: Date.now(), sequenceNumber: seq, flags: 0, messageId: crypto.randomUUID(), payloadType, payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)) });
}

async function openChannel(extra: Partial<ConstructorParameters<typeof DataChannel>[0]> = {}) {
  const sock = new FakeSocket();
  let clock = 1_000_000;
  const out: string[] = [];
  const ch = new DataChannel({ sessionId: 's-1', sessionType: 'Standard_Stream', streamUrl: 'ws://x', tokenValue: 'secret-token', connect: async () => sock, now: () => clock, resendIntervalMs: 3_600_000, onOutput: (d) => out.push(d.toString()), ...extra });
  const opened = ch.open();
  await new Promise((r) => setImmediate(r));
  ch.onFrame(agentMsg(0, PayloadType.handshakeRequest, { AgentVersion: '3.3.0.0', RequestedClientActions: [{ ActionType: 'SessionType', ActionParameters: { SessionType: 'Standard_Stream' } }, { ActionType: 'KMSEncryption', ActionParameters: { KMSKeyId: 'k' } }] }));
  ch.onFrame(agentMsg(1, PayloadType.handshakeComplete, { HandshakeTimeToComplete: 1, CustomerMessage: '' }));
  await opened;
  return { ch, sock, out, tick: (ms: number) => (clock += ms) };
}

test('open: the first frame is text with the token; the handshake accepts the session type and refuses KMS as unsupported', async () => {
  const { sock } = await openChannel();
  const first = JSON.parse(sock.sent[0] as string) as Record<string, string>;
  assert.equal(first.TokenValue, 'secret-token');
  assert.equal(first.MessageSchemaVersion, '1.0');
  const response = sock.binary().find((m) => m.payloadType === PayloadType.handshakeResponse)!;
  const body = JSON.parse(response.payload.toString()) as { ProcessedClientActions: { ActionType: string; ActionStatus: number }[] };
  assert.deepEqual(body.ProcessedClientActions.map((a) => [a.ActionType, a.ActionStatus]), [['SessionType', 1], ['KMSEncryption', 3]]);
  // both handshake messages acknowledged
  assert.deepEqual(sock.binary().filter((m) => m.messageType === 'acknowledge').map((m) => JSON.parse(m.payload.toString()).AcknowledgedMessageSequenceNumber), [0, 1]);
});

test('output arriving out of order is delivered in order; a duplicate is acknowledged again and not delivered twice', async () => {
  const { ch, sock, out } = await openChannel();
  ch.onFrame(agentMsg(3, PayloadType.output, 'c'));
  ch.onFrame(agentMsg(2, PayloadType.output, 'b'));
  assert.deepEqual(out, ['b', 'c']);
  ch.onFrame(agentMsg(2, PayloadType.output, 'b'));
  assert.deepEqual(out, ['b', 'c']);
  const acked = sock.binary().filter((m) => m.messageType === 'acknowledge').map((m) => JSON.parse(m.payload.toString()).AcknowledgedMessageSequenceNumber);
  assert.deepEqual(acked.slice(2), [3, 2, 2]);
  assert.equal(ch.stats.duplicates, 1);
});

test('a message with a wrong payload digest is ignored (not acknowledged, not delivered)', async () => {
  const { ch, sock, out } = await openChannel();
  const bad = agentMsg(2, PayloadType.output, 'x');
  bad[bad.length - 1] ^= 1;
  const before = sock.sent.length;
  ch.onFrame(bad);
  assert.equal(sock.sent.length, before);
  assert.deepEqual(out, []);
});

test('unacknowledged input is resent after the retransmission timeout; an acknowledgement stops it', async () => {
  const { ch, sock, tick } = await openChannel();
  ch.sendInput(Buffer.from('ls\r'));
  const input = sock.binary().filter((m) => m.messageType === 'input_stream_data' && m.payloadType === PayloadType.output);
  assert.equal(input.length, 1);
  const seq = input[0].sequenceNumber;
  ch.resendDue(); // not yet due
  assert.equal(sock.binary().filter((m) => m.sequenceNumber === seq && m.messageType === 'input_stream_data').length, 1);
  tick(ch.retransmissionTimeoutMs + 1);
  ch.resendDue();
  const copies = sock.binary().filter((m) => m.messageType === 'input_stream_data' && m.sequenceNumber === seq);
  assert.equal(copies.length, 2);
  assert.equal(copies[1].messageId, copies[0].messageId, 'a resend is the same message');
  ch.onFrame(encodeAcknowledge({ messageType: MessageType.input, messageId: copies[0].messageId, sequenceNumber: seq }));
  assert.equal(ch.unacknowledged, 1, 'only the handshake response is still unacknowledged');
  tick(5000);
  ch.resendDue();
  assert.equal(sock.binary().filter((m) => m.messageType === 'input_stream_data' && m.sequenceNumber === seq).length, 2);
});

test('a round trip shortens the retransmission timeout (RTT estimate, at least 10 ms of variation)', async () => {
  const { ch, sock, tick } = await openChannel();
  ch.sendInput(Buffer.from('a'));
  const m = sock.binary().at(-1)!;
  tick(20);
  ch.onFrame(encodeAcknowledge({ messageType: MessageType.input, messageId: m.messageId, sequenceNumber: m.sequenceNumber }));
  // RTT = 7/8·100 + 1/8·20 = 90; RTTVAR = 1/4·|90-20| = 17.5; RTO = 90 + 70 = 160
  assert.equal(ch.retransmissionTimeoutMs, 160);
});

test('a resize sends PayloadType 3 with {"cols","rows"}', async () => {
  const { ch, sock } = await openChannel();
  ch.sendSize(120, 40);
  const m = sock.binary().at(-1)!;
  assert.equal(m.messageType, 'input_stream_data');
  assert.equal(m.payloadType, 3);
  assert.deepEqual(JSON.parse(m.payload.toString()), { cols: 120, rows: 40 });
});

test('channel_closed ends the channel as ended by the node, with its output', async () => {
  let reason: { byNode: boolean; message: string } | undefined;
  const { ch } = await openChannel({ onClosed: (r) => (reason = r) });
  ch.onFrame(agentMsg(0, 0, { MessageType: 'channel_closed', SessionId: 's-1', Output: 'bye' }, MessageType.channelClosed));
  assert.deepEqual(reason, { byNode: true, message: 'bye' });
  assert.equal(ch.isClosed, true);
});

test('a dropped socket without resume ends the channel; with resume the unacknowledged input is sent again on the new socket', async () => {
  const first = new FakeSocket();
  const second = new FakeSocket();
  let calls = 0;
  const { ch } = await openChannel({
    resume: async () => ({ streamUrl: 'ws://y', tokenValue: 'token-2' }),
    connect: async () => (calls++ === 0 ? first : second),
  });
  ch.sendInput(Buffer.from('x'));
  first.emit('close');
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(JSON.parse(second.sent[0] as string).TokenValue, 'token-2');
  assert.ok(second.binary().some((m) => m.messageType === 'input_stream_data' && m.payload.toString() === 'x'));
  assert.equal(ch.stats.resumes, 1);
});
