import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundaryCursor, gapMarker, LineRing, mergeByTimestamp, TailEngine, type SourcePoll } from '../../src/openvidu/tail';
import { parseTailPoll, serviceLogsSinceScript, tailPollScript, TAIL_MARK, UnsafeValueError, userCommandScript, windowPageScript } from '../../src/openvidu/nodeCommands';
import type { LogLine } from '../../src/openvidu/nodeCommands';

const L = (sec: number, text: string, ns = 0, container = 'openvidu'): LogLine => ({
  container,
  timestamp: `2026-11-24T09:00:${String(sec).padStart(2, '0')}.${String(ns).padStart(9, '0')}Z`,
  text,
});

test('the ring keeps the newest lines up to its cap and counts what it dropped', () => {
  const r = new LineRing(3);
  r.pushAll(['a', 'b']);
  assert.deepEqual(r.toArray(), ['a', 'b']);
  r.pushAll(['c', 'd', 'e']);
  assert.deepEqual(r.toArray(), ['c', 'd', 'e']);
  assert.equal(r.size, 3);
  assert.equal(r.dropped, 2);
  assert.equal(r.total, 5);
  assert.equal(r.last(), 'e');
  assert.throws(() => new LineRing(0), RangeError);
});

test('the cursor drops lines already seen at the boundary instant and keeps genuinely repeated ones', () => {
  const c = new BoundaryCursor();
  assert.deepEqual(c.accept([L(1, 'a'), L(2, 'b'), L(2, 'c')]).map((l) => l.text), ['a', 'b', 'c']);
  assert.equal(c.since, '2026-11-24T09:00:02.000000000Z');
  // --since is inclusive: the two lines at :02 come back, plus a new one at :02 and one later
  assert.deepEqual(c.accept([L(2, 'b'), L(2, 'c'), L(2, 'd'), L(3, 'e')]).map((l) => l.text), ['d', 'e']);
  // the same text twice at the same instant is two lines; seeing one of them again keeps only the other
  const d = new BoundaryCursor();
  d.accept([L(5, 'x'), L(5, 'x')]);
  assert.deepEqual(d.accept([L(5, 'x'), L(5, 'x'), L(5, 'x')]).map((l) => l.text), ['x']);
  // older lines (an overlapping re-read) are dropped
  assert.deepEqual(d.accept([L(4, 'old'), L(5, 'x'), L(6, 'new')]).map((l) => l.text), ['new']);
});

test('several nodes are interleaved by timestamp, stable for equal instants, nanoseconds respected', () => {
  const merged = mergeByTimestamp([
    { source: 'A', lines: [L(1, 'a1'), L(3, 'a3'), L(3, 'a3b', 5)] },
    { source: 'B', lines: [L(2, 'b2'), L(3, 'b3', 1)] },
    { source: 'C', lines: [] },
  ]);
  assert.deepEqual(
    merged.map((m) => `${m.source}:${m.line.text}`),
    ['A:a1', 'B:b2', 'A:a3', 'B:b3', 'A:a3b'],
  );
});

test('the engine plans one read for caught-up nodes and one per lagging node, dedupes and caps', () => {
  const e = new TailEngine({ maxLines: 5, prefix: true });
  e.addSource('i-1', 'Media i-1');
  e.addSource('i-2', 'Media i-2');
  assert.deepEqual(e.plan(), [{ sources: ['i-1', 'i-2'] }]);
  const ok = (lines: LogLine[], now: string, more = false, bootedAt = '2026-11-24 08:00:00'): SourcePoll => ({ kind: 'ok', now, bootedAt, lines, more });
  const out = e.accept(
    new Map([
      ['i-1', ok([L(1, 'a'), L(3, 'c')], '2026-11-24T09:00:04.000000000Z')],
      ['i-2', ok([L(2, 'b')], '2026-11-24T09:00:04.500000000Z', true)],
    ]),
  );
  assert.deepEqual(out, ['[Media i-1] 2026-11-24T09:00:01.000000000Z a', '[Media i-2] 2026-11-24T09:00:02.000000000Z b', '[Media i-1] 2026-11-24T09:00:03.000000000Z c']);
  const plan = e.plan();
  assert.deepEqual(plan[0], { sources: ['i-2'], since: '2026-11-24T09:00:02.000000000Z' });
  assert.deepEqual(plan[1], { sources: ['i-1'], since: '2026-11-24T09:00:02.000000000Z' });
  assert.ok(e.hasMore());
  // re-reads overlap: nothing repeats
  e.accept(new Map([['i-1', ok([L(3, 'c'), L(5, 'd')], '2026-11-24T09:00:06.000000000Z')], ['i-2', ok([L(2, 'b'), L(4, 'e')], '2026-11-24T09:00:06.000000000Z')]]));
  e.accept(new Map([['i-1', ok([L(5, 'd'), L(6, 'f'), L(7, 'g')], '2026-11-24T09:00:08.000000000Z')]]));
  assert.equal(e.ring.size, 5);
  assert.equal(e.ring.dropped, 2);
  assert.deepEqual(e.ring.toArray().map((l) => l.slice(-1)), ['c', 'e', 'd', 'f', 'g']);
});

