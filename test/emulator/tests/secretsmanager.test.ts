/** Secrets Manager against the emulator through the real @aws-sdk/client-secrets-manager. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  SecretsManagerClient,
  GetSecretValueCommand,
  DescribeSecretCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  CreateSecretCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-secrets-manager';
import { startEmulator, Emulator } from '../server';
import { putSecret } from '../services/secretsmanager';
import { clientConfig } from '../clientConfig';

const REGION = 'eu-west-1';
let emu: Emulator;
let sm: SecretsManagerClient;

const pending = JSON.stringify({ DOMAIN_NAME: 'none', LIVEKIT_API_KEY: 'none', LIVEKIT_API_SECRET: 'none', ALL_SECRETS_GENERATED: 'false' });

before(async () => {
  emu = await startEmulator();
  sm = new SecretsManagerClient(clientConfig(emu, REGION));
  const r = emu.world.region(REGION);
  putSecret(emu.world, r, 'openvidu-ha-eu-west-1-demo', pending, { description: 'OpenVidu HA shared info', tags: { 'aws:cloudformation:stack-name': 'demo' } });
  for (let i = 0; i < 5; i++) putSecret(emu.world, r, `app/other-${i}`, '{}');
});
after(async () => {
  sm.destroy();
  await emu.stop();
});

test('GetSecretValue by name and by ARN (full and partial)', async () => {
  const byName = await sm.send(new GetSecretValueCommand({ SecretId: 'openvidu-ha-eu-west-1-demo' }));
  assert.equal(byName.Name, 'openvidu-ha-eu-west-1-demo');
  assert.deepEqual(JSON.parse(byName.SecretString!), JSON.parse(pending));
  assert.deepEqual(byName.VersionStages, ['AWSCURRENT']);
  assert.ok(byName.CreatedDate instanceof Date);
  assert.match(byName.ARN!, /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:openvidu-ha-eu-west-1-demo-[A-Za-z0-9]{6}$/);
  const byArn = await sm.send(new GetSecretValueCommand({ SecretId: byName.ARN }));
  assert.equal(byArn.SecretString, byName.SecretString);
  const partial = await sm.send(new GetSecretValueCommand({ SecretId: byName.ARN!.slice(0, -7) }));
  assert.equal(partial.Name, byName.Name);
});

test('a missing secret is ResourceNotFoundException with AWS’s message', async () => {
  await assert.rejects(sm.send(new GetSecretValueCommand({ SecretId: 'openvidu-ha-eu-west-1-nope' })), (e: Error) => {
    assert.ok(e instanceof ResourceNotFoundException);
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.equal(e.message, "Secrets Manager can't find the specified secret.");
    return true;
  });
  await assert.rejects(sm.send(new DescribeSecretCommand({ SecretId: 'nope' })), (e: Error) => e.name === 'ResourceNotFoundException');
  // the same secret name in another region does not exist there
  const other = new SecretsManagerClient(clientConfig(emu, 'us-east-1'));
  await assert.rejects(other.send(new GetSecretValueCommand({ SecretId: 'openvidu-ha-eu-west-1-demo' })), (e: Error) => e.name === 'ResourceNotFoundException');
  other.destroy();
});

test('DescribeSecret gives metadata (tags, dates, version stages) and no value', async () => {
  const d = await sm.send(new DescribeSecretCommand({ SecretId: 'openvidu-ha-eu-west-1-demo' }));
  assert.equal(d.Name, 'openvidu-ha-eu-west-1-demo');
  assert.equal(d.Description, 'OpenVidu HA shared info');
  assert.deepEqual(d.Tags, [{ Key: 'aws:cloudformation:stack-name', Value: 'demo' }]);
  assert.ok(d.LastChangedDate instanceof Date);
  assert.deepEqual(Object.values(d.VersionIdsToStages ?? {}), [['AWSCURRENT']]);
  assert.equal((d as unknown as Record<string, unknown>).SecretString, undefined);
});

test('ListSecrets: name filter (prefix) and pagination', async () => {
  const f = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['openvidu-ha-'] }] }));
  assert.deepEqual(f.SecretList?.map((s) => s.Name), ['openvidu-ha-eu-west-1-demo']);
  const neg = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['!openvidu'] }] }));
  assert.equal(neg.SecretList?.length, 5);
  const names: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const p = await sm.send(new ListSecretsCommand({ MaxResults: 2, NextToken: token }));
    names.push(...(p.SecretList ?? []).map((s) => s.Name!));
    token = p.NextToken;
    pages++;
  } while (token);
  assert.equal(pages, 3);
  assert.equal(new Set(names).size, 6);
  await assert.rejects(sm.send(new ListSecretsCommand({ Filters: [{ Key: 'bogus' as 'name', Values: ['x'] }] })), (e: Error) => e.name === 'ValidationException');
});

test('PutSecretValue replaces the value with a new version (the secret turning from none to generated)', async () => {
  const before = await sm.send(new GetSecretValueCommand({ SecretId: 'openvidu-ha-eu-west-1-demo' }));
  const generated = JSON.stringify({ DOMAIN_NAME: 'openvidu.example.com', LIVEKIT_API_KEY: 'APIabc', LIVEKIT_API_SECRET: 's3cr3t', ALL_SECRETS_GENERATED: 'true' });
  const put = await sm.send(new PutSecretValueCommand({ SecretId: 'openvidu-ha-eu-west-1-demo', SecretString: generated }));
  assert.deepEqual(put.VersionStages, ['AWSCURRENT']);
  assert.notEqual(put.VersionId, before.VersionId);
  const after = await sm.send(new GetSecretValueCommand({ SecretId: 'openvidu-ha-eu-west-1-demo' }));
  assert.equal(JSON.parse(after.SecretString!).ALL_SECRETS_GENERATED, 'true');
  assert.equal(after.VersionId, put.VersionId);
});

test('CreateSecret (sandbox) and ResourceExistsException', async () => {
  const c = await sm.send(new CreateSecretCommand({ Name: 'sandbox/new', SecretString: '{"a":"1"}' }));
  assert.equal(c.Name, 'sandbox/new');
  await assert.rejects(sm.send(new CreateSecretCommand({ Name: 'sandbox/new', SecretString: '{}' })), (e: Error) => e.name === 'ResourceExistsException');
});
