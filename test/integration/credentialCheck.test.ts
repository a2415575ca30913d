/**
 * The credentials check against a local stand-in for an OpenVidu cluster (127.0.0.1): it verifies the LiveKit
 * access token's HS256 signature and grant, and the OpenVidu v2 Basic auth, like the real servers do.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createTcpServer } from 'node:net';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { checkLiveKit, checkOpenViduV2, describeNetworkError } from '../../src/openvidu/credentialCheck';
import { startEmulator, Emulator } from '../emulator/server';
import { AppContext } from '../../src/features/shared/appContext';
import { CredentialsFeature } from '../../src/features/credentials/feature';
import { checkCredentials } from '../../src/features/credentials/commands/checkCredentials';

const fake = vscode as unknown as typeof import('../fakes/vscode');
const KEY = 'APIcheckKey01';
const SECRET = 'checkSecretValue-0123456789abcdef';
let server: Server;
let base: string;
let rooms = 2;
let mode: 'ok' | 'html' | '500' = 'ok';

function verifyJwt(token: string): Record<string, unknown> | undefined {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return undefined;
  const expected = createHmac('sha256', SECRET).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return undefined;
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  if (payload.iss !== KEY || typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) return undefined;
  return payload;
}

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (mode === '500') return res.writeHead(502).end('bad gateway');
      if (mode === 'html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>');
      if (req.method === 'POST' && req.url === '/twirp/livekit.RoomService/ListRooms') {
        const payload = verifyJwt((req.headers.authorization ?? '').replace(/^Bearer /, ''));
        const grant = payload?.video as { roomList?: boolean } | undefined;
        if (!payload || !grant?.roomList) return res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"unauthenticated","msg":"invalid token"}');
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ rooms: Array.from({ length: rooms }, (_, i) => ({ name: `r${i}` })) }));
      }
      if (req.method === 'GET' && req.url === '/openvidu/api/config') {
        const expected = `Basic ${Buffer.from(`OPENVIDUAPP:${SECRET}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return res.writeHead(401).end();
        return res.writeHead(200, { 'content-type': 'application/json' }).end('{"VERSION":"3.8.0"}');
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const lk = (over: Partial<{ apiKey: string; apiSecret: string; httpsUrl: string }> = {}) => ({ url: base.replace('http', 'ws'), httpsUrl: base, apiKey: KEY, apiSecret: SECRET, ...over });
const v2 = (over: Partial<{ password: string; url: string }> = {}) => ({ url: base, username: 'OPENVIDUAPP', password: SECRET, ...over });

test('LiveKit: a token signed with the right key/secret lists rooms → reachable', async () => {
  mode = 'ok';
  rooms = 2;
  const o = await checkLiveKit(lk());
  assert.equal(o.status, 'reachable');
  assert.equal(o.reason, 'API key and secret accepted; 2 rooms open.');
  assert.equal(o.url, `${base}twirp/livekit.RoomService/ListRooms`);
});

test('LiveKit: a wrong secret or key → rejected (HTTP 401); the reason has no credential', async () => {
  for (const over of [{ apiSecret: 'wrong-secret-value-xyz' }, { apiKey: 'APIother' }]) {
    const o = await checkLiveKit(lk(over));
    assert.equal(o.status, 'rejected');
    assert.equal(o.httpStatus, 401);
    assert.ok(!o.reason.includes('wrong-secret') && !o.reason.includes(SECRET));
  }
});

test('OpenVidu v2: Basic OPENVIDUAPP:<secret> → reachable with the version; wrong password → rejected', async () => {
  mode = 'ok';
  const ok = await checkOpenViduV2(v2());
  assert.equal(ok.status, 'reachable');
  assert.equal(ok.reason, 'credentials accepted (OpenVidu 3.8.0).');
  const bad = await checkOpenViduV2(v2({ password: 'nope' }));
  assert.equal(bad.status, 'rejected');
});

test('unreachable: connection refused, a non-OpenVidu answer, a 5xx, and a timeout each say why', async () => {
  const closed = createTcpServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((r) => closed.close(() => r()));
  const refused = await checkLiveKit(lk({ httpsUrl: `http://127.0.0.1:${port}/` }));
  assert.equal(refused.status, 'unreachable');
  assert.match(refused.reason, /refused the connection/);

  mode = 'html';
  assert.match((await checkLiveKit(lk())).reason, /not LiveKit JSON/);
  assert.match((await checkOpenViduV2(v2())).reason, /not OpenVidu JSON/);
  mode = '500';
  const five = await checkOpenViduV2(v2());
  assert.equal(five.status, 'unreachable');
  assert.match(five.reason, /HTTP 502/);
  mode = 'ok';

  const silent = createTcpServer(() => undefined); // accepts, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const slow = await checkOpenViduV2(v2({ url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/` }), { timeoutMs: 150 });
    assert.equal(slow.status, 'unreachable');
    assert.match(slow.reason, /no answer .* in time/);
  } finally {
    silent.close();
  }
});

test('network errors in the user terms: DNS, TLS', () => {
  assert.match(describeNetworkError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }), 'ov.example.com'), /does not resolve: point the domain/);
  assert.match(describeNetworkError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'CERT_HAS_EXPIRED' } }), 'ov.example.com'), /TLS certificate/);
});

test('the command: reads the secret from the emulator, checks both APIs, reports without secrets', async (t) => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIATESTEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-secret';
  const emu: Emulator = await startEmulator();
  fake.resetFake();
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  const app = new AppContext({} as never);
  const feature = new CredentialsFeature(app, undefined, { pollIntervalMs: 25, checkTimeoutMs: 2000 });
  t.after(async () => {
    feature.dispose();
    app.dispose();
    await emu.stop();
  });
  const name = 'openvidu-ha-eu-west-1-ov-check';
  const host = base.replace(/^http:\/\//, '').replace(/\/$/, '');
  const values = { ALL_SECRETS_GENERATED: 'true', DOMAIN_NAME: host, OPENVIDU_URL: base, LIVEKIT_URL: base.replace('http', 'ws'), LIVEKIT_API_KEY: KEY, LIVEKIT_API_SECRET: SECRET };
  const now = emu.world.now();
  emu.world.region('eu-west-1').secrets.set(name, { arn: `arn:aws:secretsmanager:eu-west-1:${emu.world.accountId}:secret:${name}-Zz0001`, name, region: 'eu-west-1', secretString: JSON.stringify(values), versionId: 'v1', createdAt: now, lastChangedAt: now, tags: {} });
  mode = 'ok';
  const outcomes = await checkCredentials(feature, { region: 'eu-west-1', summary: { stackName: 'ov-check' } });
  assert.deepEqual(outcomes?.map((o) => o.status), ['reachable', 'reachable']);
  const n = fake.recorded.notifications.at(-1)!;
  assert.equal(n.level, 'info');
  assert.match(n.message, /^ov-check: LiveKit API: reachable: .* OpenVidu v2 API: reachable: credentials accepted \(OpenVidu 3\.8\.0\)\.$/);
  const shown = JSON.stringify([fake.recorded.notifications, fake.recorded.output, fake.recorded.progress]);
  assert.ok(!shown.includes(SECRET) && !shown.includes(KEY));

  // Rotate the secret in AWS only: the servers still expect the old one → rejected, shown as a warning.
  values.LIVEKIT_API_SECRET = 'rotated-secret-value-000000000';
  emu.world.region('eu-west-1').secrets.get(name)!.secretString = JSON.stringify(values);
  const again = await checkCredentials(feature, { region: 'eu-west-1', summary: { stackName: 'ov-check' } });
  assert.deepEqual(again?.map((o) => o.status), ['rejected', 'rejected']);
  assert.equal(fake.recorded.notifications.at(-1)!.level, 'warning');
  assert.ok(!JSON.stringify(fake.recorded).includes('rotated-secret-value'));
});

test("against the emulator's cluster API: the stack's own key and secret are accepted, others rejected", async () => {
  const { createOpenViduStack } = await import('../support/openviduStack');
  const emu2 = await startEmulator();
  try {
    await createOpenViduStack(emu2, { name: 'ov-check' });
    const values = JSON.parse(emu2.world.region('eu-west-1').secrets.get('openvidu-ha-eu-west-1-ov-check')!.secretString) as Record<string, string>;
    const base2 = `${emu2.endpoint}/_cluster/eu-west-1/ov-check/`;
    const profile = { url: base2.replace('http', 'ws'), httpsUrl: base2, apiKey: values.LIVEKIT_API_KEY, apiSecret: values.LIVEKIT_API_SECRET };
    assert.equal((await checkLiveKit(profile)).status, 'reachable');
    assert.equal((await checkOpenViduV2({ url: base2, username: 'OPENVIDUAPP', password: values.LIVEKIT_API_SECRET })).status, 'reachable');
    const rejected = await checkLiveKit({ ...profile, apiSecret: 'not-the-cluster-secret-0123456789' });
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.httpStatus, 401);
    assert.equal((await checkOpenViduV2({ url: base2, username: 'OPENVIDUAPP', password: 'wrong' })).status, 'rejected');
  } finally {
    await emu2.stop();
  }
});
