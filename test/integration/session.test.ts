import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startEmulator, Emulator } from '../emulator/server';
import { AwsSession, defaultRegion, listProfiles, resolveRegions } from '../../src/aws/session';
import { describeAwsError } from '../../src/aws/errors';

let emu: Emulator;
let dir: string;
const saved = { ...process.env };

before(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'ovha-session-'));
  writeFileSync(
    join(dir, 'config'),
    ['[default]', 'region = ap-south-1', '', '[profile emu]', 'region = eu-west-1', '', '[profile sso-dev]', 'sso_session = corp', 'region = us-west-2', '# a comment', ''].join('\n'),
  );
  writeFileSync(join(dir, 'credentials'), ['[emu]', 'aws_access_key_id = AKIAEMUPROFILE00001', 'aws_secret_access_key = emu-secret', ''].join('\n'));
  for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION']) delete process.env[k];
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
});
after(async () => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
  await emu.stop();
});

test('a profile from the shared credentials file signs real SDK calls to the configured endpoint', async () => {
  const session = new AwsSession({ profile: 'emu', region: 'eu-west-1', endpoint: emu.endpoint });
  const sts = await session.sts();
  const id = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(id.Account, '123456789012');
  // The emulator derives the user id from the access key that signed the request.
  assert.match(id.UserId ?? '', /^AIDAAKIAEMUPROFILE/);
  assert.equal(emu.requests.filter('sts:GetCallerIdentity').at(-1)?.region, 'eu-west-1');
});

test('clients are created on first use only, once per kind, and other regions share the credentials', async () => {
  const session = new AwsSession({ region: 'eu-west-1', endpoint: emu.endpoint, credentials: { accessKeyId: 'AKIAX', secretAccessKey: 'y' } });
  assert.deepEqual(session.createdClients(), []);
  const a = await session.cloudFormation();
  const b = await session.cloudFormation();
  assert.equal(a, b);
  assert.deepEqual(session.createdClients(), ['cloudformation']);
  const other = session.forRegion('us-east-1');
  assert.equal(other.region, 'us-east-1');
  assert.equal(other.endpoint, emu.endpoint);
  assert.equal(session.forRegion('eu-west-1'), session);
  const cfg = session.clientConfig();
  assert.equal(cfg.retryMode, 'standard');
  assert.equal(cfg.maxAttempts, 3);
});

test('an empty endpoint means AWS itself (no endpoint override)', () => {
  const session = new AwsSession({ region: 'eu-west-1', endpoint: '  ' });
  assert.equal(session.clientConfig().endpoint, undefined);
});

test('a profile that does not exist fails with one clear message naming it and the fix', async () => {
  const session = new AwsSession({ profile: 'nope', region: 'eu-west-1', endpoint: emu.endpoint });
  const sts = await session.sts();
  const before = emu.requests.count();
  const error = await sts.send(new GetCallerIdentityCommand({})).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error, 'expected a credentials error');
  const problem = describeAwsError(error, { profile: 'nope' });
  assert.equal(problem.kind, 'credentials');
  assert.match(problem.message, /profile "nope"/);
  assert.match(problem.fix ?? '', /aws configure --profile nope/);
  assert.equal(emu.requests.count(), before, 'nothing reached AWS');
});

test('regions: the setting (valid entries only), else AWS_REGION, else the profile region, else us-east-1', async () => {
  assert.deepEqual(await resolveRegions(['eu-west-1', 'not a region', 'eu-west-1', 'us-east-1'], undefined), ['eu-west-1', 'us-east-1']);
  assert.deepEqual(await resolveRegions([], 'emu', { ...process.env, AWS_REGION: 'ca-central-1' }), ['ca-central-1']);
  assert.equal(await defaultRegion('emu'), 'eu-west-1');
  assert.equal(await defaultRegion('sso-dev'), 'us-west-2');
  assert.equal(await defaultRegion(undefined), 'ap-south-1');
  assert.equal(await defaultRegion('missing', { AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') }), 'us-east-1');
});

test('profiles are listed from both shared files', async () => {
  assert.deepEqual(await listProfiles(), ['default', 'emu', 'sso-dev']);
});
