/**
 * Creates OpenVidu HA stacks in the emulator the way a user would: through the real CloudFormation API with
 * parameters discovered from the simulated account (VPC, public subnets, key pair, issued certificate), then
 * advances the simulated clock until the stack settles. Shared by integration tests and benchmarks.
 */
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, Parameter } from '@aws-sdk/client-cloudformation';
import { EC2Client, DescribeSubnetsCommand, DescribeVpcsCommand, DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import { ACMClient, ListCertificatesCommand } from '@aws-sdk/client-acm';
import { AutoScalingClient, UpdateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import type { Emulator } from '../emulator/server';

import { clientConfig } from '../emulator/clientConfig';

/** SDK client settings for the emulator (one definition, next to the emulator). */
export const sdkConfig = clientConfig;

export interface StackOptions {
  name: string;
  region?: string;
  version?: string;
  domain?: string;
  mediaNodes?: number;
  maxMediaNodes?: number;
  onFailure?: 'DO_NOTHING' | 'ROLLBACK' | 'DELETE';
  /** extra / overriding parameters */
  parameters?: Record<string, string>;
  /** do not wait for the stack to settle */
  noWait?: boolean;
}

/** Valid parameter values for the simulated account in a region. */
export async function accountParameters(emu: Emulator, region = 'eu-west-1') {
  const ec2 = new EC2Client(sdkConfig(emu, region));
  const acm = new ACMClient(sdkConfig(emu, region));
  const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['openvidu-vpc'] }] }));
  const vpcId = vpcs.Vpcs?.[0]?.VpcId;
  if (!vpcId) throw new Error(`no openvidu-vpc in ${region}`);
  const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  const publicSubnets = (subnets.Subnets ?? []).filter((s) => s.MapPublicIpOnLaunch).map((s) => s.SubnetId!);
  const keys = await ec2.send(new DescribeKeyPairsCommand({}));
  const certs = await acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
  const cert = certs.CertificateSummaryList?.find((c) => c.DomainName === 'openvidu.example.com') ?? certs.CertificateSummaryList?.[0];
  return { vpcId, publicSubnets, keyName: keys.KeyPairs?.[0]?.KeyName ?? 'openvidu-key', certificateArn: cert?.CertificateArn ?? '' };
}

export async function createOpenViduStack(emu: Emulator, o: StackOptions): Promise<string> {
  const region = o.region ?? 'eu-west-1';
  const acct = await accountParameters(emu, region);
  const version = o.version ?? '3.8.0';
  const values: Record<string, string> = {
    DomainName: o.domain ?? 'openvidu.example.com',
    OpenViduCertificateARN: acct.certificateArn,
    OpenViduLicense: 'test-license-key',
    KeyName: acct.keyName,
    OpenViduVPC: acct.vpcId,
    OpenViduMasterNodeSubnets: acct.publicSubnets.slice(0, 4).join(','),
    OpenViduMediaNodeSubnets: acct.publicSubnets.join(','),
    InitialNumberOfMediaNodes: String(Math.min(o.mediaNodes ?? 1, 5)),
    MinNumberOfMediaNodes: '0',
    MaxNumberOfMediaNodes: String(Math.max(o.maxMediaNodes ?? 5, o.mediaNodes ?? 1)),
    // No default in the template, but empty means "create a bucket": it must still be passed.
    S3AppDataBucketName: '',
    S3ClusterDataBucketName: '',
    ...o.parameters,
  };
  const cfn = new CloudFormationClient(sdkConfig(emu, region));
  const Parameters: Parameter[] = Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));
  const created = await cfn.send(
    new CreateStackCommand({
      StackName: o.name,
      TemplateURL: `https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha/${version}/aws/cf-openvidu-ha.yaml`,
      Parameters,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      OnFailure: o.onFailure ?? 'DO_NOTHING',
    }),
  );
  if (o.noWait) return created.StackId!;
  await settleStack(emu, o.name, region);
  if ((o.mediaNodes ?? 1) > 5) await scaleMedia(emu, o.name, o.mediaNodes!, region);
  return created.StackId!;
}

/** Advances simulated time until the stack leaves *_IN_PROGRESS. */
export async function settleStack(emu: Emulator, stackName: string, region = 'eu-west-1'): Promise<string> {
  const cfn = new CloudFormationClient(sdkConfig(emu, region));
  for (let i = 0; i < 200; i++) {
    const r = await cfn.send(new DescribeStacksCommand({ StackName: stackName })).catch((e: Error) => {
      if (/does not exist/.test(e.message)) return { Stacks: [{ StackStatus: 'DELETE_COMPLETE' }] };
      throw e;
    });
    const status = r.Stacks?.[0]?.StackStatus ?? '';
    if (!status.endsWith('_IN_PROGRESS')) return status;
    emu.clock.advance(60_000);
  }
  throw new Error(`stack ${stackName} did not settle`);
}

/** Sets the media ASG to exactly n instances and waits until they are all InService. */
export async function scaleMedia(emu: Emulator, stackName: string, n: number, region = 'eu-west-1'): Promise<void> {
  const asg = new AutoScalingClient(sdkConfig(emu, region));
  const groups = await asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:aws:cloudformation:stack-name', Values: [stackName] }] }));
  const name = groups.AutoScalingGroups?.[0]?.AutoScalingGroupName;
  if (!name) throw new Error(`no media ASG for ${stackName}`);
  await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, MaxSize: Math.max(n, 1), DesiredCapacity: n }));
  for (let i = 0; i < 100; i++) {
    emu.clock.advance(60_000);
    const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
    const inService = (g?.Instances ?? []).filter((x) => x.LifecycleState === 'InService').length;
    if (inService === n && (g?.Instances ?? []).length === n) return;
  }
  throw new Error(`media ASG of ${stackName} did not reach ${n}`);
}
