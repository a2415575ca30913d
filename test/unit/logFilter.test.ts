import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLogFilter, lineMatcher, logSearchScript, normalizeSince, windowSince } from '../../src/openvidu/logFilter';

test('windows become RFC 3339 instants docker accepts', () => {
  assert.equal(windowSince({ kind: 'last', minutes: 15 }, Date.UTC(2026, 10, 24, 10, 0)), '2026-11-24T09:45:00.000000000Z');
  assert.equal(normalizeSince('2026-11-24 09:00'), '2026-11-24T09:00:00.000000000Z');
  assert.equal(normalizeSince('2026-11-24T09:00:05.5Z'), '2026-11-24T09:00:05.500000000Z');
  assert.throws(() => normalizeSince('yesterday'), /UTC date and time/);
  assert.throws(() => windowSince({ kind: 'last', minutes: 0 }, 0), /1 minute to 31 days/);
});

test('filters: plain text is anything printable; regular expressions are checked', () => {
  assert.ok(checkLogFilter({ pattern: `it's "odd" $(x) | y`, regex: false }));
  assert.ok(checkLogFilter({ pattern: 'err(or)?|fail', regex: true }));
  for (const [p, why] of [
    ['(a+)+', /Nested repetition/],
    ['\\d+', /\[0-9\]/],
    ['(?=x)', /Lookahead/],
    ['(a)\\1', /Backreferences/],
    ['[x', /not a valid regular expression/],
  ] as const) assert.throws(() => checkLogFilter({ pattern: p, regex: true }), why);
  assert.throws(() => checkLogFilter({ pattern: 'a\nb', regex: false }), /control character/);
  assert.throws(() => checkLogFilter({ pattern: '', regex: false }), /empty/);
});

test('the script quotes the filter and names grep -F / -E', () => {
  const [s] = logSearchScript('caddy', { since: '2026-11-24T09:00:00.000000000Z', filter: { pattern: "a'b", regex: false }, max: 100 });
  assert.equal(s, `cd /opt/openvidu && docker compose logs --no-color --timestamps --since '2026-11-24T09:00:00.000000000Z' 'caddy' 2>&1 | grep -F -e 'a'\\''b' | tail -n 100`);
  assert.throws(() => logSearchScript('caddy;rm', { since: '2026-11-24T09:00:00Z', max: 1 }), /not a valid service name/);
  assert.equal(lineMatcher({ pattern: 'ERR', regex: false, ignoreCase: true })('an err here'), true);
  assert.equal(lineMatcher({ pattern: '^x', regex: true })('y x'), false);
});
