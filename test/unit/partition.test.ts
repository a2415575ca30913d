import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionOf, ssmCorePolicyArn, unsupportedPartitionMessage } from '../../src/openvidu/partition';
import { instanceConsoleUrl, stackConsoleUrl } from '../../src/openvidu/consoleUrls';
import { AwsSession } from '../../src/aws/session';

test('each region maps to its partition, as the SDK partition data does', async () => {
  // The SDK's own partition() (@aws-sdk/core) is the reference for the regions it knows.
  const { partition } = await import('@aws-sdk/core/client');
  for (const r of ['eu-west-1', 'us-east-1', 'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1', 'us-iso-east-1', 'us-isob-east-1']) {
    assert.equal(partitionOf(r).id, partition(r).name, r);
  }
});

test('the SSM managed policy ARN, the IAM signing region and console links follow the partition', () => {
  assert.equal(ssmCorePolicyArn('eu-west-1'), 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
  assert.equal(ssmCorePolicyArn('cn-north-1'), 'arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore');
  assert.equal(ssmCorePolicyArn('us-gov-west-1'), 'arn:aws-us-gov:iam::aws:policy/AmazonSSMManagedInstanceCore');
  const creds = { accessKeyId: 'AKIAX', secretAccessKey: 'y' };
  assert.equal(new AwsSession({ region: 'eu-west-1', credentials: creds }).iamRegion(), 'us-east-1');
  assert.equal(new AwsSession({ region: 'cn-northwest-1', credentials: creds }).iamRegion(), 'cn-north-1');
  assert.equal(new AwsSession({ region: 'us-gov-east-1', credentials: creds }).iamRegion(), 'us-gov-west-1');
  assert.equal(new AwsSession({ region: 'cn-northwest-1', endpoint: 'http://127.0.0.1:1', credentials: creds }).iamRegion(), 'cn-northwest-1');
  assert.match(stackConsoleUrl('eu-west-1', 'x'), /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudformation\/home\?region=eu-west-1#/);
  assert.match(stackConsoleUrl('cn-north-1', 'x'), /^https:\/\/console\.amazonaws\.cn\/cloudformation\/home\?region=cn-north-1#/);
  assert.match(instanceConsoleUrl('us-gov-west-1', 'i-1'), /^https:\/\/console\.amazonaws-us-gov\.com\/ec2\/home\?region=us-gov-west-1#InstanceDetails/);
});

test('a partition without OpenVidu templates is named before anything is sent', () => {
  assert.equal(unsupportedPartitionMessage('eu-west-1'), undefined);
  assert.match(unsupportedPartitionMessage('cn-north-1') ?? '', /no CloudFormation template for the AWS China partition \(aws-cn, region cn-north-1\)/);
  assert.match(unsupportedPartitionMessage('us-gov-west-1') ?? '', /AWS GovCloud \(US\) partition/);
});
