import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startEmulator, Emulator } from '../emulator/server';
import { AwsSession, defaultRegion, listProfiles, profileUsesMfa, resolveRegions } from '../../src/aws/session';
import { describeAwsError } from '../../src/aws/errors';
import * as vscode from 'vscode';
import { AppContext } from '../../src/features/shared/appContext';
import { mfaCodeProblem } from '../../src/features/shared/mfaPrompt';

const fake = vscode as unknown as typeof import('../fakes/vscode');

let emu: Emulator;
let dir: string;
const saved = { ...process.env };

before(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'ovha-session-'));
  writeFileSync(
    join(dir, 'config'),
    [
      '[default]', 'region = ap-south-1', '', '[profile emu]', 'region = eu-west-1', '', '[profile sso-dev]', 'sso_session = corp', 'region = us-west-2', '# a comment', '',
      '[profile ops-mfa]', 'role_arn = arn:aws:iam::123456789012:role/openvidu-ops', 'source_profile = emu', 'mfa_serial = arn:aws:iam::123456789012:mfa/alice', 'region = eu-west-1', '',
    ].join('\n'),
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
  assert.deepEqual(await listProfiles(), ['default', 'emu', 'ops-mfa', 'sso-dev']);
});

test('a profile with mfa_serial assumes its role with the code asked once per session, shared by every region', async () => {
  const asked: string[] = [];
  const session = new AwsSession({
    profile: 'ops-mfa',
    region: 'eu-west-1',
    endpoint: emu.endpoint,
    mfaCodeProvider: async (serial) => {
      asked.push(serial);
      return '123456';
    },
  });
  emu.requests.clear();
  const id = await (await session.sts()).send(new GetCallerIdentityCommand({}));
  assert.match(id.Arn ?? '', /^arn:aws:sts::123456789012:assumed-role\/openvidu-ops\//);
  const other = await (await session.forRegion('us-east-1').sts()).send(new GetCallerIdentityCommand({}));
  assert.equal(other.Arn, id.Arn);
  assert.deepEqual(asked, ['arn:aws:iam::123456789012:mfa/alice'], 'asked once, with the device of the profile');
  const assume = emu.requests.filter('sts:AssumeRole');
  assert.equal(assume.length, 1);
  assert.equal(assume[0].params.SerialNumber, 'arn:aws:iam::123456789012:mfa/alice');
  assert.equal(assume[0].params.TokenCode, '123456');
  assert.equal(await profileUsesMfa('ops-mfa'), true);
  assert.equal(await profileUsesMfa('emu'), false);
});

test('a wrong MFA code is AWS\'s AccessDenied; no callback is a clear "enter the code" sentence, not the SDK\'s', async () => {
  const wrong = new AwsSession({ profile: 'ops-mfa', region: 'eu-west-1', endpoint: emu.endpoint, mfaCodeProvider: async () => '000000' });
  const e1 = await (await wrong.sts()).send(new GetCallerIdentityCommand({})).then(() => undefined, (e: unknown) => e);
  assert.match(String((e1 as Error)?.message), /MultiFactorAuthentication failed/);
  const none = new AwsSession({ profile: 'ops-mfa', region: 'eu-west-1', endpoint: emu.endpoint });
  const e2 = await (await none.sts()).send(new GetCallerIdentityCommand({})).then(() => undefined, (e: unknown) => e);
  const problem = describeAwsError(e2, { profile: 'ops-mfa' });
  assert.equal(problem.kind, 'mfa');
  assert.equal(problem.message, 'Profile "ops-mfa" requires an MFA code and none was entered.');
});

test('an expired session token of an MFA profile says to refresh and enter a new code', () => {
  for (const code of ['ExpiredToken', 'ExpiredTokenException']) {
    const p = describeAwsError({ name: code, message: 'The security token included in the request is expired' }, { profile: 'ops-mfa', mfa: true });
    assert.equal(p.kind, 'expired');
    assert.equal(p.message, 'The AWS security token has expired.');
    assert.match(p.fix ?? '', /enter a new MFA code/);
  }
});

test('the extension asks for the MFA code in an input box (6 digits) once, and every region uses the assumed role', async () => {
  fake.resetFake();
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  fake.setSetting('openviduHa.profile', 'ops-mfa');
  const app = new AppContext({} as never);
  try {
    fake.answers.inputBox.push('654321');
    const a = await (await app.session('eu-west-1').sts()).send(new GetCallerIdentityCommand({}));
    const b = await (await app.session('us-east-1').sts()).send(new GetCallerIdentityCommand({}));
    assert.match(a.Arn ?? '', /assumed-role\/openvidu-ops\//);
    assert.equal(b.Arn, a.Arn);
    const prompts = fake.recorded.prompts.filter((p) => p.kind === 'input');
    assert.equal(prompts.length, 1, 'one prompt for the session');
    assert.equal(mfaCodeProblem('654321'), null);
    for (const bad of ['12345', '1234567', '12a456', '']) assert.match(mfaCodeProblem(bad) ?? '', /6 digits/);
    // Dismissing the box (a new session after a settings change) is a clear error, not the SDK's.
    app.resetSessions();
    const e = await (await app.session('eu-west-1').sts()).send(new GetCallerIdentityCommand({})).then(() => undefined, (x: unknown) => x);
    assert.match(app.describeError(e), /requires an MFA code and none was entered\. Refresh and enter the 6-digit code/);
  } finally {
    app.dispose();
    fake.setSetting('openviduHa.profile', '');
  }
});
