/**
 * Credentials commands against the emulator: secrets put straight into the simulated account, read through the
 * real Secrets Manager / CloudFormation SDK clients of an AwsSession, glue run with the fake vscode module.
 * Every test checks that no secret value reached a notification, the output channel, a progress message or a
 * visible quick-pick field.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as dotenvParse } from 'dotenv';
import type { Emulator } from '../emulator/server';
import { startTestbed } from '../support/testbed';
import type { Secret } from '../emulator/world';
import { createOpenViduStack } from '../support/openviduStack';
import type { AppContext } from '../../src/features/shared/appContext';
import { CredentialsFeature, type StackRef } from '../../src/features/credentials/feature';
import { registerCredentials } from '../../src/features/credentials';
import { copyLiveKitCredentials } from '../../src/features/credentials/commands/copyLiveKitCredentials';
import { copyOpenViduV2Credentials } from '../../src/features/credentials/commands/copyOpenViduV2Credentials';
import { copyAdminCredentials } from '../../src/features/credentials/commands/copyAdminCredentials';
import { writeCredentialsToConfig, WRITE_ACTION, ADD_TO_GITIGNORE, WRITE_ANYWAY } from '../../src/features/credentials/commands/writeCredentialsToConfig';
import { WAIT_ACTION } from '../../src/features/credentials/loadCredentials';
import { readClusterSecret } from '../../src/aws/clusterSecret';
import { Commands } from '../../src/constants';
import { GroupNode, InstanceNode, RegionNode, StackNode } from '../../src/features/explorer/treeNodes';

const fake = vscode as unknown as typeof import('../fakes/vscode');
const REGION = 'eu-west-1';
let emu: Emulator;
let app: AppContext;
let feature: CredentialsFeature;
let seq = 0;

before(async () => {
  delete process.env.AWS_PROFILE;
  ({ emu, app } = await startTestbed());
  feature = new CredentialsFeature(app, undefined, { pollIntervalMs: 25 });
});
after(async () => {
  feature.dispose();
  app.dispose();
  await emu.stop();
});
beforeEach(() => {
  fake.resetFake();
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  fake.setSetting('openviduHa.regions', [REGION]);
  emu.faults.clear();
});

const KEYS_38 = [
  'OPENVIDU_URL', 'MEET_INITIAL_ADMIN_USER', 'MEET_INITIAL_ADMIN_PASSWORD', 'MEET_INITIAL_API_KEY', 'LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET',
  'DASHBOARD_URL', 'GRAFANA_URL', 'MINIO_URL', 'DOMAIN_NAME', 'OPENVIDU_PRO_LICENSE', 'OPENVIDU_RTC_ENGINE', 'REDIS_PASSWORD', 'MONGO_ADMIN_USERNAME',
  'MONGO_ADMIN_PASSWORD', 'MONGO_REPLICA_SET_KEY', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY', 'DASHBOARD_ADMIN_USERNAME', 'DASHBOARD_ADMIN_PASSWORD',
  'GRAFANA_ADMIN_USERNAME', 'GRAFANA_ADMIN_PASSWORD', 'ENABLED_MODULES', 'MASTER_NODE_1_PRIVATE_IP', 'MASTER_NODE_2_PRIVATE_IP', 'MASTER_NODE_3_PRIVATE_IP',
  'MASTER_NODE_4_PRIVATE_IP', 'OPENVIDU_VERSION', 'ALL_SECRETS_GENERATED',
];

function pendingValues(keys = KEYS_38): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, k === 'ALL_SECRETS_GENERATED' ? 'false' : 'none']));
}
function readyValues(domain: string, tag: string): Record<string, string> {
  return {
    ...pendingValues(),
    OPENVIDU_URL: `https://${domain}/`,
    LIVEKIT_URL: `wss://${domain}/`,
    DASHBOARD_URL: `https://${domain}/dashboard/`,
    GRAFANA_URL: `https://${domain}/grafana/`,
    MINIO_URL: `https://${domain}/minio-console/`,
    DOMAIN_NAME: domain,
    MEET_INITIAL_ADMIN_USER: 'admin',
    MEET_INITIAL_ADMIN_PASSWORD: `MeetPw${tag}Xq81`,
    LIVEKIT_API_KEY: `APIkey${tag}Zr5`,
    LIVEKIT_API_SECRET: `LkSecret${tag}9fQwErTy`,
    DASHBOARD_ADMIN_USERNAME: 'dashboardadmin',
    DASHBOARD_ADMIN_PASSWORD: `DashPw${tag}77aa`,
    GRAFANA_ADMIN_USERNAME: 'grafanaadmin',
    GRAFANA_ADMIN_PASSWORD: `GrafPw${tag}31bb`,
    MINIO_ACCESS_KEY: 'minioadmin',
    MINIO_SECRET_KEY: `MinioPw${tag}44cc`,
    REDIS_PASSWORD: `Redis${tag}55dd`,
    MONGO_ADMIN_USERNAME: 'mongoadmin',
    MONGO_ADMIN_PASSWORD: `Mongo${tag}66ee`,
    MONGO_REPLICA_SET_KEY: `Replica${tag}88ff`,
    OPENVIDU_PRO_LICENSE: `License${tag}99gg`,
    OPENVIDU_RTC_ENGINE: 'pion',
    ENABLED_MODULES: 'observability,openviduMeet,v2compatibility',
    MASTER_NODE_1_PRIVATE_IP: '10.0.1.10',
    MASTER_NODE_2_PRIVATE_IP: '10.0.2.10',
    MASTER_NODE_3_PRIVATE_IP: '10.0.3.10',
    MASTER_NODE_4_PRIVATE_IP: '10.0.4.10',
    OPENVIDU_VERSION: '3.8.0',
    ALL_SECRETS_GENERATED: 'true',
  };
}
/** A 3.2 template's secret: no OPENVIDU_URL / LIVEKIT_URL, no Meet; the OpenVidu Call default app instead. */
function values32(domain: string, tag: string): Record<string, string> {
  const v = readyValues(domain, tag);
  for (const k of ['OPENVIDU_URL', 'LIVEKIT_URL', 'MEET_INITIAL_ADMIN_USER', 'MEET_INITIAL_ADMIN_PASSWORD', 'MEET_INITIAL_API_KEY']) delete v[k];
  return { ...v, LIVEKIT_TURN_DOMAIN_NAME: 'none', DEFAULT_APP_USERNAME: 'calluser', DEFAULT_APP_PASSWORD: `CallPw${tag}12hh`, DEFAULT_APP_ADMIN_USERNAME: 'calladmin', DEFAULT_APP_ADMIN_PASSWORD: `CallAdm${tag}34ii`, OPENVIDU_VERSION: '3.2.0' };
}

