import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EC2Client, DescribeVpcsCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { SSMClient, DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { startEmulator, Emulator } from '../server';
import { Throttles } from '../throttle';
import { clientConfig } from '../clientConfig';

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

async function control(path: string, method: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`${emu.endpoint}/_emulator/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, json: await r.json() };
}

function rejection(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }> {
  return p.then(
    () => assert.fail('expected the call to fail'),
    (e: unknown) => e as Error,
  );
}

test('a token bucket set through the control API throttles each protocol with its own AWS code and HTTP status', async () => {
  emu.requests.clear();
  // No refill: the bucket holds one call per API; the SDK's retries (maxAttempts 1 here) cannot get through.
  assert.equal((await control('throttle', 'POST', { bucketSize: 1, refillPerSecond: 0 })).status, 200);
  try {
    const cfg = { ...clientConfig(emu), maxAttempts: 1 };
    const cfn = new CloudFormationClient(cfg);
    const ec2 = new EC2Client(cfg);
    const ssm = new SSMClient(cfg);
    await cfn.send(new DescribeStacksCommand({}));
    await ec2.send(new DescribeVpcsCommand({}));
    await ssm.send(new DescribeInstanceInformationCommand({}));
    const q = await rejection(cfn.send(new DescribeStacksCommand({})));
    assert.equal(q.name, 'Throttling');
    assert.equal(q.$metadata?.httpStatusCode, 400);
    const e = await rejection(ec2.send(new DescribeVpcsCommand({})));
    assert.equal(e.name, 'RequestLimitExceeded');
    assert.equal(e.$metadata?.httpStatusCode, 503);
    const j = await rejection(ssm.send(new DescribeInstanceInformationCommand({})));
    assert.equal(j.name, 'ThrottlingException');
    assert.equal(j.$metadata?.httpStatusCode, 400);
    // One bucket per API: another EC2 action still has its token.
    await ec2.send(new DescribeInstancesCommand({}));
    // Refilled (the burst is over): the API answers again.
    await control('throttle/refill', 'POST');
    await cfn.send(new DescribeStacksCommand({}));
  } finally {
    await control('throttle', 'DELETE');
  }
  assert.deepEqual((await control('throttle', 'GET')).json, []);
});

test('with a throttled API the SDK retries (standard mode) and gives up after maxAttempts; other actions are untouched', async () => {
  emu.throttles.set({ service: 'cloudformation', action: 'DescribeStacks', bucketSize: 0, refillPerSecond: 0 });
  try {
    emu.requests.clear();
    const cfn = new CloudFormationClient({ ...clientConfig(emu), maxAttempts: 2 });
    const err = await rejection(cfn.send(new DescribeStacksCommand({})));
    assert.equal(err.name, 'Throttling');
    assert.equal(err.$metadata?.attempts, 2);
    assert.deepEqual(emu.requests.filter('DescribeStacks').map((x) => x.errorCode), ['Throttling', 'Throttling']);
    const sts = new STSClient(clientConfig(emu));
    await sts.send(new GetCallerIdentityCommand({}));
  } finally {
    emu.throttles.clear();
  }
});

test('the token bucket refills at its rate per second up to its size (EC2 "Request throttling")', () => {
  let now = 0;
  const t = new Throttles(() => now);
  t.set({ service: 'ec2', bucketSize: 100, refillPerSecond: 20 });
  let ok = 0;
  for (let i = 0; i < 150; i++) if (t.take('ec2', 'DescribeHosts')) ok++;
  assert.equal(ok, 100, 'a full bucket allows a burst of its size');
  now += 1000;
  ok = 0;
  for (let i = 0; i < 50; i++) if (t.take('ec2', 'DescribeHosts')) ok++;
  assert.equal(ok, 20, 'one second later: the refill of one second');
  now += 60_000;
  ok = 0;
  for (let i = 0; i < 150; i++) if (t.take('ec2', 'DescribeHosts')) ok++;
  assert.equal(ok, 100, 'never more than the bucket size');
  assert.equal(t.take('ec2', 'DescribeInstances'), true, 'each API has its own bucket');
  assert.equal(t.take('ssm', 'GetCommandInvocation'), true, 'other services are not limited by an ec2 rule');
});

test('a connection reset in the middle of a call is retried by the SDK; a persistent one fails with ECONNRESET', async () => {
  emu.requests.clear();
  emu.faults.add({ service: 'sts', kind: 'reset', count: 1 });
  const sts = new STSClient(clientConfig(emu));
  const id = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(id.Account, '123456789012');
  assert.deepEqual(emu.requests.filter('sts:GetCallerIdentity').map((e) => e.errorCode ?? 'ok'), ['ECONNRESET', 'ok']);
  emu.faults.add({ service: 'sts', kind: 'reset', count: 10 });
  try {
    const err = (await rejection(sts.send(new GetCallerIdentityCommand({})))) as Error & { code?: string };
    assert.equal(err.code, 'ECONNRESET');
  } finally {
    emu.faults.clear();
  }
});
