/**
 * The emulator's node configuration (test/emulator/node-config.ts) and file tools, driven with scripts as SSM runs
 * them: the documented layout per version, coreutils behaviour the scripts rely on, openvidu-init and
 * nodes_errors.log after a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { createSimNode } from '../node-sim';
import { runScript } from '../node-shell';
import { attachNodeConfig, type NodeConfigEnv } from '../node-config';
import type { SimNode } from '../world';

function setup(version = '3.8.0') {
  const m = createSimNode('master', 1_000_000, { version });
  const media = createSimNode('media', 1_000_000, { version });
  const env: NodeConfigEnv = {
    secret: { DOMAIN_NAME: 'ov.example.com', LIVEKIT_API_KEY: 'APIkey1', LIVEKIT_API_SECRET: 'sekret-123', OPENVIDU_RTC_ENGINE: 'pion', REDIS_PASSWORD: 'redispw' },
    region: 'eu-west-1',
    stackName: 'demo',
    privateIp: '10.0.1.5',
    mediaNodes: () => [{ ip: '10.0.2.7', node: media }],
  };
  let now = 2_000_000;
  attachNodeConfig(m, env, now);
  const run = (node: SimNode, lines: string[]) => runScript(node, lines.join('\n'), { hostname: 'ip-10-0-1-5', instanceId: 'i-0123456789abcdef0', privateIp: '10.0.1.5', region: 'eu-west-1', now: (now += 60_000), tags: {} });
  return { m, media, run: (lines: string[]) => run(m, lines), runMedia: (lines: string[]) => run(media, lines) };
}

test('masters hold the documented HA layout with values from the secret; 3.4+ has meet.env, older versions app.env', () => {
  const { run } = setup();
  const list = run(["cd /opt/openvidu/config && find . -type f -printf '%P\\n'"]).stdout.split('\n');
  for (const f of ['cluster/openvidu.env', 'cluster/master_node/meet.env', 'cluster/master_node/v2compatibility.env', 'cluster/media_node/livekit.yaml', 'cluster/media_node/egress.yaml', 'node/master_node.env']) assert.ok(list.includes(f), f);
  assert.match(run(['cat /opt/openvidu/config/cluster/openvidu.env']).stdout, /^DOMAIN_NAME=ov\.example\.com$/m);
  assert.match(run(['cat /opt/openvidu/config/node/master_node.env']).stdout, /^REDIS_PASSWORD=redispw$/m);
  const old = setup('3.3.0').run(["cd /opt/openvidu/config && find cluster -type f -printf '%p\\n'"]).stdout;
  assert.ok(old.includes('cluster/master_node/app.env') && !old.includes('meet.env'));
});

test('coreutils the scripts rely on: tail -n +K, head -c / tail -c +K, base64 round trip, sha256sum, stat, cp -p / mv keep mode and owner', () => {
  const { run } = setup();
  assert.equal(run(["printf 'a\\nb\\nc\\nd\\n' > /tmp/x", 'tail -n +3 /tmp/x']).stdout, 'c\nd\n');
  const f = '/opt/openvidu/config/cluster/openvidu.env';
  const text = run([`cat ${f}`]).stdout;
  assert.equal(run([`tail -c +5 ${f} | head -c 10`]).stdout, text.slice(4, 14));
  const content = 'KEY=välue ✓\n';
  const b64 = Buffer.from(content).toString('base64');
  run([`printf '%s' '${b64}' > /var/tmp/u.b64`, 'base64 -d /var/tmp/u.b64 > /tmp/y']);
  assert.equal(run(['sha256sum /tmp/y']).stdout.split(' ')[0], createHash('sha256').update(content).digest('hex'));
  assert.equal(run(['base64 -w0 /tmp/y']).stdout, b64);
  assert.equal(run(["stat -c '%s %a %U:%G' /opt/openvidu/config/node/master_node.env"]).stdout.split(' ')[1], '600');
  run(['cp /opt/openvidu/config/node/master_node.env /tmp/plain', 'cp -p /opt/openvidu/config/node/master_node.env /tmp/kept', 'chmod --reference=/tmp/kept /tmp/y', 'mv -f /tmp/y /tmp/z']);
  assert.equal(run(["stat -c '%a' /tmp/plain /tmp/kept /tmp/z"]).stdout, '644\n600\n600\n');
  assert.equal(run(['cat /tmp/y']).exitCode, 1);
});

test('after a restart: openvidu-init crash-loops on a YAML error and says where; a bad bool in livekit.yaml reaches nodes_errors.log from each media node', () => {
  const { run, media } = setup();
  const lk = '/opt/openvidu/config/cluster/media_node/livekit.yaml';
  const original = run([`cat ${lk}`]).stdout;
  const lines = original.split('\n');
  const i = lines.findIndex((l) => l.includes('interval: 10s'));
  lines[i] = '    interval: {10s';
  run([`printf '%s' '${Buffer.from(lines.join('\n')).toString('base64')}' | base64 -d > ${lk}`, 'systemctl restart openvidu']);
  assert.match(run(["docker ps -a --format '{{.Names}}|{{.State}}'"]).stdout, /^openvidu-init\|restarting$/m);
  const log = run(['docker logs openvidu-init']).stdout;
  assert.match(log, new RegExp(`^service 'openvidu': Failed to process config file '${lk}': Errors found:\\n\\n    \\*  Error at line \\d+: `));
  // the parser notices an unclosed flow map on the edited line or the next one
  const at = Number(/Error at line (\d+)/.exec(log)?.[1]);
  assert.ok(at === i + 1 || at === i + 2, `line ${at}, edited ${i + 1}`);
  // fixed, but with a string where a bool goes: init passes, each media node fails
  const bad = original.replace('    enabled: true', '    enabled: trueee');
  run([`printf '%s' '${Buffer.from(bad).toString('base64')}' | base64 -d > ${lk}`, 'systemctl restart openvidu']);
  assert.match(run(["docker ps -a --format '{{.Names}}|{{.State}}'"]).stdout, /^openvidu-init\|exited$/m);
  const errs = run(['cat /var/log/openvidu/nodes_errors.log']).stdout;
  const line = bad.split('\n').findIndex((l) => l.includes('trueee')) + 1;
  assert.match(errs, new RegExp(`^\\[\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\] \\[ERROR\\] Error in Media Node - 10\\.0\\.2\\.7: Container 'openvidu' error:\\ncould not parse config: yaml: unmarshal errors:\\n  line ${line}: cannot unmarshal !!str \`trueee\` into bool$`, 'm'));
  assert.equal(media.services.find((s) => s.name === 'openvidu')?.state, 'restarting');
});

test('an unknown engine in openvidu.env stops openvidu-init with the line; media nodes hold only node/media_node.env', () => {
  const { run, runMedia, media } = setup();
  const f = '/opt/openvidu/config/cluster/openvidu.env';
  const text = run([`cat ${f}`]).stdout.replace('OPENVIDU_RTC_ENGINE=pion', 'OPENVIDU_RTC_ENGINE=kurento');
  run([`printf '%s' '${Buffer.from(text).toString('base64')}' | base64 -d > ${f}`, 'systemctl restart openvidu']);
  const line = text.split('\n').findIndex((l) => l.startsWith('OPENVIDU_RTC_ENGINE')) + 1;
  assert.match(run(['docker logs --tail 5 openvidu-init']).stdout, new RegExp(`Error at line ${line}: invalid value 'kurento' for OPENVIDU_RTC_ENGINE`));
  attachNodeConfig(media, { secret: {}, region: 'eu-west-1', stackName: 'demo', privateIp: '10.0.2.7', mediaNodes: () => [] }, 3_000_000);
  assert.equal(runMedia(["cd /opt/openvidu/config && find . -type f -printf '%P\\n'"]).stdout, 'node/media_node.env\n');
});

test('a string where loki.yaml wants a port: openvidu-init passes, loki crash-loops and its own docker logs say the line; fixed, it runs again', () => {
  // changing-config.md "Troubleshooting configuration" 2: other containers restarting have their own logs
  const { run } = setup();
  const f = '/opt/openvidu/config/cluster/master_node/loki.yaml';
  const original = run([`cat ${f}`]).stdout;
  const line = original.split('\n').findIndex((l) => l.includes('http_listen_port: 3100')) + 1;
  const bad = original.replace('http_listen_port: 3100', 'http_listen_port: 31OO');
  run([`printf '%s' '${Buffer.from(bad).toString('base64')}' | base64 -d > ${f}`, 'systemctl restart openvidu']);
  const ps = run(["docker ps -a --format '{{.Names}}|{{.State}}|{{.Status}}'"]).stdout;
  assert.doesNotMatch(ps, /^openvidu-init\|restarting/m);
  assert.match(ps, /^loki\|restarting\|Restarting \(1\)/m);
  assert.match(ps, /^mimir\|running\|/m);
  const log = run(['docker logs --tail 15 loki']).stdout;
  assert.match(log, new RegExp(`^failed parsing config: /etc/loki/config.yaml: yaml: unmarshal errors:\\n  line ${line}: cannot unmarshal !!str \`31OO\` into int$`, 'm'));
  // the other containers' logs are their usual ones
  assert.doesNotMatch(run(['docker logs --tail 5 mimir']).stdout, /unmarshal/);
  run([`printf '%s' '${Buffer.from(original).toString('base64')}' | base64 -d > ${f}`, 'systemctl restart openvidu']);
  assert.match(run(["docker ps -a --format '{{.Names}}|{{.State}}'"]).stdout, /^loki\|running$/m);
  assert.doesNotMatch(run(['docker logs --tail 5 loki']).stdout, /unmarshal/);
});

test('gzip -c -n: a page of a file compressed through a pipe decodes to the same bytes; a file argument too', () => {
  const { run } = setup();
  const f = '/opt/openvidu/config/cluster/media_node/livekit.yaml';
  const text = run([`cat ${f}`]).stdout;
  const page = run([`tail -c +11 ${f} | head -c 300 | gzip -c -n | base64 -w0`]).stdout;
  assert.equal(gunzipSync(Buffer.from(page, 'base64')).toString('utf8'), text.slice(10, 310));
  assert.equal(gunzipSync(Buffer.from(run([`gzip -c -n ${f} | base64 -w0`]).stdout, 'base64')).toString('utf8'), text);
  assert.match(run(['gzip -c -n /nope']).stderr, /No such file/);
});
