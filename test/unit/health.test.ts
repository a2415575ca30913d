import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exitCodeOf, expectedExit, healthSummaryText, nodeHealth, serviceHealth, summarizeHealth } from '../../src/openvidu/health';
import type { ServiceStatus } from '../../src/openvidu/nodeCommands';

const up = (name: string): ServiceStatus => ({ name, state: 'running', health: '', status: 'Up 3 hours' });
const exited = (name: string, code: number): ServiceStatus => ({ name, state: 'exited', health: '', status: `Exited (${code}) 3 hours ago` });

test('a node that could not be checked is "not checked", never unhealthy nor healthy', () => {
  assert.equal(nodeHealth({ role: 'master', error: 'Not registered with SSM.' }), 'notChecked');
  assert.equal(nodeHealth({ role: 'master' }), 'notChecked');
  const s = summarizeHealth([
    { role: 'master', error: 'Not registered with SSM.' },
    { role: 'media', status: { openvidu: 'active', services: [up('openvidu')] } },
  ]);
  assert.deepEqual(s, { total: 2, checked: 1, healthy: 1, starting: 0, problems: 0, notChecked: 1 });
  assert.equal(healthSummaryText('demo', s), 'demo: 1/1 checked node healthy · 1 not checked.');
  assert.equal(healthSummaryText('demo', summarizeHealth([{ role: 'master', error: 'x' }])), 'demo: no node could be checked · 1 not checked.');
});

test('in the AWS HA deployment, minio Exited (0) on a master is expected; other exits are problems', () => {
  assert.equal(exitCodeOf(exited('minio', 0)), 0);
  assert.equal(exitCodeOf(up('minio')), undefined);
  assert.ok(expectedExit(exited('minio', 0), 'master'));
  assert.equal(serviceHealth(exited('minio', 0), 'master'), 'expected');
  // a crash of the same container, the same exit on a media node, or another container's exit are not expected
  assert.equal(serviceHealth(exited('minio', 1), 'master'), 'down');
  assert.equal(serviceHealth(exited('minio', 0), 'media'), 'down');
  assert.equal(serviceHealth(exited('mongo', 0), 'master'), 'down');
  assert.equal(nodeHealth({ role: 'master', status: { openvidu: 'active', services: [up('caddy'), exited('minio', 0)] } }), 'healthy');
  assert.equal(nodeHealth({ role: 'master', status: { openvidu: 'active', services: [up('caddy'), exited('minio', 137)] } }), 'problems');
});

test('unhealthy, restarting and starting services; openvidu.service not active', () => {
  assert.equal(serviceHealth({ name: 'caddy', state: 'running', health: 'unhealthy', status: 'Up (unhealthy)' }, 'media'), 'broken');
  assert.equal(serviceHealth({ name: 'caddy', state: 'restarting', health: '', status: 'Restarting (1)' }, 'media'), 'broken');
  assert.equal(nodeHealth({ role: 'media', status: { openvidu: 'active', services: [{ name: 'caddy', state: 'running', health: 'starting', status: 'Up 5 seconds (health: starting)' }] } }), 'starting');
  assert.equal(nodeHealth({ role: 'media', status: { openvidu: 'inactive', services: [] } }), 'problems');
});
