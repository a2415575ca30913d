/**
 * The smux client (src/aws/sessionManager/smux.ts) against byte sequences derived from xtaci/smux's frame layout
 * (frame.go: version 1 byte, cmd 1 byte, length 2 bytes little-endian, stream id 4 bytes little-endian; SYN 0, FIN
 * 1, PSH 2, NOP 3, UPD 4), its session rules (session.go: client stream ids 3, 5, 7…; version or cmd errors end the
 * session), the default MaxFrameSize (32,768), and the agent-version rules the plugin applies (config.go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFrame, FrameReader, SmuxClient, SmuxCmd, type StreamEnd } from '../../src/aws/sessionManager/smux';
import { agentNeedsSmuxKeepAlive, agentSupportsMux, answerHandshake, CLIENT_VERSION, versionAfter } from '../../src/aws/sessionManager/handshake';

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

function client() {
  const out: Buffer[] = [];
  const errors: string[] = [];
  const c = new SmuxClient({ write: (b) => out.push(b), onProtocolError: (m) => errors.push(m) });
  return { c, out, errors, wire: () => Buffer.concat(out).toString('hex') };
}

test('frames are laid out as smux writes them: version, cmd, length LE, stream id LE, data', () => {
  assert.deepEqual(encodeFrame(SmuxCmd.syn, 3), hex('01 00 0000 03000000'));
  assert.deepEqual(encodeFrame(SmuxCmd.psh, 3, Buffer.from('hello')), hex('01 02 0500 03000000 68656c6c6f'));
  assert.deepEqual(encodeFrame(SmuxCmd.fin, 0x01020304), hex('01 01 0000 04030201'));
  assert.deepEqual(encodeFrame(SmuxCmd.nop, 0), hex('01 03 0000 00000000'));
  assert.deepEqual(encodeFrame(SmuxCmd.psh, 7, Buffer.alloc(0x1234)).subarray(0, 8), hex('01 02 3412 07000000'));
  assert.throws(() => encodeFrame(SmuxCmd.psh, 3, Buffer.alloc(65536)), /at most 65535/);
});

test('the client opens streams 3, 5, 7 with a SYN each, and writes PSH frames for its stream', () => {
  const { c, wire } = client();
  const a = c.openStream();
  const b = c.openStream();
  const d = c.openStream();
  assert.deepEqual([a.id, b.id, d.id], [3, 5, 7]);
  b.write(Buffer.from('hi'));
  assert.equal(wire(), '0100000003000000' + '0100000005000000' + '0100000007000000' + '0102020005000000' + '6869');
});

test('a write larger than MaxFrameSize is split in frames of 32,768 bytes', () => {
  const { c, out } = client();
  const s = c.openStream();
  out.length = 0;
  s.write(Buffer.alloc(70_000, 0x61));
  assert.deepEqual(
    out.map((f) => [f[1], f.readUInt16LE(2), f.readUInt32LE(4), f.length - 8]),
    [
      [SmuxCmd.psh, 32768, 3, 32768],
      [SmuxCmd.psh, 32768, 3, 32768],
      [SmuxCmd.psh, 4464, 3, 4464],
    ],
  );
});

test('the reader joins frames split across chunks and splits chunks holding several frames', () => {
  const bytes = Buffer.concat([hex('01 02 0300 03000000 616263'), hex('01 03 0000 00000000'), hex('01 02 0100 05000000 7a'), hex('01 01 0000 03000000')]);
  const r = new FrameReader();
  const frames = [];
  for (const byte of bytes) frames.push(...r.push(Buffer.from([byte]))); // one byte at a time
  assert.deepEqual(
    frames.map((f) => [f.cmd, f.streamId, f.data.toString()]),
    [
      [SmuxCmd.psh, 3, 'abc'],
      [SmuxCmd.nop, 0, ''],
      [SmuxCmd.psh, 5, 'z'],
      [SmuxCmd.fin, 3, ''],
    ],
  );
  assert.equal(r.buffered, 0);
  const whole = new FrameReader().push(bytes);
  assert.equal(whole.length, 4);
  const part = new FrameReader();
  assert.equal(part.push(bytes.subarray(0, 10)).length, 0);
  assert.equal(part.buffered, 10);
});

test("data from the node reaches its stream only; a FIN ends that stream ('remote') and later data for it is dropped", () => {
  const { c, out } = client();
  const got: Record<number, string> = {};
  const ends: Record<number, StreamEnd> = {};
  const s3 = c.openStream({ onData: (d) => (got[3] = (got[3] ?? '') + d.toString()), onClose: (w) => (ends[3] = w) });
  const s5 = c.openStream({ onData: (d) => (got[5] = (got[5] ?? '') + d.toString()), onClose: (w) => (ends[5] = w) });
  c.feed(Buffer.concat([hex('01 02 0200 05000000 6f6b'), hex('01 02 0300 03000000 313233'), hex('01 02 0100 09000000 78')]));
  assert.deepEqual(got, { 3: '123', 5: 'ok' });
  assert.equal(c.stats.dropped, 1, 'data for stream 9, never opened, is dropped');
  c.feed(hex('01 01 0000 03000000'));
  assert.equal(ends[3], 'remote');
  assert.equal(s3.isClosed, true);
  assert.equal(c.open, 1);
  c.feed(hex('01 02 0100 03000000 21'));
  assert.equal(got[3], '123');
  out.length = 0;
  s3.write(Buffer.from('late'));
  s3.close();
  assert.equal(out.length, 0, 'nothing is sent for a stream the node closed');
  s5.close();
  assert.deepEqual(out, [hex('01 01 0000 05000000')]);
  assert.equal(ends[5], 'local');
  s5.close();
  assert.equal(out.length, 1, 'FIN goes once');
});

test('NOP and UPD are ignored; a SYN from the node opens nothing', () => {
  const { c, errors } = client();
  const s = c.openStream({ onData: () => assert.fail('no data expected') });
  c.feed(Buffer.concat([hex('01 03 0000 00000000'), hex('01 04 0800 03000000 0000000000000000'), hex('01 00 0000 02000000')]));
  assert.deepEqual(errors, []);
  assert.equal(c.open, 1);
  assert.equal(s.isClosed, false);
});

test('a frame of another version or an unknown command ends the session and every stream', () => {
  for (const bad of [hex('02 02 0100 03000000 41'), hex('01 07 0000 03000000')]) {
    const { c, errors, out } = client();
    const ends: StreamEnd[] = [];
    c.openStream({ onClose: (w) => ends.push(w) });
    c.openStream({ onClose: (w) => ends.push(w) });
    out.length = 0;
    c.feed(Buffer.concat([bad, hex('01 02 0100 03000000 41')]));
    assert.equal(errors.length, 1);
    assert.match(errors[0], /smux protocol error/);
    assert.deepEqual(ends, ['session', 'session']);
    assert.equal(c.isClosed, true);
    assert.equal(out.length, 0, 'no frames after the session ended');
    assert.throws(() => c.openStream(), /session has ended/);
  }
});

test('closing the session ends every stream without sending frames', () => {
  const { c, out } = client();
  const ends: StreamEnd[] = [];
  c.openStream({ onClose: (w) => ends.push(w) });
  c.openStream({ onClose: (w) => ends.push(w) });
  out.length = 0;
  c.close();
  c.keepAlive();
  assert.deepEqual(ends, ['session', 'session']);
  assert.equal(out.length, 0);
});

test('keepalive is a NOP on stream 0', () => {
  const { c, out } = client();
  c.keepAlive();
  assert.deepEqual(out, [hex('01 03 0000 00000000')]);
});

test('the client announces 1.1.70, the first version the agent multiplexes port forwarding for', () => {
  assert.equal(CLIENT_VERSION, '1.1.70');
  const res = answerHandshake({ AgentVersion: '3.3.1142.0', RequestedClientActions: [{ ActionType: 'SessionType', ActionParameters: { SessionType: 'Port' } }] }, 'Port');
  assert.equal(res.ClientVersion, '1.1.70');
});

test('agent versions: mux after 3.0.196.0, keepalive up to 3.1.1511.0, unreadable versions are not after anything', () => {
  assert.equal(agentSupportsMux('3.0.196.0'), false);
  assert.equal(agentSupportsMux('3.0.196.1'), true);
  assert.equal(agentSupportsMux('3.3.1142.0'), true);
  assert.equal(agentSupportsMux('2.3.722.0'), false);
  assert.equal(agentSupportsMux(undefined), false);
  assert.equal(agentSupportsMux('latest'), false);
  assert.equal(agentNeedsSmuxKeepAlive('3.1.1511.0'), true);
  assert.equal(agentNeedsSmuxKeepAlive('3.1.1575.0'), false);
  assert.equal(versionAfter('10.0', '9.9.9'), true);
  assert.equal(versionAfter('3.1', '3.1.0.0'), false);
});
