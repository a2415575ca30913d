import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { startEmulator, Emulator } from '../emulator/server';
import { clientConfig } from './helpers';

let emu: Emulator;
before(async () => {
  emu = await startEmulator();
});
after(async () => {
  await emu.stop();
});

test('STS GetCallerIdentity answers through the real SDK client', async () => {
  const sts = new STSClient(clientConfig(emu));
  const id = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(id.Account, '123456789012');
  assert.match(id.Arn ?? '', /^arn:aws:iam::123456789012:/);
  assert.equal(emu.requests.count('sts:GetCallerIdentity'), 1);
});

test('an injected throttle is retried through by the SDK (standard retry mode)', async () => {
  const sts = new STSClient({ ...clientConfig(emu), maxAttempts: 3 });
  emu.requests.clear();
  emu.faults.add({ service: 'sts', kind: 'throttle', count: 2 });
  const id = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(id.Account, '123456789012');
  const log = emu.requests.filter('sts:GetCallerIdentity');
  assert.deepEqual(log.map((e) => e.errorCode ?? 'ok'), ['Throttling', 'Throttling', 'ok']);
});

test('an expired token surfaces as the SDK error class ExpiredToken, not retried', async () => {
  const sts = new STSClient(clientConfig(emu));
  emu.requests.clear();
  emu.faults.add({ service: 'sts', kind: 'expiredToken' });
  await assert.rejects(sts.send(new GetCallerIdentityCommand({})), (e: Error) => e.name === 'ExpiredToken');
  assert.equal(emu.requests.count(), 1);
});

test('an injected AWS error reaches the SDK as its own error class, message and status', async () => {
  emu.faults.add({ service: 'cloudformation', kind: 'error', code: 'ValidationError', message: 'Stack with id nope does not exist' });
  const cfn = new CloudFormationClient(clientConfig(emu));
  await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'nope' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, 'ValidationError');
    assert.equal(e.message, 'Stack with id nope does not exist');
    assert.equal(e.$metadata?.httpStatusCode, 400);
    return true;
  });
});