/** Puts the secret the template would create for `stackName` straight into the simulated region. */
function putSecret(stackName: string, values: Record<string, string>): Secret {
  const region = emu.world.region(REGION);
  const name = `openvidu-ha-${REGION}-${stackName}`;
  const now = emu.world.now();
  const existing = region.secrets.get(name);
  if (existing) {
    existing.secretString = JSON.stringify(values);
    existing.versionId = `v-${++seq}`;
    existing.lastChangedAt = now;
    return existing;
  }
  const secret: Secret = {
    arn: `arn:aws:secretsmanager:${REGION}:${emu.world.accountId}:secret:${name}-Ab${String(++seq).padStart(4, '0')}`,
    name,
    region: REGION,
    secretString: JSON.stringify(values),
    versionId: `v-${seq}`,
    createdAt: now,
    lastChangedAt: now,
    tags: {},
  };
  region.secrets.set(name, secret);
  return secret;
}

const ref = (stackName: string): StackRef => ({ region: REGION, summary: { stackName } });

/** Values that must never be shown: every generated secret-like value (passwords, keys, license). */
function secretsOf(values: Record<string, string>): string[] {
  return Object.entries(values)
    .filter(([k, v]) => /SECRET|PASSWORD|API_KEY|LICENSE|REPLICA_SET_KEY|SECRET_KEY/.test(k) && v !== 'none' && v.length >= 6)
    .map(([, v]) => v);
}

function assertNothingLeaked(values: Record<string, string>): void {
  const visiblePrompts = fake.recorded.prompts.map((p) => ({
    items: (p.items ?? []).map((i) => (typeof i === 'string' ? i : { label: (i as vscode.QuickPickItem).label, description: (i as vscode.QuickPickItem).description, detail: (i as vscode.QuickPickItem).detail })),
    options: p.options && typeof p.options === 'object' ? { ...(p.options as object), validateInput: undefined } : p.options,
  }));
  const shown = JSON.stringify({ n: fake.recorded.notifications, o: fake.recorded.output, p: fake.recorded.progress, q: visiblePrompts });
  for (const s of secretsOf(values)) assert.ok(!shown.includes(s), `a secret value was shown: ${shown.slice(0, 400)}`);
}

