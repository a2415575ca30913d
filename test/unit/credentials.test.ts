import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  credentialReadiness,
  credentialsFromSecret,
  ENV_PRESETS,
  envLines,
  envValues,
  parseCustomMapping,
  parseSecretString,
  presetById,
  type SecretValues,
} from '../../src/openvidu/credentials';
import { quoteDotenvValue } from '../../src/openvidu/dotenv';

const FIXTURES = join(__dirname, '../fixtures/templates');
const versions = readdirSync(FIXTURES)
  .map((f) => /^cf-openvidu-ha-(\d+\.\d+\.\d+)\.summary\.json$/.exec(f)?.[1])
  .filter((v): v is string => !!v)
  .sort();

function secretKeys(version: string): string[] {
  return JSON.parse(readFileSync(join(FIXTURES, `cf-openvidu-ha-${version}.summary.json`), 'utf8')).SecretKeys;
}

const DOMAIN = 'ov.example.com';
/** What master 1 writes, for the keys this version has (as the templates do: URLs only where the key exists). */
function generated(version: string, overrides: SecretValues = {}): SecretValues {
  const v: Record<string, string> = {
    OPENVIDU_URL: `https://${DOMAIN}/`,
    LIVEKIT_URL: `wss://${DOMAIN}/`,
    DASHBOARD_URL: `https://${DOMAIN}/dashboard/`,
    GRAFANA_URL: `https://${DOMAIN}/grafana/`,
    MINIO_URL: `https://${DOMAIN}/minio-console/`,
    DOMAIN_NAME: DOMAIN,
    LIVEKIT_TURN_DOMAIN_NAME: 'none',
    MEET_INITIAL_ADMIN_USER: 'admin',
    MEET_INITIAL_ADMIN_PASSWORD: 'meet-pass-1',
    MEET_INITIAL_API_KEY: 'none',
    LIVEKIT_API_KEY: 'APIkey123',
    LIVEKIT_API_SECRET: 'lk-secret-XYZ',
    DASHBOARD_ADMIN_USERNAME: 'dashboardadmin',
    DASHBOARD_ADMIN_PASSWORD: 'dash-pass',
    GRAFANA_ADMIN_USERNAME: 'grafanaadmin',
    GRAFANA_ADMIN_PASSWORD: 'graf-pass',
    DEFAULT_APP_USERNAME: 'calluser',
    DEFAULT_APP_PASSWORD: 'call-pass',
    DEFAULT_APP_ADMIN_USERNAME: 'calladmin',
    DEFAULT_APP_ADMIN_PASSWORD: 'calladmin-pass',
    MINIO_ACCESS_KEY: 'minioadmin',
    MINIO_SECRET_KEY: 'minio-pass',
    OPENVIDU_VERSION: version,
    ALL_SECRETS_GENERATED: 'true',
  };
  const out: SecretValues = {};
  for (const k of secretKeys(version)) out[k] = v[k] ?? (/PRIVATE_IP/.test(k) ? '10.0.1.5' : `gen-${k.toLowerCase()}`);
  return { ...out, ...overrides };
}
function initial(version: string): SecretValues {
  return Object.fromEntries(secretKeys(version).map((k) => [k, k === 'ALL_SECRETS_GENERATED' ? 'false' : 'none']));
}

test('fixtures cover 3.2 to 3.8', () => {
  assert.deepEqual(versions, ['3.2.0', '3.3.0', '3.4.0', '3.5.0', '3.6.0', '3.7.0', '3.8.0']);
});

