import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatusReport, nodeSeverity, StatusRow } from '../../src/openvidu/statusReport';

const healthy = (name: string) => ({ name, state: 'running', health: 'healthy', status: 'Up 1 hour (healthy)' });
const rows: StatusRow[] = [
  { label: 'Media i-2', instanceId: 'i-2', role: 'media', status: { openvidu: 'active', services: [healthy('caddy'), healthy('openvidu')], problems: [] } },
  { label: 'Master 1', instanceId: 'i-m1', role: 'master', error: 'Not registered with SSM. Long explanation.' },
  { label: 'Master 2', instanceId: 'i-m2', role: 'master', error: 'Not registered with SSM. Long explanation.' },
  { label: 'Master 3', instanceId: 'i-m3', role: 'master', status: { openvidu: 'active', services: [healthy('caddy'), healthy('openvidu'), healthy('redis-server'), healthy('grafana')], problems: [] } },
  {
    label: 'Media i-3',
    instanceId: 'i-3',
    role: 'media',
    status: { openvidu: 'active', services: [{ name: 'openvidu', state: 'running', health: 'unhealthy', status: 'Up 2 minutes (unhealthy)' }, healthy('caddy')], problems: [] },
  },
];
const AT = new Date('2026-11-24T10:00:05Z');
const report = (r = rows) => formatStatusReport('demo · all nodes', r, AT, { timeZone: 'Europe/Madrid' });

/** The Markdown tables of a report: heading above each → its header cells and rows of cells. */
function tables(text: string): { heading: string; header: string[]; rows: string[][] }[] {
  const out: { heading: string; header: string[]; rows: string[][] }[] = [];
  let heading = '';
  const lines = text.split('\n');
  const cells = (l: string) => l.slice(1, -1).split(' | ').map((c) => c.trim());
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('#')) heading = lines[i];
    if (lines[i].startsWith('|') && lines[i + 1]?.startsWith('|---')) {
      const t = { heading, header: cells(lines[i]), rows: [] as string[][] };
      for (i += 2; lines[i]?.startsWith('|'); i++) t.rows.push(cells(lines[i]));
      out.push(t);
    }
  }
  return out;
}
const plain = (cell: string) => cell.replace(/<[^>]+>/g, '');

test('one table per role, masters then media, each with only the services of its role', () => {
  const t = tables(report());
  assert.deepEqual(t.map((x) => x.heading), ['## Master nodes (3)', '## Media nodes (2)']);
  assert.deepEqual(t[0].header, ['node', 'openvidu.service (systemd)', 'caddy', 'grafana', 'openvidu', 'redis-server']);
  assert.deepEqual(t[1].header, ['node', 'openvidu.service (systemd)', 'caddy', 'openvidu']);
  // no header is just "openvidu" twice: the systemd unit is named as such
  for (const x of t) assert.equal(x.header.filter((h) => h === 'openvidu').length, 1);
});

test('nodes with problems come first in each table; the service cells say what is wrong', () => {
  assert.deepEqual(rows.map(nodeSeverity), [3, 0, 0, 3, 0]);
  const [masters, media] = tables(report());
  assert.deepEqual(masters.rows.map((r) => plain(r[0])), ['Master 1 i-m1', 'Master 2 i-m2', 'Master 3 i-m3']);
  assert.match(masters.rows[0][1], /^⚠ Not registered with SSM\.$/);
  assert.deepEqual(media.rows.map((r) => plain(r[0])), ['i-3', 'i-2']);
  assert.deepEqual(media.rows[0].slice(1), ['✓ active', '✓', '✗ running (unhealthy)']);
  assert.match(report(), /5 nodes · 2 healthy · 1 with problems or starting · 2 not checked/);
});

test('the problems are listed before the tables; a reason shared by several nodes is explained once', () => {
  const text = report();
  assert.ok(text.indexOf('## Problems') < text.indexOf('## Master nodes'), 'problems first');
  assert.equal(text.match(/Long explanation/g)?.length, 1);
  assert.match(text, /^- \*\*Master 1, Master 2\*\*: Not registered with SSM\. Long explanation\.$/m);
  assert.match(text, /^- \*\*Media i-3\*\* · openvidu: Up 2 minutes \(unhealthy\)$/m);
});

test('instance ids never wrap in the rendered table', () => {
  for (const t of tables(report())) {
    for (const r of t.rows) assert.match(r[0], /<span style="white-space:nowrap">i-[\w]+<\/span>$/, `node cell: ${r[0]}`);
  }
});

test('the check time is local with its zone, ISO in the tooltip', () => {
  assert.match(report(), /^Checked <span title="2026-11-24T10:00:05\.000Z">2026-11-24 11:00:05 CET<\/span> · /m);
});

test('a role without nodes has no table; a single role has no empty heading', () => {
  const onlyMedia = rows.filter((r) => r.role === 'media');
  const t = tables(formatStatusReport('demo · media', onlyMedia, AT, { timeZone: 'UTC' }));
  assert.deepEqual(t.map((x) => x.heading), ['## Media nodes (2)']);
});

test('an expected exit (minio with S3 on AWS) is shown as expected and is not a problem', () => {
  const master: StatusRow = {
    label: 'Master 1',
    instanceId: 'i-m1',
    role: 'master',
    status: { openvidu: 'active', services: [healthy('caddy'), { name: 'minio', state: 'exited', health: '', status: 'Exited (0) 3 days ago' }], problems: [] },
  };
  assert.equal(nodeSeverity(master), 3);
  const text = formatStatusReport('demo', [master], new Date());
  assert.match(text, /– exited \(expected\)/);
  assert.doesNotMatch(text, /## Problems/);
});

test('nodes not checked are counted apart, never as unhealthy', () => {
  const rows: StatusRow[] = [
    { label: 'Master 1', instanceId: 'i-m1', role: 'master', error: 'Not registered with SSM.' },
    { label: 'Media i-2', instanceId: 'i-2', role: 'media', status: { openvidu: 'active', services: [healthy('caddy')], problems: [] } },
  ];
  assert.match(formatStatusReport('demo', rows, new Date()), /2 nodes · 1 healthy · 0 with problems or starting · 1 not checked/);
});