test('a ready 3.8 secret: LiveKit API secret, URL and the .env lines are copied; nothing secret is shown', async () => {
  const values = readyValues('ov-a.example.com', 'A');
  putSecret('ov-a', values);
  fake.answers.quickPick.push('API secret');
  await copyLiveKitCredentials(feature, ref('ov-a'));
  assert.equal(fake.recorded.clipboard, values.LIVEKIT_API_SECRET);
  assert.match(fake.recorded.notifications.at(-1)!.message, /^Copied the LiveKit API secret of ov-a to the clipboard\.$/);
  const items = fake.recorded.prompts[0].items as vscode.QuickPickItem[];
  assert.deepEqual(items.map((i) => i.label), ['LiveKit URL (wss://)', 'LiveKit URL (https://)', 'API key', 'API secret', 'All three as .env lines']);
  assert.equal(items[0].description, 'wss://ov-a.example.com/');
  assert.equal(items[3].description, '••••••••');

  fake.answers.quickPick.push('LiveKit URL (wss://)');
  await copyLiveKitCredentials(feature, ref('ov-a'));
  assert.equal(fake.recorded.clipboard, 'wss://ov-a.example.com/');

  fake.answers.quickPick.push('All three as .env lines');
  await copyLiveKitCredentials(feature, ref('ov-a'));
  assert.deepEqual(dotenvParse(fake.recorded.clipboard), { LIVEKIT_URL: 'wss://ov-a.example.com/', LIVEKIT_API_KEY: values.LIVEKIT_API_KEY, LIVEKIT_API_SECRET: values.LIVEKIT_API_SECRET });
  assertNothingLeaked(values);
  // Read by name (no stack): GetSecretValue through the real client.
  assert.ok(emu.requests.filter('secretsmanager:GetSecretValue').some((r) => r.params.SecretId === `openvidu-ha-${REGION}-ov-a`));
});

