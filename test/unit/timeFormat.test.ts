import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatIso, formatTime } from '../../src/openvidu/timeFormat';

const AT = new Date('2026-11-24T10:00:05.250Z');

test('local time with the zone: date, 24-hour time with seconds, the zone short name', () => {
  assert.equal(formatTime(AT, { timeZone: 'Europe/Madrid' }), '2026-11-24 11:00:05 CET');
  assert.equal(formatTime(AT, { timeZone: 'UTC' }), '2026-11-24 10:00:05 UTC');
  assert.equal(formatTime(AT, { timeZone: 'Asia/Kolkata' }), '2026-11-24 15:30:05 GMT+5:30');
  // summer time is named as such; midnight is 00, not 24
  assert.equal(formatTime(new Date('2026-07-01T22:00:00Z'), { timeZone: 'Europe/Madrid' }), '2026-07-02 00:00:00 CEST');
});

test('accepts what the AWS SDK and the logs give: Date, epoch ms, ISO strings; leaves garbage as it is', () => {
  assert.equal(formatTime(AT.getTime(), { timeZone: 'UTC' }), '2026-11-24 10:00:05 UTC');
  assert.equal(formatTime('2026-11-24T10:00:05.123456789Z', { timeZone: 'UTC' }), '2026-11-24 10:00:05 UTC');
  assert.equal(formatTime('not a time'), 'not a time');
});

test('ISO for tooltips and copies is UTC with milliseconds', () => {
  assert.equal(formatIso(AT), '2026-11-24T10:00:05.250Z');
  assert.equal(formatIso(AT.getTime()), '2026-11-24T10:00:05.250Z');
});

test('every time a person reads goes through timeFormat.ts: no other toISOString()/toLocale*() outside data paths', async () => {
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  /** files whose ISO strings are data, not display: wire values, `docker logs --since`, log lines as docker wrote them */
  const DATA = new Set([
    'src/openvidu/timeFormat.ts',
    'src/openvidu/tail.ts', // docker --since instants
    'src/features/operations/tailPollers.ts', // CloudWatch log lines, in docker's RFC 3339 like the node logs
    'src/features/deploy/stackFollower.ts', // event instants sent to the webview, formatted there
    'src/openvidu/configCommands.ts', // backup file names on the node (20261201T040703Z)
    'src/features/configuration/applyChange.ts', // the report document's file name
    'src/openvidu/logFilter.ts', // docker --since instants
    'src/features/operations/logChoices.ts', // Show Logs' "since" input, typed and read back in UTC (labelled so)
    'src/openvidu/dashboard.ts', // chart axis ticks in UTC, as CloudWatch's datapoints (labelled UTC in the chart)
  ]);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  for (const d of ['src/openvidu', 'src/features', 'webview']) walk(d);
  const offenders = files
    .filter((f) => !DATA.has(f))
    .flatMap((f) => readFileSync(f, 'utf8').split('\n').map((l, i) => ({ f, i, l })))
    .filter(({ l }) => /\.toISOString\(\)|\.toLocale(Time|Date)?String\(/.test(l))
    .map(({ f, i, l }) => `${f}:${i + 1}: ${l.trim()}`);
  assert.deepEqual(offenders, []);
});
