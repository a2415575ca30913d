/**
 * The SSM poll schedule (src/aws/ssmPollSchedule.ts), in schedule time (ms after SendCommand; no timers, no wall
 * clock): how many polls see a command end and how late the one that sees it starts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DurationHistory, EARLY_FRACTION, EARLY_MAX_MS, MIN_GAP_MS, PollSchedule, TIGHT_POLLS } from '../../src/aws/ssmPollSchedule';

const RTT = 50;

test('a script known to take 0.9-1.1 s that ends after 1.0 s is seen by its 3rd poll, at most one round trip late', () => {
  const s = new PollSchedule({ window: { lo: 900, hi: 1100 }, rttMs: RTT, firstMs: 300, maxMs: 2000 });
  // tight polls start at the early floor, 900 - 900 / 4
  const start = 900 - 900 * EARLY_FRACTION;
  for (const end of [900, 950, 1000, 1049, 1100]) {
    const r = s.pollsUntil(end);
    assert.ok(r.lateMs <= RTT, `ends at ${end}: seen at ${r.seenAt}`);
    // polls a round trip apart from the early floor
    assert.ok(r.polls <= 1 + Math.ceil((end - start) / RTT) + 1, `ends at ${end}: ${r.polls} polls`);
  }
  // the schedule this replaced (300 ms, ×1.5, up to 2 s) saw a 1.0 s command at 1,425 ms: 425 ms late
});

test('the early floor and the late margin: a run a quarter faster or slower than the recent ones is still seen within a round trip', () => {
  // one recent run of 1,200 ms (e.g. a file read once); delivery to the agent varies by a few hundred ms
  const s = new PollSchedule({ window: { lo: 1200, hi: 1200 }, rttMs: RTT, firstMs: 300, maxMs: 2000 });
  for (const end of [900, 1000, 1100, 1200, 1300, 1400, 1500]) {
    const r = s.pollsUntil(end);
    assert.ok(r.lateMs <= RTT, `ends at ${end}: seen at ${r.seenAt}, ${r.lateMs} ms late`);
    // bounded: one probe, then a round trip apart from the floor (900 ms)
    assert.ok(r.polls <= 2 + Math.ceil((end - 900) / RTT), `ends at ${end}: ${r.polls} polls`);
  }
  // long runs: the margin is capped (the variation is in the delivery)
  const long = new PollSchedule({ window: { lo: 30_000, hi: 30_000 }, rttMs: RTT, firstMs: 300, maxMs: 2000 });
  assert.ok(long.pollsUntil(29_500 - 1).seenAt >= 29_500 - EARLY_MAX_MS);
});

test('a wide window costs at most TIGHT_POLLS polls across it (the gap widens instead)', () => {
  const s = new PollSchedule({ window: { lo: 1000, hi: 5000 }, rttMs: RTT, firstMs: 300, maxMs: 2000 });
  const r = s.pollsUntil(5000);
  assert.ok(r.polls <= 1 + TIGHT_POLLS + 1, `${r.polls} polls`);
  assert.ok(r.lateMs <= 4000 / TIGHT_POLLS, `${r.lateMs} ms late`);
});

test('a script running far past its window backs off to maxMs: a 60 s run costs a bounded number of polls', () => {
  const s = new PollSchedule({ window: { lo: 1000, hi: 1100 }, rttMs: RTT, firstMs: 300, maxMs: 2000 });
  const r = s.pollsUntil(60_000);
  assert.ok(r.lateMs <= 2000);
  // the late margin (EARLY_MAX_MS at most) adds its polls before the backoff
  assert.ok(r.polls <= 45 + Math.ceil(EARLY_MAX_MS / RTT), `${r.polls} polls`);
  let prev = s.nextAt(undefined);
  let gaps = 0;
  for (let at = s.nextAt(prev); at < 60_000; prev = at, at = s.nextAt(at)) gaps = Math.max(gaps, at - prev);
  assert.equal(gaps, 2000);
});

test('a long script (window at 30 s) is probed at 1, 2, 4, 8, 16 s before its window, and a fast failure is seen early', () => {
  const s = new PollSchedule({ window: { lo: 30_000, hi: 31_000 }, rttMs: RTT, firstMs: 300, maxMs: 2000 });
  const at: number[] = [];
  const floor = 30_000 - EARLY_MAX_MS;
  for (let t = s.nextAt(undefined); t < floor; t = s.nextAt(t)) at.push(t);
  assert.deepEqual(at, [1000, 2000, 4000, 8000, 16000]);
  assert.equal(s.nextAt(16000), floor, 'then the early floor of the window');
  assert.ok(s.pollsUntil(1500).seenAt <= 2000);
});

test('with no history, a result is seen at most an eighth of its time (or a round trip) late', () => {
  const s = new PollSchedule({ rttMs: RTT, firstMs: 300, maxMs: 2000 });
  for (const end of [400, 1000, 1500, 3000]) {
    const r = s.pollsUntil(end);
    assert.ok(r.lateMs <= Math.max(RTT, end / 8) + 1, `ends at ${end}: seen at ${r.seenAt}`);
  }
});

test('never closer than MIN_GAP_MS, even with a ~1 ms round trip (a local endpoint)', () => {
  const s = new PollSchedule({ window: { lo: 1000, hi: 1010 }, rttMs: 1, firstMs: 300, maxMs: 2000 });
  let prev = s.nextAt(undefined);
  for (let i = 0; i < 20; i++) {
    const next = s.nextAt(prev);
    assert.ok(next - prev >= MIN_GAP_MS, `${prev} -> ${next}`);
    prev = next;
  }
});

test('DurationHistory keeps the last runs per kind and batch size, bounded', () => {
  const h = new DurationHistory();
  const one = DurationHistory.key('status', 1);
  const fifty = DurationHistory.key('status', 50);
  assert.notEqual(one, fifty);
  assert.equal(h.window(one), undefined);
  for (const ms of [1500, 900, 1200, 1000, 1100, 1050, 1300]) h.record(one, ms);
  assert.deepEqual(h.window(one), { lo: 900, hi: 1300 }, 'the oldest run (1,500) dropped out');
  h.record(fifty, Number.NaN);
  assert.equal(h.window(fifty), undefined);
  for (let i = 0; i < DurationHistory.MAX_KINDS + 5; i++) h.record(DurationHistory.key(`k${i}`, 1), 10);
  assert.equal(h.window(one), undefined, 'least recently recorded kinds are forgotten');
});

test('DurationHistory.fastest: the quickest recent run of any kind for as many nodes (where a new kind starts)', () => {
  const h = new DurationHistory();
  assert.equal(h.fastest(1), undefined);
  h.record(DurationHistory.key('configuration read', 1), 1100);
  h.record(DurationHistory.key('configuration list', 1), 950);
  h.record(DurationHistory.key('status', 50), 400);
  assert.equal(h.fastest(1), 950);
  assert.equal(h.fastest(50), 400);
  assert.equal(h.fastest(5), undefined);
});