for (const version of versions) {
  test(`${version}: the initial secret (all "none") is not ready and yields no credential`, () => {
    const c = credentialsFromSecret(initial(version));
    assert.equal(c.readiness.ready, false);
    assert.equal(c.readiness.flag, false);
    assert.match(c.readiness.reason ?? '', /still generating/);
    assert.equal(c.livekit, undefined);
    assert.equal(c.openviduV2, undefined);
    assert.deepEqual(c.admin, []);
    assert.ok(c.readiness.noneKeys.includes('LIVEKIT_API_SECRET'));
  });

  test(`${version}: generated secret → LiveKit, OpenVidu v2 and admin profiles; never "none"`, () => {
    const values = generated(version);
    const c = credentialsFromSecret(values);
    assert.equal(c.readiness.ready, true);
    assert.equal(c.version, version);
    assert.deepEqual(c.livekit, { url: `wss://${DOMAIN}/`, httpsUrl: `https://${DOMAIN}/`, apiKey: 'APIkey123', apiSecret: 'lk-secret-XYZ' });
    assert.deepEqual(c.openviduV2, { url: `https://${DOMAIN}/`, username: 'OPENVIDUAPP', password: 'lk-secret-XYZ' });
    const services = c.admin.map((a) => a.service);
    assert.ok(services.includes('dashboard') && services.includes('grafana'));
    const dash = c.admin.find((a) => a.service === 'dashboard')!;
    assert.deepEqual([dash.url, dash.username, dash.password], [`https://${DOMAIN}/dashboard/`, 'dashboardadmin', 'dash-pass']);
    const grafana = c.admin.find((a) => a.service === 'grafana')!;
    assert.deepEqual([grafana.url, grafana.username, grafana.password], [`https://${DOMAIN}/grafana/`, 'grafanaadmin', 'graf-pass']);
    const hasMeet = secretKeys(version).includes('MEET_INITIAL_ADMIN_USER');
    assert.equal(services.includes('meet'), hasMeet);
    assert.equal(services.includes('defaultApp'), !hasMeet, '3.2/3.3 have the OpenVidu Call default app instead of Meet');
    if (hasMeet) {
      const meet = c.admin.find((a) => a.service === 'meet')!;
      assert.deepEqual([meet.url, meet.username, meet.password, meet.apiKey], [`https://${DOMAIN}/`, 'admin', 'meet-pass-1', undefined]);
    }
    // Nothing anywhere is "none".
    const all = JSON.stringify(c.livekit) + JSON.stringify(c.openviduV2) + JSON.stringify(c.admin);
    assert.ok(!/"none"/.test(all), all);
  });
}

test('3.2/3.3 templates have no OPENVIDU_URL / LIVEKIT_URL: the URLs come from DOMAIN_NAME', () => {
  for (const version of ['3.2.0', '3.3.0']) {
    const values = generated(version);
    assert.ok(!('OPENVIDU_URL' in values) && !('LIVEKIT_URL' in values));
    const c = credentialsFromSecret(values);
    assert.equal(c.livekit?.url, `wss://${DOMAIN}/`);
    assert.equal(c.livekit?.httpsUrl, `https://${DOMAIN}/`);
    assert.equal(c.openviduV2?.url, `https://${DOMAIN}/`);
  }
});

test('URLs in the secret win over DOMAIN_NAME and get a trailing slash', () => {
  const c = credentialsFromSecret(generated('3.8.0', { LIVEKIT_URL: 'wss://lk.example.org', OPENVIDU_URL: 'https://lk.example.org' }));
  assert.equal(c.livekit?.url, 'wss://lk.example.org/');
  assert.equal(c.openviduV2?.url, 'https://lk.example.org/');
});

test('flag true but a key still "none": credentials the profile needs are not ready; optional ones are ignored', () => {
  const pending = credentialReadiness(generated('3.8.0', { LIVEKIT_API_SECRET: 'none' }));
  assert.equal(pending.ready, false);
  assert.match(pending.reason ?? '', /LIVEKIT_API_SECRET/);
  assert.ok(!(pending.reason ?? '').includes('lk-secret'));
  assert.equal(credentialsFromSecret(generated('3.8.0', { LIVEKIT_API_SECRET: 'none' })).livekit, undefined);

  // TURN domain and the Meet API key stay "none" for good when not configured; masters 2–4 fill their IP later.
  const r = credentialReadiness(generated('3.8.0', { MASTER_NODE_4_PRIVATE_IP: 'none' }));
  assert.equal(r.ready, true);
  assert.equal(r.allGenerated, false);
  assert.deepEqual(r.noneKeys.sort(), ['MASTER_NODE_4_PRIVATE_IP', 'MEET_INITIAL_API_KEY']);

  // "none" passwords are never offered.
  const c = credentialsFromSecret(generated('3.8.0', { GRAFANA_ADMIN_PASSWORD: 'none' }));
  const g = c.admin.find((a) => a.service === 'grafana')!;
  assert.equal(g.password, undefined);
  assert.equal(g.username, 'grafanaadmin');
});