test('not ready: the user is told and offered to wait; polling picks up the generated secret', async () => {
  const pending = pendingValues();
  putSecret('ov-wait', pending);
  const ready = readyValues('ov-wait.example.com', 'W');
  fake.answers.message.push(WAIT_ACTION);
  fake.answers.quickPick.push('API key');
  const polls = () => emu.requests.filter('secretsmanager:GetSecretValue').filter((r) => r.params.SecretId === `openvidu-ha-${REGION}-ov-wait`).length;
  const run = copyLiveKitCredentials(feature, ref('ov-wait'));
  // Let it poll a few times while still "none", then generate.
  for (let i = 0; i < 200 && polls() < 3; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(polls() >= 3, 'polled while not ready');
  putSecret('ov-wait', ready);
  await run;
  const warn = fake.recorded.notifications.find((n) => n.level === 'warning')!;
  assert.match(warn.message, /^ov-wait: the cluster is still generating its credentials\./);
  assert.deepEqual(warn.items, [WAIT_ACTION]);
  assert.ok(fake.recorded.progress.some((p) => /still generating/.test(JSON.stringify(p))));
  assert.equal(fake.recorded.clipboard, ready.LIVEKIT_API_KEY);
  assertNothingLeaked(ready);
});

test('not ready and the user does not wait, or cancels the wait: nothing is copied', async () => {
  putSecret('ov-never', pendingValues());
  await copyLiveKitCredentials(feature, ref('ov-never'));
  assert.equal(fake.recorded.clipboard, '');
  assert.equal(fake.recorded.prompts.length, 0, 'no quick pick before credentials exist');

  fake.answers.message.push(WAIT_ACTION);
  const run = copyOpenViduV2Credentials(feature, ref('ov-never'));
  await new Promise((r) => setTimeout(r, 80));
  fake.cancelProgress();
  await run;
  assert.equal(fake.recorded.clipboard, '');
  assert.match(fake.recorded.notifications.at(-1)!.message, /Stopped waiting for the credentials of ov-never/);
});

test('ALL_SECRETS_GENERATED true but the API secret still "none" is not ready', async () => {
  const values = { ...readyValues('ov-half.example.com', 'H'), LIVEKIT_API_SECRET: 'none' };
  putSecret('ov-half', values);
  await copyLiveKitCredentials(feature, ref('ov-half'));
  const warn = fake.recorded.notifications.find((n) => n.level === 'warning')!;
  assert.match(warn.message, /still generating.*LIVEKIT_API_SECRET/);
  assert.equal(fake.recorded.clipboard, '');
});

test('a 3.2-style secret without URL keys: URLs are derived from DOMAIN_NAME; OpenVidu v2 and admin logins work', async () => {
  const values = values32('old.example.com', 'O');
  putSecret('ov-32', values);
  const secret = await readClusterSecret(app.session(REGION), 'ov-32');
  assert.equal(secret.secretId, `openvidu-ha-${REGION}-ov-32`);
  assert.ok(!('LIVEKIT_URL' in secret.values));

  fake.answers.quickPick.push('LiveKit URL (https://)');
  await copyLiveKitCredentials(feature, ref('ov-32'));
  assert.equal(fake.recorded.clipboard, 'https://old.example.com/');

  fake.answers.quickPick.push('All as .env lines');
  await copyOpenViduV2Credentials(feature, ref('ov-32'));
  assert.deepEqual(dotenvParse(fake.recorded.clipboard), { OPENVIDU_URL: 'https://old.example.com/', OPENVIDU_SECRET: values.LIVEKIT_API_SECRET });

  fake.answers.quickPick.push('Username');
  await copyOpenViduV2Credentials(feature, ref('ov-32'));
  assert.equal(fake.recorded.clipboard, 'OPENVIDUAPP');

  fake.answers.quickPick.push('OpenVidu Call (admin): password');
  await copyAdminCredentials(feature, ref('ov-32'));
  assert.equal(fake.recorded.clipboard, values.DEFAULT_APP_ADMIN_PASSWORD);
  const adminItems = (fake.recorded.prompts.at(-1)!.items as vscode.QuickPickItem[]).map((i) => i.label);
  assert.ok(!adminItems.some((l) => l.startsWith('OpenVidu Meet')), '3.2 has no Meet');
  assert.ok(adminItems.includes('Grafana: URL'));
  assertNothingLeaked(values);
});

test('a real stack: the secret is read through the OpenViduSharedInfo physical id (its ARN); admin logins of 3.8', async () => {
  await createOpenViduStack(emu, { name: 'ov-real', mediaNodes: 1 });
  const secret = await readClusterSecret(app.session(REGION), 'ov-real');
  assert.match(secret.secretId, /^arn:aws:secretsmanager:eu-west-1:\d+:secret:openvidu-ha-eu-west-1-ov-real-/);
  assert.equal(secret.values.ALL_SECRETS_GENERATED, 'true');

  fake.answers.quickPick.push('Grafana: password');
  await copyAdminCredentials(feature, ref('ov-real'));
  assert.equal(fake.recorded.clipboard, secret.values.GRAFANA_ADMIN_PASSWORD);
  assert.match(fake.recorded.notifications.at(-1)!.message, /^Copied the Grafana password of ov-real/);
  const labels = (fake.recorded.prompts.at(-1)!.items as vscode.QuickPickItem[]).map((i) => i.label);
  for (const l of ['OpenVidu Dashboard: URL', 'OpenVidu Dashboard: user', 'OpenVidu Dashboard: password', 'Grafana: URL', 'OpenVidu Meet: password']) assert.ok(labels.includes(l), l);
  assertNothingLeaked(secret.values);
});

test('errors: no stack and no secret → one sentence, no crash; AccessDenied is explained', async () => {
  await copyLiveKitCredentials(feature, ref('ov-missing'));
  const err = fake.recorded.notifications.at(-1)!;
  assert.equal(err.level, 'error');
  assert.match(err.message, /^Could not read the credentials of ov-missing: /);

  putSecret('ov-denied', readyValues('d.example.com', 'D'));
  emu.faults.add({ service: 'secretsmanager', action: 'GetSecretValue', kind: 'error', code: 'AccessDeniedException', message: 'User is not authorized to perform secretsmanager:GetSecretValue', status: 400 });
  await copyLiveKitCredentials(feature, ref('ov-denied'));
  assert.match(fake.recorded.notifications.at(-1)!.message, /Access denied/);
  assertNothingLeaked(readyValues('d.example.com', 'D'));
});

test('clipboard: cleared after openviduHa.clearClipboardAfterSeconds if it still holds the secret; kept otherwise', async () => {
  const values = readyValues('clip.example.com', 'C');
  putSecret('ov-clip', values);
  fake.setSetting('openviduHa.clearClipboardAfterSeconds', 0.05);
  fake.answers.quickPick.push('API secret');
  await copyLiveKitCredentials(feature, ref('ov-clip'));
  assert.equal(fake.recorded.clipboard, values.LIVEKIT_API_SECRET);
  assert.match(fake.recorded.notifications.at(-1)!.message, /The clipboard will be cleared in 0\.05 s\./);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(fake.recorded.clipboard, '');

  fake.answers.quickPick.push('API secret');
  await copyLiveKitCredentials(feature, ref('ov-clip'));
  await vscode.env.clipboard.writeText('something the user copied');
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(fake.recorded.clipboard, 'something the user copied');

  // URLs are not secrets: never cleared.
  fake.answers.quickPick.push('LiveKit URL (wss://)');
  await copyLiveKitCredentials(feature, ref('ov-clip'));
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(fake.recorded.clipboard, 'wss://clip.example.com/');
});

function workspaceDir(git: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'ovha-creds-'));
  if (git) execFileSync('git', ['init', '-q', dir]);
  fake.workspace.workspaceFolders = [{ uri: fake.Uri.file(dir), name: 'app', index: 0 }];
  return dir;
}

