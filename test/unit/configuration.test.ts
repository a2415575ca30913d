/** The configuration domain: reference data, checks with positions, hover / completion, scripts and report parsing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { REFERENCE, checkValue, lookupKey, referenceFor } from '../../src/openvidu/configReference';
import { blockingProblems, diagnoseConfig, findReferences, keyAt, keysOfEnv, parseEnvFile } from '../../src/openvidu/configCheck';
import { checkConfigPath, languageOf, parseListing } from '../../src/openvidu/configLayout';
import { commitScript, readPageScript, restoreScript, uploadChunkScript, parsePage, parseHashes, parametersBytes, COMMIT_SCRIPT_ROOM, GZ_PAGE_BYTES, SEND_COMMAND_PARAMETERS_LIMIT, WRITE_CHUNK_CHARS, READ_PAGE_BYTES } from '../../src/openvidu/configCommands';
import { interpretChecks, parseInitLog, parseNodesErrors, reportMarkdown, secretValuesOf, addContainerLogs } from '../../src/openvidu/configReport';
import { completionEntries, hoverMarkdown } from '../../src/features/configuration/languageFeatures';

test('reference: every documented key has a description; keys are unique per file; enum defaults are allowed values', () => {
  assert.deepEqual(
    REFERENCE.map((r) => r.file),
    ['openvidu.env', 'meet.env', 'v2compatibility.env', 'master_node.env', 'media_node.env', 'livekit.yaml'],
  );
  for (const r of REFERENCE) {
    const seen = new Set<string>();
    for (const k of r.keys) {
      assert.ok(k.description.length >= 10, `${r.file} ${k.key}`);
      assert.ok(!seen.has(k.key), `${r.file} ${k.key} twice`);
      seen.add(k.key);
      if (k.rule?.kind === 'enum' && k.default !== undefined) assert.ok(k.rule.values.includes(k.default), `${k.key} default`);
    }
  }
  assert.equal(lookupKey('cluster/openvidu.env', 'OPENVIDU_RTC_ENGINE')?.default, 'pion');
  assert.equal(referenceFor('cluster/media_node/livekit.yaml')?.file, 'livekit.yaml');
  assert.equal(checkValue(lookupKey('x/openvidu.env', 'OPENVIDU_RTC_ENGINE')!, 'mediasoup'), undefined);
  assert.match(checkValue(lookupKey('x/openvidu.env', 'OPENVIDU_RTC_ENGINE')!, 'kurento') ?? '', /must be "pion" or "mediasoup"/);
  assert.equal(checkValue(lookupKey('x/meet.env', 'MEET_ACCESS_TOKEN_EXPIRATION')!, '2h'), undefined);
  assert.match(checkValue(lookupKey('x/meet.env', 'SERVER_TRUST_PROXY')!, 'maybe') ?? '', /number of hops/);
});

test('paths: only plain names under cluster/ or node/ reach a remote command', () => {
  assert.equal(checkConfigPath('/cluster/media_node/livekit.yaml'), 'cluster/media_node/livekit.yaml');
  for (const bad of ['../etc/passwd', 'cluster/../../etc/shadow', "cluster/a'b.env", 'cluster/$(reboot).env', 'etc/hosts', 'cluster/a b.env', 'cluster']) {
    assert.throws(() => checkConfigPath(bad), /ConfigPathError|not under|characters|not a configuration/, bad);
  }
  assert.equal(languageOf('node/master_node.env'), 'properties');
  assert.equal(languageOf('cluster/media_node/livekit.yaml'), 'yaml');
  assert.deepEqual(parseListing("12\tcluster/openvidu.env\n5\tcluster/x'y.env\n7\tnode/master_node.env\n"), [
    { path: 'cluster/openvidu.env', size: 12 },
    { path: 'node/master_node.env', size: 7 },
  ]);
});

test('env checks: KEY=value lines, with line and column; unterminated quotes; duplicates; unknown keys; bad values', () => {
  const { entries, errors } = parseEnvFile('# c\nA=1\n  bad line\nB C=2\nD="open\n');
  assert.deepEqual(entries.map((e) => e.key), ['A']);
  assert.deepEqual(errors.map((e) => [e.line, e.column]), [[2, 2], [3, 1], [4, 2]]);
  assert.match(errors[0].message, /^Line 3, column 3: this line is not a KEY=value line/);
  const d = diagnoseConfig('cluster/openvidu.env', 'DOMAIN_NAME=a\nOPENVIDU_RTC_ENGINE=kurento\nDOMIAN_NAME=b\nDOMAIN_NAME=c\n');
  assert.deepEqual(d.map((x) => [x.code, x.severity, x.line]), [
    ['value', 'warning', 1],
    ['unknown-key', 'warning', 2],
    ['syntax', 'warning', 3],
  ]);
  assert.equal(blockingProblems(d).length, 0, 'a bad value does not block the save: openvidu-init reports it');
  // node files' reference is partial: unknown keys are only informational
  assert.equal(diagnoseConfig('node/master_node.env', 'PRIVATE_IP=1\n')[0].severity, 'info');
});

test('YAML checks: syntax errors with line and column block the save; livekit.yaml openvidu: keys and values', () => {
  const broken = diagnoseConfig('cluster/media_node/egress.yaml', 'a: 1\nb: [1\n');
  assert.equal(broken[0].severity, 'error');
  assert.match(broken[0].message, /^Line \d+, column \d+: /);
  const lk = diagnoseConfig('cluster/media_node/livekit.yaml', 'port: 7880\nopenvidu:\n  rtc:\n    engine: kurento\n  analitics:\n    enabled: true\n');
  assert.deepEqual(lk.map((x) => [x.code, x.line, x.column]), [
    ['value', 3, 12],
    ['unknown-key', 4, 2],
  ]);
  assert.match(lk[0].message, /openvidu\.rtc\.engine must be "pion" or "mediasoup"/);
});

test('references: ${openvidu.KEY} naming no key of openvidu.env is a warning naming the file that should define it', () => {
  assert.deepEqual(findReferences('a: ${openvidu.DOMAIN_NAME} ${master_node.X}').map((r) => [r.scope, r.key, r.column]), [
    ['openvidu', 'DOMAIN_NAME', 3],
    ['master_node', 'X', 27],
  ]);
  const known = { openvidu: keysOfEnv('DOMAIN_NAME=x\n'), master_node: keysOfEnv('PRIVATE_IP=1\n') };
  const d = diagnoseConfig('cluster/media_node/egress.yaml', 'a: ${openvidu.DOMAIN_NAME}\nb: ${openvidu.DOMAIN}\nc: ${media_node.Z}\n', known);
  assert.equal(d.length, 1);
  assert.match(d[0].message, /\$\{openvidu\.DOMAIN\} names a key that cluster\/openvidu\.env does not define/);
});

test('hover and completion from the reference', () => {
  const env = 'DOMAIN_NAME=x\nOPENVIDU_RTC_ENGINE=pion\n';
  assert.match(hoverMarkdown('cluster/openvidu.env', env, 1, 5) ?? '', /\*\*OPENVIDU_RTC_ENGINE\*\* _\(PRO\)_[\s\S]*Default: `pion`[\s\S]*Values: `pion`, `mediasoup`/);
  assert.equal(hoverMarkdown('cluster/openvidu.env', env, 1, 22), undefined, 'on the value, not the key');
  assert.match(hoverMarkdown('cluster/openvidu.env', 'LIVEKIT_API_SECRET=s\n', 0, 2) ?? '', /never shown in reports/);
  const lk = 'openvidu:\n  rtc:\n    engine: pion\n';
  assert.deepEqual(keyAt('cluster/media_node/livekit.yaml', lk, 2, 5), { key: 'rtc.engine', start: 4, end: 10 });
  assert.match(hoverMarkdown('cluster/media_node/livekit.yaml', lk, 2, 5) ?? '', /rtc\.engine/);
  const c = completionEntries('cluster/openvidu.env', `${env}\n`, 2).map((e) => e.label);
  assert.ok(c.includes('LIVEKIT_API_KEY') && !c.includes('DOMAIN_NAME'));
  assert.deepEqual(completionEntries('cluster/media_node/livekit.yaml', 'openvidu:\n  mediasoup:\n    \n', 2).map((e) => e.label), ['debug', 'log_level', 'log_tags']);
  assert.deepEqual(completionEntries('cluster/media_node/caddy.yaml', 'a: 1\n', 0), []);
});

test('scripts: validated, quoted, within SSM limits', () => {
  const page = readPageScript('cluster/openvidu.env', READ_PAGE_BYTES);
  assert.ok(page.includes("f='/opt/openvidu/config/cluster/openvidu.env'"));
  assert.ok(page.some((l) => l.startsWith(`tail -c +${READ_PAGE_BYTES + 1} "$f" | head -c ${READ_PAGE_BYTES} | base64 -w0`)));
  // a full page in base64 plus the header fits in GetCommandInvocation's 24,000 characters
  assert.ok(Math.ceil(READ_PAGE_BYTES / 3) * 4 + 200 < 24_000);
  assert.throws(() => uploadChunkScript('abcdefgh', 0, "AAAA'; reboot; '"), /bad upload chunk/);
  assert.throws(() => uploadChunkScript('abcdefgh', 0, 'A'.repeat(WRITE_CHUNK_CHARS + 4)), /bad upload chunk/);
  const h = 'a'.repeat(64);
  const commit = commitScript({ rel: 'cluster/openvidu.env', id: 'abcdefgh', baseSha256: h, newSha256: h, stamp: '20261201T040703Z', inlineChunk: 'QQ==' });
  // a full chunk with the commit script around it fits SendCommand's 64 KB, for the layout's paths and the longest
  // path checkConfigPath accepts (6 segments of 128 characters)
  const longest = ['cluster', ...Array.from({ length: 5 }, (_, i) => `${i}${'x'.repeat(127)}`)].join('/');
  for (const rel of ['cluster/openvidu.env', longest]) {
    const full = commitScript({ rel, id: 'abcdefgh', baseSha256: h, newSha256: h, stamp: '20261201T040703Z', inlineChunk: 'A'.repeat(WRITE_CHUNK_CHARS) });
    assert.ok(parametersBytes(full) <= SEND_COMMAND_PARAMETERS_LIMIT, `${rel.length}: ${parametersBytes(full)}`);
    assert.ok(parametersBytes(full) - WRITE_CHUNK_CHARS < COMMIT_SCRIPT_ROOM);
  }
  assert.equal(SEND_COMMAND_PARAMETERS_LIMIT, 64 * 1024);
  assert.equal(WRITE_CHUNK_CHARS % 4, 0);
  assert.ok(commit.indexOf('mv -f "$t" "$f"') > commit.indexOf("cp -p \"$f\" '/var/backups/openvidu-config/cluster/openvidu.env.20261201T040703Z'"));
  assert.throws(() => commitScript({ rel: 'cluster/openvidu.env', id: 'abcdefgh', baseSha256: 'x', newSha256: h, stamp: '20261201T040703Z' }), /bad hash/);
  assert.throws(() => restoreScript('cluster/openvidu.env', '/var/backups/openvidu-config/cluster/meet.env.20261201T040703Z', '20261201T040704Z'), /is not a backup of/);
  assert.deepEqual(parsePage(`934 644 root:root\n${'b'.repeat(64)}  /opt/x\nQUJD`).data.toString(), 'ABC');
  // compressed pages: up to 64 KiB through gzip; a cut one throws (the reader falls back to plain pages)
  assert.ok(readPageScript('cluster/openvidu.env', 0, GZ_PAGE_BYTES, true).at(-1)?.endsWith(`| head -c ${GZ_PAGE_BYTES} | gzip -c -n | base64 -w0`));
  assert.throws(() => readPageScript('cluster/openvidu.env', 0, GZ_PAGE_BYTES));
  const gz = gzipSync(Buffer.from('KEY=value\n')).toString('base64');
  assert.equal(parsePage(`10 644 root:root\n${'b'.repeat(64)}  /opt/x\n${gz}`, true).data.toString(), 'KEY=value\n');
  assert.throws(() => parsePage(`10 644 root:root\n${'b'.repeat(64)}  /opt/x\n${gz.slice(0, 12)}`, true));
  assert.deepEqual([...parseHashes(`${h}  cluster/a.env\n${'c'.repeat(64)}  ./cluster/b.yaml\n`).keys()], ['cluster/a.env', 'cluster/b.yaml']);
});

test('report: openvidu-init and nodes_errors.log in the documented forms give file and line; secrets never in the report', () => {
  const init = "service 'openvidu': Failed to process config file '/opt/openvidu/config/cluster/media_node/livekit.yaml': Errors found:\n\n    *  Error at line 18: Unmatched opening brace at position 7\n";
  assert.deepEqual(parseInitLog(init + init), [{ source: 'openvidu-init', where: 'openvidu-init', message: 'Unmatched opening brace at position 7', file: 'cluster/media_node/livekit.yaml', line: 18 }]);
  const errs =
    "[2024-10-09T05:54:29Z] [ERROR] Error in Media Node - 10.5.0.5: Container 'openvidu' error:\ncould not parse config: yaml: unmarshal errors:\n  line 17: cannot unmarshal !!str `trueee` into bool\n\n[2024-10-09T05:54:29Z] [ERROR] Error in Media Node - 10.5.0.4: Container 'openvidu' error:\ncould not parse config: yaml: unmarshal errors:\n  line 17: cannot unmarshal !!str `trueee` into bool\n";
  const p = parseNodesErrors(errs);
  assert.deepEqual(p.map((x) => [x.where, x.file, x.line]), [
    ['Media Node 10.5.0.5 (openvidu)', 'cluster/media_node/livekit.yaml', 17],
    ['Media Node 10.5.0.4 (openvidu)', 'cluster/media_node/livekit.yaml', 17],
  ]);
  const ok = interpretChecks('----- ovha:active\nactive\n----- ovha:containers\ncaddy|running|Up 5 seconds\nopenvidu-init|exited|Exited (0)\n----- ovha:init\n----- ovha:nodes_errors\n----- ovha:end\n');
  assert.equal(ok.outcome, 'applied');
  const bad = interpretChecks(`----- ovha:active\nactive\n----- ovha:containers\nopenvidu-init|restarting|Restarting (1) 2 seconds ago\nloki|restarting|Restarting (1)\n----- ovha:init\n${init}----- ovha:nodes_errors\n----- ovha:end\n`);
  assert.equal(bad.outcome, 'failed');
  assert.deepEqual(bad.problems.map((x) => x.source), ['openvidu-init', 'container']);
  const secrets = secretValuesOf('LIVEKIT_API_SECRET=verysecret\nDOMAIN_NAME=example.com\n');
  assert.deepEqual(secrets, ['verysecret']);
  bad.problems[1].message = 'loki keeps restarting: auth verysecret refused';
  assert.ok(!reportMarkdown('t', bad, secrets).includes('verysecret'));
});

test('report: another restarting container gets its own log lines once each, and the file it reads at the line its log names', () => {
  const report = interpretChecks('----- ovha:active\nactive\n----- ovha:containers\nloki|restarting|Restarting (1) 2 seconds ago\nmimir|running|Up 1 minute\nredis-server|restarting|Restarting (1)\n----- ovha:init\n----- ovha:nodes_errors\n----- ovha:end\n');
  assert.deepEqual(report.restarting, ['loki', 'redis-server']);
  const loki = 'failed parsing config: /etc/loki/config.yaml: yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `31OO` into int\n';
  addContainerLogs(report, `----- ovha:logs loki\n${loki}${loki}${loki}----- ovha:logs redis-server\n1:M 02 Dec 2026 00:01:02.003 # Fatal error, can't open config file\n`);
  const [l, r] = report.problems;
  assert.deepEqual([l.where, l.file, l.line], ['loki', 'cluster/master_node/loki.yaml', 3]);
  assert.equal(l.message, `loki keeps restarting. Its log (docker logs loki):\n${loki.trimEnd()}`);
  // no "line N:" in its log: the file it reads, without a line
  assert.deepEqual([r.where, r.file, r.line], ['redis-server', 'cluster/master_node/redis.env', undefined]);
  assert.match(reportMarkdown('t', report), /\*\*loki\*\* — `cluster\/master_node\/loki\.yaml` line 3: loki keeps restarting/);
});
