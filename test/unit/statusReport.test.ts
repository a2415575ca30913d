import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStatusReport, nodeSeverity, StatusRow } from '../../src/openvidu/statusReport';

const healthy = (name: string) => ({ name, state: 'running', health: 'healthy', status: 'Up 1 hour (healthy)' });
const rows: StatusRow[] = [
  { label: 'Media i-2', instanceId: 'i-2', role: 'media', status: { openvidu: 'active', services: [healthy('caddy'), healthy('openvidu')], problems: [] } },
  { label: 'Master 1', instanceId: 'i-m1', role: 'master', error: 'Not registered with SSM. Long explanation.' },
  { label: 'Master 2', instanceId: 'i-m2', role: 'master', error: 'Not registered with SSM. Long explanation.' },
  {
    label: 'Media i-3',
    instanceId: 'i-3',
    role: 'media',
    status: { openvidu: 'active', services: [{ name: 'openvidu', state: 'running', health: 'unhealthy', status: 'Up 2 minutes (unhealthy)' }, healthy('caddy')], problems: [] },
  },
];

test('nodes with problems come first; healthy last', () => {
  assert.deepEqual(rows.map(nodeSeverity), [3, 0, 0, 0]);
  const text = formatStatusReport('demo · all nodes', rows, new Date('2026-11-24T10:00:00Z'));
  const tableRows = text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| node'));
  assert.deepEqual(tableRows.map((l) => l.split(' | ')[1]), ['i-m1', 'i-m2', 'i-3', 'i-2']);
  assert.match(tableRows[0], /⚠ Not registered with SSM\. \|/);
  assert.match(tableRows[2], /^\| Media node \| i-3 \| ✓ active \| ✓ \| ✗ running \(unhealthy\) \|$/);
  assert.match(text, /4 nodes · 1 healthy · 1 with problems or starting · 2 not checked/);
});

test('a reason shared by several nodes is explained once; service problems are listed per node', () => {
  const text = formatStatusReport('demo', rows, new Date());
  assert.equal(text.match(/Long explanation/g)?.length, 1);
  assert.match(text, /^- \*\*Master 1, Master 2\*\*: Not registered with SSM\. Long explanation\.$/m);
  assert.match(text, /^- \*\*Media i-3\*\* · openvidu: Up 2 minutes \(unhealthy\)$/m);
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
