import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkLogFilter, lineMatcher, normalizeSince, parseFilterInput, servicePageQueryScript, serviceQueryScript, tailPollQueryScript, windowQueryPageScript, windowQueryScript, windowSince } from '../../src/openvidu/logFilter';
import { serviceLogsScript, tailPollScript } from '../../src/openvidu/nodeCommands';

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

test('the scripts quote the filter, name grep -F / -E, and grep before the line cap', () => {
  const since = '2026-11-24T09:00:00.000000000Z';
  const [s] = serviceQueryScript('caddy', 100, { since, filter: { pattern: "a'b", regex: false } });
  assert.equal(s, `cd /opt/openvidu && docker compose logs --no-color --timestamps --since '${since}' 'caddy' 2>&1 | grep -F -e 'a'\\''b' | tail -n 100`);
  assert.throws(() => serviceQueryScript('caddy;rm', 1, { since }), /not a valid service name/);
  assert.throws(() => serviceQueryScript('caddy', 1, { since: "x'; reboot" }), /RFC 3339/);
  // no query: exactly the script Show Logs sent before it asked anything
  assert.deepEqual(serviceQueryScript('caddy', 500), serviceLogsScript('caddy', 500));
  assert.equal(servicePageQueryScript('caddy', since, 80, { pattern: 'err', regex: true, ignoreCase: true })[0], `cd /opt/openvidu && docker compose logs --no-color --timestamps --since '${since}' 'caddy' 2>&1 | grep -E -i -e 'err' | head -n 80`);
  // the journal: a window as a Unix time (systemd.time(7) "@"), the filter before tail
  assert.deepEqual(windowQueryScript({ kind: 'journal' }, 500, { since, filter: { pattern: 'x', regex: false } }), [`journalctl -u openvidu --since '@1795510800' --no-pager 2>&1 | grep -F -e 'x' | tail -n 500`]);
  assert.deepEqual(windowQueryScript({ kind: 'journal' }, 500, { since }), [`journalctl -u openvidu --since '@1795510800' -n 500 --no-pager 2>&1`]);
  assert.deepEqual(windowQueryScript({ kind: 'file', id: 'cloud-init' }, 50, { filter: { pattern: '-v', regex: false } }), [`grep -F -e '-v' '/var/log/cloud-init.log' 2>&1 | tail -n 50`]);
  assert.throws(() => windowQueryScript({ kind: 'file', id: 'cloud-init' }, 50, { since }), /no common timestamp/);
  assert.throws(() => windowQueryScript({ kind: 'file', id: '/etc/shadow' }, 50, { filter: { pattern: 'x', regex: false } }), /Unknown log file/);
  assert.equal(windowQueryPageScript({ kind: 'journal' }, 500, 200, 100)[0], 'journalctl -u openvidu -n 500 --no-pager 2>&1 | head -n 200 | tail -n 100');
  // a filtered tail poll: the same clock head, grep in the logs part; without a filter, the old poll
  const poll = tailPollQueryScript('caddy', { since, max: 200, filter: { pattern: 'INFO', regex: true } });
  assert.deepEqual(poll.slice(0, 4), tailPollScript('caddy', { since, max: 200 }).slice(0, 4));
  assert.match(poll[4], /\| grep -E -e 'INFO' \| head -n 200$/);
  assert.deepEqual(tailPollQueryScript('caddy', { initial: 50, max: 200 }), tailPollScript('caddy', { initial: 50, max: 200 }));
  assert.throws(() => tailPollQueryScript('caddy', { max: 1, filter: { pattern: '(a+)+', regex: true } }), /Nested repetition/);
  assert.deepEqual(parseFilterInput('/err/i'), { pattern: 'err', regex: true, ignoreCase: true });
  assert.deepEqual(parseFilterInput('a/b'), { pattern: 'a/b', regex: false });
  assert.equal(parseFilterInput(''), undefined);
  assert.equal(lineMatcher({ pattern: 'ERR', regex: false, ignoreCase: true })('an err here'), true);
  assert.equal(lineMatcher({ pattern: '^x', regex: true })('y x'), false);
});
