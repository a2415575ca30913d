import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkServiceName,
  logFileScript,
  MARK,
  normalizeTimestamp,
  parseComposeLogLine,
  parseComposePs,
  parseStatusOutput,
  restartScript,
  serviceLogsScript,
  shellQuote,
  UnsafeValueError,
} from '../../src/openvidu/nodeCommands';

test('shell quoting survives quotes, spaces, $() and newlines', () => {
  assert.equal(shellQuote('abc'), "'abc'");
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellQuote('$(rm -rf /)\n'), "'$(rm -rf /)\n'");
});

test('injection attempts in a service name are refused with the field and the fix, before any script exists', () => {
  for (const bad of ['x; rm -rf /', 'caddy && reboot', '$(id)', '`id`', 'a b', '../etc', '', 'Caddy', 'x|y']) {
    assert.throws(() => serviceLogsScript(bad, 100), (e: Error) => e instanceof UnsafeValueError && e.field === 'service' && /valid service name/.test(e.message), bad);
  }
  assert.throws(() => restartScript('x; rm -rf /'), UnsafeValueError);
});

test('a service must be one the node has, when the node has been discovered', () => {
  assert.equal(checkServiceName('caddy', ['caddy', 'openvidu']), 'caddy');
  assert.throws(() => checkServiceName('mongo', ['caddy', 'openvidu']), /no service "mongo"\. Known services: caddy, openvidu/);
});

test('line counts and --since are validated', () => {
  assert.throws(() => serviceLogsScript('caddy', 0), /whole number from 1 to 100000/);
  assert.throws(() => serviceLogsScript('caddy', 1.5), UnsafeValueError);
  assert.throws(() => serviceLogsScript('caddy', 10, { since: "2026-01-01'; reboot; '" }), /RFC 3339/);
  assert.deepEqual(serviceLogsScript('caddy', 10, { since: '2026-11-24T09:00:00.123456789Z' }), [
    "cd /opt/openvidu && docker compose logs --no-color --timestamps --tail 10 --since '2026-11-24T09:00:00.123456789Z' 'caddy' 2>&1",
  ]);
});

test('only catalogued log files can be read', () => {
  assert.deepEqual(logFileScript('cloud-init-output', 500), ["tail -n 500 '/var/log/cloud-init-output.log' 2>&1"]);
  assert.throws(() => logFileScript('/etc/shadow', 10), /Unknown log file/);
});

test('status output parses the unit state and the compact service lines, unhealthy first', () => {
  const out = [
    MARK.active,
    'active',
    MARK.services,
    'caddy|running|healthy|Up 3 hours (healthy)|openvidu-caddy-1',
    'openvidu|running|unhealthy|Up 2 minutes (unhealthy)|openvidu-openvidu-1',
    'minio|exited||Exited (0) 3 hours ago|openvidu-minio-1',
    MARK.end,
  ].join('\n');
  const s = parseStatusOutput(out);
  assert.equal(s.openvidu, 'active');
  assert.deepEqual(s.services.map((x) => x.name), ['openvidu', 'minio', 'caddy']);
  assert.equal(s.services[0].health, 'unhealthy');
  assert.deepEqual(s.problems, []);
});

test('docker compose ps --format json is understood both as an array and as JSON lines', () => {
  const row = { Name: 'openvidu-caddy-1', Service: 'caddy', State: 'running', Health: 'healthy', Status: 'Up 1 hour (healthy)' };
  assert.equal(parseComposePs(JSON.stringify([row])).services[0].name, 'caddy');
  assert.equal(parseComposePs(`${JSON.stringify(row)}\n${JSON.stringify({ ...row, Service: 'redis-server' })}`).services.length, 2);
  assert.deepEqual(parseComposePs('no configuration file provided: not found').problems, ['no configuration file provided: not found']);
});

test('compose log lines split into container, timestamp and text; timestamps compare at ns precision', () => {
  assert.deepEqual(parseComposeLogLine('openvidu-caddy-1  | 2026-11-24T09:00:00.123Z {"level":"info"}'), {
    container: 'openvidu-caddy-1',
    timestamp: '2026-11-24T09:00:00.123Z',
    text: '{"level":"info"}',
  });
  assert.equal(parseComposeLogLine('garbage'), undefined);
  assert.equal(normalizeTimestamp('2026-11-24T09:00:00.1Z'), '2026-11-24T09:00:00.100000000Z');
  assert.ok(normalizeTimestamp('2026-11-24T09:00:00.1Z') < normalizeTimestamp('2026-11-24T09:00:00.123Z'));
});

test('restartScript refuses an empty or blank service name instead of restarting the whole node', () => {
  assert.throws(() => restartScript(''), (e: Error) => e instanceof UnsafeValueError && /No service name/.test(e.message));
  assert.throws(() => restartScript('  '), UnsafeValueError);
  assert.deepEqual(restartScript(undefined), ['systemctl restart openvidu', 'systemctl is-active openvidu']);
  assert.throws(() => restartScript('mongo', ['openvidu', 'redis']), /no service "mongo"/);
});