test('write to an existing .env.local (Next.js preset): gitignore offered, diff shown, modal confirm, atomic write', async (t) => {
  const values = readyValues('w.example.com', 'N');
  putSecret('ov-write', values);
  const dir = workspaceDir(true);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const original = '# my app\r\nPORT=3000\r\nLIVEKIT_URL=wss://old.example.com\r\n# keep\r\nLIVEKIT_API_KEY=old';
  writeFileSync(join(dir, '.env.local'), original, { mode: 0o640 });
  writeFileSync(join(dir, '.env'), 'X=1\n');

  fake.answers.quickPick.push('Next.js (LiveKit)', '.env.local');
  fake.answers.message.push(ADD_TO_GITIGNORE, WRITE_ACTION);
  await writeCredentialsToConfig(feature, ref('ov-write'));

  const targets = (fake.recorded.prompts[1].items as vscode.QuickPickItem[]).map((i) => i.label);
  assert.deepEqual(targets, ['.env', '.env.local', '$(new-file) New file…']);
  const gitWarn = fake.recorded.notifications.find((n) => n.modal && /not ignored by git/.test(n.message))!;
  assert.deepEqual(gitWarn.items, [ADD_TO_GITIGNORE, WRITE_ANYWAY]);
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), '/.env.local\n');
  assert.equal(execFileSync('git', ['check-ignore', '.env.local'], { cwd: dir, encoding: 'utf8' }).trim(), '.env.local');

  const diff = fake.recorded.commands.find((c) => c.command === 'vscode.diff')!;
  assert.equal((diff.args[0] as vscode.Uri).fsPath, join(dir, '.env.local'));
  assert.equal((diff.args[1] as vscode.Uri).scheme, 'openvidu-ha-proposed');
  assert.equal(feature.proposals.has(diff.args[1] as vscode.Uri), false, 'proposal forgotten after writing');
  const confirm = fake.recorded.notifications.find((n) => n.modal && /^Write the credentials of ov-write to \.env\.local\?$/.test(n.message))!;
  assert.equal(confirm.detail, 'Changed: LIVEKIT_URL, LIVEKIT_API_KEY\nAdded: LIVEKIT_API_SECRET, NEXT_PUBLIC_LIVEKIT_URL');

  const written = readFileSync(join(dir, '.env.local'), 'utf8');
  assert.equal(
    written,
    `# my app\r\nPORT=3000\r\nLIVEKIT_URL=wss://w.example.com/\r\n# keep\r\nLIVEKIT_API_KEY=${values.LIVEKIT_API_KEY}\r\nLIVEKIT_API_SECRET=${values.LIVEKIT_API_SECRET}\r\nNEXT_PUBLIC_LIVEKIT_URL=wss://w.example.com/\r\n`,
  );
  assert.equal(statSync(join(dir, '.env.local')).mode & 0o777, 0o640, 'mode kept');
  assert.match(fake.recorded.notifications.at(-1)!.message, /^Wrote LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, NEXT_PUBLIC_LIVEKIT_URL of ov-write to \.env\.local \(2 changed, 2 added\)\.$/);
  assertNothingLeaked(values);

  // Run again: nothing to change, nothing asked.
  fake.resetFake();
  fake.setSetting('openviduHa.endpoint', emu.endpoint);
  fake.workspace.workspaceFolders = [{ uri: fake.Uri.file(dir), name: 'app', index: 0 }];
  fake.answers.quickPick.push('Next.js (LiveKit)', '.env.local');
  await writeCredentialsToConfig(feature, ref('ov-write'));
  assert.match(fake.recorded.notifications.at(-1)!.message, /already has the LIVEKIT_URL/);
});

