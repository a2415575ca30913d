import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAge, liveTrafficSentence, roomDescription, roomsSummary, validateIdentity, type LiveRoom } from '../../src/openvidu/rooms';

const room = (name: string, participants: number, recording = false): LiveRoom => ({ sid: `RM_${name}`, name, participants, publishers: participants, recording, createdAt: 1000 });

test('ages read as a person would say them', () => {
  assert.equal(formatAge(45_000), '45 s');
  assert.equal(formatAge(12 * 60_000 + 5000), '12 min');
  assert.equal(formatAge(3 * 3_600_000 + 5 * 60_000), '3 h 5 min');
  assert.equal(formatAge(2 * 86_400_000 + 4 * 3_600_000), '2 d 4 h');
  assert.equal(formatAge(-1), '');
});

test('room rows and the Rooms summary', () => {
  assert.equal(roomDescription(room('a', 1), 61_000), '1 participant · 1 publishing · 1 min');
  assert.equal(roomsSummary([]), 'no live rooms');
  assert.equal(roomsSummary([room('a', 3, true), room('b', 1)]), '2 rooms · 4 participants · 1 recording');
});

test('the confirmation sentence names live rooms, says when none, or that it could not check', () => {
  assert.equal(liveTrafficSentence({ ok: true, rooms: [room('support', 2), room('standup', 4, true), room('empty', 0)] }), 'Live now: 2 rooms with 6 participants (standup 4, recording; support 2); they will be disconnected.');
  assert.equal(liveTrafficSentence({ ok: true, rooms: [room('empty', 0)] }), 'No rooms are live on the cluster now.');
  assert.equal(liveTrafficSentence({ ok: false, reason: 'List rooms: the connection to x was reset.' }), 'Could not check for live rooms (List rooms: the connection to x was reset), so participants may be connected.');
  const many = Array.from({ length: 7 }, (_, i) => room(`r${i}`, 7 - i));
  assert.match(liveTrafficSentence({ ok: true, rooms: many }), /\(r0 7; r1 6; r2 5; r3 4; r4 3, and 2 more\)/);
});

test('join-token identities are validated', () => {
  assert.equal(validateIdentity('tester-1'), undefined);
  assert.match(validateIdentity('') ?? '', /Enter an identity/);
  assert.match(validateIdentity('a b') ?? '', /letters, digits/);
  assert.match(validateIdentity('x'.repeat(129)) ?? '', /1–128/);
});

test('a time in the future (clock skew) shows no age rather than "joined  ago"', async () => {
  const { participantDescription } = await import('../../src/openvidu/rooms');
  assert.equal(participantDescription({ sid: 'p', identity: 'a', joinedAt: 10_000, tracks: 1, publishing: ['CAMERA'] }, 5_000), 'camera');
  assert.equal(roomDescription({ ...room('r', 1), createdAt: 10_000 }, 5_000), '1 participant · 1 publishing');
});