test('a node that stops answering and comes back after a reboot gets one waiting line and a gap marker', () => {
  const e = new TailEngine({ maxLines: 100, prefix: false });
  e.addSource('i-1', 'Master 1');
  e.accept(new Map([['i-1', { kind: 'ok', now: '2026-11-24T09:00:10.000000000Z', bootedAt: '2026-11-24 08:00:00', lines: [L(9, 'before')], more: false } as SourcePoll]]));
  e.accept(new Map([['i-1', { kind: 'down', reason: 'Master 1 is stopped' } as SourcePoll]]));
  e.accept(new Map([['i-1', { kind: 'down', reason: 'Master 1 is stopped' } as SourcePoll]]));
  assert.deepEqual(e.down(), ['i-1']);
  assert.equal(e.plan()[0].since, '2026-11-24T09:00:09.000000000Z');
  const out = e.accept(new Map([['i-1', { kind: 'ok', now: '2026-11-24T09:05:00.000000000Z', bootedAt: '2026-11-24 09:03:00', lines: [L(9, 'before'), { ...L(0, 'after'), timestamp: '2026-11-24T09:04:00.000000000Z' }], more: false } as SourcePoll]]));
  assert.deepEqual(out, ['--- node restarted / no output between 2026-11-24T09:00:09.000000000Z and 2026-11-24T09:04:00.000000000Z ---', '2026-11-24T09:04:00.000000000Z after']);
  assert.equal(e.ring.toArray().filter((l) => l.includes('waiting for the node')).length, 1);
  // a reboot seen only through the boot time (no failed poll) is marked too
  const again = e.accept(new Map([['i-1', { kind: 'ok', now: '2026-11-24T09:09:00.000000000Z', bootedAt: '2026-11-24 09:07:00', lines: [{ ...L(0, 'x'), timestamp: '2026-11-24T09:08:00.000000000Z' }], more: false } as SourcePoll]]));
  assert.match(again[0], /^--- node restarted \/ no output between 2026-11-24T09:04:00.000000000Z and 2026-11-24T09:08:00.000000000Z ---$/);
  // termination ends the source and the tail
  e.accept(new Map([['i-1', { kind: 'ended', reason: 'Master 1 was terminated' } as SourcePoll]]));
  assert.ok(e.ended);
  assert.equal(e.ring.last(), '--- Master 1 was terminated ---');
  assert.equal(gapMarker(undefined, undefined, false), '--- node unreachable / no output between the last line and now ---');
});

test('memory stays at the cap after 100,000 lines', () => {
  const e = new TailEngine({ maxLines: 5000, prefix: false });
  e.addSource('i-1', 'n');
  for (let round = 0; round < 100; round++) {
    const lines: LogLine[] = [];
    for (let i = 0; i < 1000; i++) lines.push({ container: 'openvidu', timestamp: new Date(Date.UTC(2026, 10, 24) + round * 1000 + i).toISOString(), text: `line ${round}-${i}` });
    e.accept(new Map([['i-1', { kind: 'ok', now: lines[999].timestamp, lines, more: false } as SourcePoll]]));
  }
  assert.equal(e.ring.total, 100_000);
  assert.equal(e.ring.size, 5000);
  assert.equal(e.ring.toArray()[0].endsWith('line 95-0'), true);
});

test('tail and page scripts are validated and quoted', () => {
  const s = tailPollScript('caddy', { since: '2026-11-24T09:00:00.000000000Z', max: 2000 });
  assert.equal(s[0], `echo '${TAIL_MARK.now}'`);
  assert.equal(s[4], "cd /opt/openvidu && docker compose logs --no-color --timestamps --since '2026-11-24T09:00:00.000000000Z' 'caddy' 2>&1 | head -n 2000");
  assert.match(tailPollScript('caddy', { initial: 50, max: 10 })[4], /--tail 50 'caddy'/);
  assert.throws(() => tailPollScript('x; rm -rf /', { max: 10 }), UnsafeValueError);
  assert.throws(() => serviceLogsSinceScript('caddy', 'yesterday; reboot', 10), /RFC 3339/);
  assert.deepEqual(windowPageScript({ kind: 'journal' }, 500, 200, 100), ['journalctl -u openvidu -n 500 --no-pager 2>&1 | head -n 200 | tail -n 100']);
  assert.deepEqual(windowPageScript({ kind: 'file', id: 'cloud-init-output' }, 500, 200, 100), ["tail -n 500 '/var/log/cloud-init-output.log' 2>&1 | head -n 200 | tail -n 100"]);
  assert.throws(() => windowPageScript({ kind: 'file', id: '/etc/shadow' }, 500, 200, 100), /Unknown log file/);
  assert.throws(() => userCommandScript('   '), /Type a command/);
  assert.deepEqual(userCommandScript(' uptime '), ['uptime']);
});

test('a tail poll is parsed: clock, boot time, lines; a cut last line is dropped', () => {
  const out = `${TAIL_MARK.now}\n2026-11-24T09:00:10.123000000Z\n2026-11-24 08:00:00\n${TAIL_MARK.logs}\nopenvidu  | 2026-11-24T09:00:09.000000001Z hello\nopenvidu  | 2026-11-24T09:00:09.5`;
  const p = parseTailPoll(out, true);
  assert.equal(p.now, '2026-11-24T09:00:10.123000000Z');
  assert.equal(p.bootedAt, '2026-11-24 08:00:00');
  assert.deepEqual(p.lines, [{ container: 'openvidu', timestamp: '2026-11-24T09:00:09.000000001Z', text: 'hello' }]);
  assert.deepEqual(parseTailPoll(`${TAIL_MARK.now}\nx\n\n${TAIL_MARK.logs}\nno such service: foo\n`).problems, ['no such service: foo']);
});