test('write: cancelling the modal writes nothing; a tracked file is flagged', async (t) => {
  putSecret('ov-cancel', readyValues('c.example.com', 'K'));
  const dir = workspaceDir(true);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '.env'), 'OPENVIDU_URL=x\n');
  execFileSync('git', ['add', '.env'], { cwd: dir });
  fake.answers.quickPick.push('OpenVidu v2', '.env');
  fake.answers.message.push(WRITE_ANYWAY, undefined);
  await writeCredentialsToConfig(feature, ref('ov-cancel'));
  assert.ok(fake.recorded.notifications.some((n) => /is tracked by git/.test(n.message)));
  assert.equal(readFileSync(join(dir, '.env'), 'utf8'), 'OPENVIDU_URL=x\n');
  assert.equal(existsSync(join(dir, '.gitignore')), false);
});

test('write: a file open with unsaved changes is edited through the editor (undo works), not on disk', async (t) => {
  const values = readyValues('e.example.com', 'E');
  putSecret('ov-dirty', values);
  const dir = workspaceDir(false);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, '.env'), 'A=on-disk\n');
  const doc = fake.openFakeDocument(fake.Uri.file(join(dir, '.env')), 'A=unsaved edit\nB=2\n', true);
  fake.answers.quickPick.push('LiveKit', '.env');
  fake.answers.message.push(WRITE_ACTION);
  await writeCredentialsToConfig(feature, ref('ov-dirty'));
  assert.equal(readFileSync(join(dir, '.env'), 'utf8'), 'A=on-disk\n', 'disk untouched');
  assert.equal(fake.recorded.edits.length, 1);
  assert.deepEqual(dotenvParse(doc.getText()), { A: 'unsaved edit', B: '2', LIVEKIT_URL: 'wss://e.example.com/', LIVEKIT_API_KEY: values.LIVEKIT_API_KEY, LIVEKIT_API_SECRET: values.LIVEKIT_API_SECRET });
  assert.match(fake.recorded.notifications.at(-1)!.message, /open editor of \.env; it has unsaved changes/);
  assertNothingLeaked(values);
});

test('write: a new JSON file with a custom mapping under a key path; new files are owner-only', async (t) => {
  const values = readyValues('j.example.com', 'J');
  putSecret('ov-json', values);
  const dir = workspaceDir(false);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  fake.answers.quickPick.push('Custom…', '$(new-file) New file…');
  fake.answers.inputBox.push('VITE_LK_URL=livekitUrl, LK_SECRET=livekitApiSecret', 'config/livekit.json', 'app.livekit');
  fake.answers.message.push(WRITE_ACTION);
  await writeCredentialsToConfig(feature, ref('ov-json'));
  const path = join(dir, 'config', 'livekit.json');
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { app: { livekit: { VITE_LK_URL: 'wss://j.example.com/', LK_SECRET: values.LIVEKIT_API_SECRET } } });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const diff = fake.recorded.commands.find((c) => c.command === 'vscode.diff')!;
  assert.equal((diff.args[0] as vscode.Uri).scheme, 'openvidu-ha-proposed', 'a new file is compared with an empty document');
  assertNothingLeaked(values);
});

test('registerCredentials registers the four commands; they run from the command id with a stack argument', async () => {
  const values = readyValues('r.example.com', 'R');
  putSecret('ov-reg', values);
  const context = { subscriptions: [] as { dispose(): void }[] };
  const f = registerCredentials(app, context as never, undefined, { pollIntervalMs: 25 });
  fake.answers.quickPick.push('Password (OPENVIDU_SECRET)');
  await vscode.commands.executeCommand(Commands.copyOpenViduV2Credentials, ref('ov-reg'));
  assert.equal(fake.recorded.clipboard, values.LIVEKIT_API_SECRET);
  // From the palette without an explorer: no stack, nothing happens.
  await vscode.commands.executeCommand(Commands.copyAdminCredentials);
  assert.equal(fake.recorded.clipboard, values.LIVEKIT_API_SECRET);
  for (const d of context.subscriptions) d.dispose();
  assert.ok(f);
  assertNothingLeaked(values);
});