test('ALL_SECRETS_GENERATED must be exactly "true"', () => {
  for (const flag of ['false', 'TRUE', 'none', '']) assert.equal(credentialReadiness(generated('3.8.0', { ALL_SECRETS_GENERATED: flag })).ready, false, flag);
  const missingFlag = generated('3.8.0');
  delete missingFlag.ALL_SECRETS_GENERATED;
  assert.equal(credentialReadiness(missingFlag).ready, false);
});

test('a Meet API key is offered when one was set', () => {
  const c = credentialsFromSecret(generated('3.8.0', { MEET_INITIAL_API_KEY: 'meet-key' }));
  assert.equal(c.admin.find((a) => a.service === 'meet')?.apiKey, 'meet-key');
});

test('parseSecretString: errors never include the text', () => {
  const s = '{"LIVEKIT_API_SECRET": "abc", broken';
  assert.throws(() => parseSecretString(s), (e: Error) => !e.message.includes('abc'));
  assert.throws(() => parseSecretString('[1]'), /not a JSON object/);
  assert.throws(() => parseSecretString(undefined));
  assert.deepEqual(parseSecretString('{"A":"x","N":3,"O":{}}'), { A: 'x', N: '3' });
});

test('presets: LiveKit, Next.js, OpenVidu v2 names and values', () => {
  const c = credentialsFromSecret(generated('3.8.0'));
  assert.deepEqual(envValues(c, presetById('livekit')!.mapping), { LIVEKIT_URL: `wss://${DOMAIN}/`, LIVEKIT_API_KEY: 'APIkey123', LIVEKIT_API_SECRET: 'lk-secret-XYZ' });
  assert.deepEqual(envValues(c, presetById('nextjs')!.mapping), {
    LIVEKIT_URL: `wss://${DOMAIN}/`,
    LIVEKIT_API_KEY: 'APIkey123',
    LIVEKIT_API_SECRET: 'lk-secret-XYZ',
    NEXT_PUBLIC_LIVEKIT_URL: `wss://${DOMAIN}/`,
  });
  assert.deepEqual(envValues(c, presetById('openviduV2')!.mapping), { OPENVIDU_URL: `https://${DOMAIN}/`, OPENVIDU_SECRET: 'lk-secret-XYZ' });
  assert.deepEqual(
    ENV_PRESETS.map((p) => p.id),
    ['livekit', 'nextjs', 'openviduV2'],
  );
});

test('presets on a cluster that is not ready throw, naming variables but no value', () => {
  const c = credentialsFromSecret(initial('3.8.0'));
  assert.throws(() => envValues(c, presetById('livekit')!.mapping), /LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET/);
});

test('custom mapping: NAME=source pairs, validated', () => {
  assert.deepEqual(parseCustomMapping('VITE_LK_URL=livekitUrl, LK_KEY = livekitApiKey\nLK_SECRET=livekitApiSecret').mapping, {
    VITE_LK_URL: 'livekitUrl',
    LK_KEY: 'livekitApiKey',
    LK_SECRET: 'livekitApiSecret',
  });
  assert.match(parseCustomMapping('A=nope').error ?? '', /Unknown source/);
  assert.match(parseCustomMapping('bad pair').error ?? '', /not NAME=source/);
  assert.match(parseCustomMapping('  ').error ?? '', /at least one/);
  const c = credentialsFromSecret(generated('3.8.0'));
  assert.deepEqual(envValues(c, parseCustomMapping('OV=openviduUrl,U=openviduUsername,P=openviduSecret,H=livekitHttpsUrl').mapping!), {
    OV: `https://${DOMAIN}/`,
    U: 'OPENVIDUAPP',
    P: 'lk-secret-XYZ',
    H: `https://${DOMAIN}/`,
  });
});

test('envLines: KEY=value lines with dotenv quoting', () => {
  assert.equal(envLines({ A: 'x', B: 'a b' }, quoteDotenvValue), 'A=x\nB="a b"\n');
});
