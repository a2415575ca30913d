import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeAwsError, formatAwsProblem } from '../../src/aws/errors';

const err = (name: string, message = 'x') => Object.assign(new Error(message), { name });

test('missing credentials name the profile and the fix', () => {
  const p = describeAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'), { profile: 'prod' });
  assert.equal(p.kind, 'credentials');
  assert.match(p.message, /profile "prod"/);
  assert.match(p.fix ?? '', /aws configure --profile prod/);
});

test('missing credentials without a profile point at aws configure and the profile picker', () => {
  const p = describeAwsError(err('CredentialsProviderError', 'Could not load credentials from any providers'));
  assert.equal(p.message, 'No AWS credentials were found.');
  assert.match(p.fix ?? '', /aws configure/);
  assert.match(p.fix ?? '', /Choose AWS Profile/);
});

test('an expired SSO session says to run aws sso login for that profile', () => {
  const p = describeAwsError(err('CredentialsProviderError', 'The SSO session associated with this profile has expired or is otherwise invalid.'), { profile: 'dev' });
  assert.equal(p.kind, 'expired');
  assert.match(formatAwsProblem(p), /aws sso login --profile dev/);
});

test('ExpiredToken / ExpiredTokenException / RequestExpired are all "expired"', () => {
  for (const code of ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired']) {
    const p = describeAwsError(err(code, 'The security token included in the request is expired'), { profile: 'ops' });
    assert.equal(p.kind, 'expired', code);
    assert.match(p.fix ?? '', /--profile ops/);
  }
});

test('invalid keys, access denied, throttling and network errors each get their own sentence', () => {
  assert.equal(describeAwsError(err('InvalidClientTokenId')).kind, 'credentials');
  assert.equal(describeAwsError(err('UnrecognizedClientException')).kind, 'credentials');
  const denied = describeAwsError(err('AccessDenied', 'User: arn:aws:iam::1:user/x is not authorized to perform: cloudformation:ListStacks (Request ID: 1234-abcd)'));
  assert.equal(denied.kind, 'access');
  assert.doesNotMatch(denied.message, /Request ID/);
  assert.equal(describeAwsError(err('Throttling', 'Rate exceeded')).kind, 'throttle');
  const net = describeAwsError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4599'), { code: 'ECONNREFUSED' }), { endpoint: 'http://127.0.0.1:4599' });
  assert.equal(net.kind, 'network');
  assert.match(net.message, /127\.0\.0\.1:4599/);
  assert.match(net.fix ?? '', /openviduHa\.endpoint/);
});

test('other errors keep the AWS message', () => {
  const p = describeAwsError(err('ValidationError', 'Stack with id x does not exist'));
  assert.equal(p.kind, 'notFound');
  assert.equal(p.message, 'Stack with id x does not exist');
  assert.equal(describeAwsError(err('SomethingElse', 'boom')).message, 'boom');
});