test('from the palette: the stack is picked from the explorer; a node or group row of the tree means its stack', async () => {
  const values = readyValues('p.example.com', 'P');
  putSecret('ov-pal', values);
  // real tree rows: a row means its stack through its toTarget() (src/features/explorer/target.ts)
  const stackNode = new StackNode(new RegionNode(REGION, undefined), { stackName: 'ov-pal', stackId: '', status: 'CREATE_COMPLETE' });
  const explorer = { allStacks: async () => [stackNode] };
  const f = new CredentialsFeature(app, explorer as never, { pollIntervalMs: 25 });
  fake.answers.quickPick.push('ov-pal', 'API key');
  await copyLiveKitCredentials(f);
  assert.equal(fake.recorded.clipboard, values.LIVEKIT_API_KEY);
  assert.equal((fake.recorded.prompts[0].items as vscode.QuickPickItem[])[0].description, `${REGION} · CREATE_COMPLETE`);

  const instanceRow = new InstanceNode(new GroupNode(stackNode, 'master'), { instanceId: 'i-0123456789abcdef0', role: 'master', index: 1, state: 'running' }, undefined);
  fake.answers.quickPick.push('OpenVidu URL');
  await copyOpenViduV2Credentials(f, instanceRow as never);
  assert.equal(fake.recorded.clipboard, 'https://p.example.com/');
  f.dispose();
  assertNothingLeaked(values);
});

test('no permission to describe the stack: the secret is still read by its templated name', async () => {
  const values = readyValues('n.example.com', 'Q');
  putSecret('ov-noperm', values);
  emu.faults.add({ service: 'cloudformation', action: 'DescribeStackResource', kind: 'error', code: 'AccessDenied', message: 'not authorized to perform cloudformation:DescribeStackResource', status: 403 });
  const secret = await readClusterSecret(app.session(REGION), 'ov-noperm');
  assert.equal(secret.secretId, `openvidu-ha-${REGION}-ov-noperm`);
  assert.equal(secret.values.LIVEKIT_API_KEY, values.LIVEKIT_API_KEY);
});

test('a secret deleted while in use: the user is told the stack may be gone and the tree is refreshed', async () => {
  let refreshed = 0;
  const explorer = { allStacks: async () => [], refresh: () => void refreshed++ };
  const f = new CredentialsFeature(app, explorer as never, { pollIntervalMs: 25 });
  const values = readyValues('gone.example.com', 'G');

  // Deleted for good: GetSecretValue → ResourceNotFoundException.
  const secret = putSecret('ov-gone', values);
  emu.world.region(REGION).secrets.delete(secret.name);
  await copyLiveKitCredentials(f, ref('ov-gone'));
  let err = fake.recorded.notifications.at(-1)!;
  assert.equal(err.level, 'error');
  assert.match(err.message, /^Could not read the credentials of ov-gone: its secret no longer exists, so the stack may have been deleted .*view was refreshed/);
  assert.equal(refreshed, 1);

  // Scheduled for deletion (the stack is being deleted): GetSecretValue → InvalidRequestException.
  putSecret('ov-going', values).deletedAt = emu.world.now();
  await copyAdminCredentials(f, ref('ov-going'));
  assert.match(fake.recorded.notifications.at(-1)!.message, /ov-going: its secret no longer exists/);
  assert.equal(refreshed, 2);

  // Deleted while waiting for the cluster to generate its credentials.
  const pending = putSecret('ov-waiting', pendingValues());
  emu.requests.clear();
  fake.answers.message.push(WAIT_ACTION);
  const run = copyLiveKitCredentials(f, ref('ov-waiting'));
  while (emu.requests.count('secretsmanager:GetSecretValue') < 2) await new Promise((r) => setImmediate(r));
  emu.world.region(REGION).secrets.delete(pending.name);
  await run;
  err = fake.recorded.notifications.at(-1)!;
  assert.equal(err.level, 'error');
  assert.match(err.message, /^Stopped waiting for the credentials of ov-waiting: its secret no longer exists/);
  assert.equal(refreshed, 3);
  assert.equal(fake.recorded.clipboard ?? '', '');
  f.dispose();
  assertNothingLeaked(values);
});
