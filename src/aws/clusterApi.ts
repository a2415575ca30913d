/**
 * Reads OpenVidu HA clusters from AWS. Loading one stack costs a constant number of calls, all sent at
 * once: DescribeStacks, ListStackResources (every page: DescribeStackResources stops at 100 resources), DescribeInstances (every instance tagged with the stack, in
 * pages of 1000), DescribeAutoScalingGroups (by the stack tag) and GetSecretValue (readiness only; no
 * value is kept). SSM registration is read separately, per node group, in batches of 50 ids.
 */
import type { StackEvent, StackResourceSummary, StackStatus } from '@aws-sdk/client-cloudformation';
import type { Instance } from '@aws-sdk/client-ec2';
import type { AwsSession } from './session';
import {
  classifyInstances,
  Cluster,
  isOpenViduStackDescription,
  MEDIA_ASG_LOGICAL_ID,
  SECRET_LOGICAL_ID,
  secretNameFor,
  secretReadiness,
  StackSummary,
  templateVersionOf,
} from '../openvidu/cluster';
import { sdk } from './sdk';
import { notePings } from './ssmInventory';

/** Every stack status except DELETE_COMPLETE (deleted stacks are not shown), from the SDK's own enum. */
export async function liveStackStatuses(): Promise<StackStatus[]> {
  const { StackStatus: all } = await sdk.cloudFormation();
  return Object.values(all).filter((s) => s !== 'DELETE_COMPLETE');
}

/** The fields ListStacks summaries and DescribeStacks stacks share, as the model's StackSummary. */
function toStackSummary(
  s: { StackName?: string; StackId?: string; StackStatus?: string; StackStatusReason?: string; CreationTime?: Date; LastUpdatedTime?: Date },
  description: string | undefined,
): StackSummary {
  return {
    stackName: s.StackName ?? '',
    stackId: s.StackId ?? '',
    status: s.StackStatus ?? 'UNKNOWN',
    statusReason: s.StackStatusReason,
    description,
    createdAt: s.CreationTime,
    updatedAt: s.LastUpdatedTime,
  };
}

export async function listOpenViduStacks(session: AwsSession, signal?: AbortSignal): Promise<StackSummary[]> {
  const cfn = await session.cloudFormation();
  const out: StackSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new (await sdk.cloudFormation()).ListStacksCommand({ NextToken: token, StackStatusFilter: await liveStackStatuses() }), { abortSignal: signal });
    for (const s of page.StackSummaries ?? []) {
      if (!isOpenViduStackDescription(s.TemplateDescription)) continue;
      out.push(toStackSummary(s, s.TemplateDescription));
    }
    token = page.NextToken;
  } while (token);
  return out.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

/**
 * Every resource of a stack: ListStackResources, following NextToken. DescribeStackResources is not used anywhere:
 * "Only the first 100 resources will be returned" (its API reference) and it does not page.
 */
export async function listStackResources(session: AwsSession, stackName: string, signal?: AbortSignal): Promise<StackResourceSummary[]> {
  const cfn = await session.cloudFormation();
  const out: StackResourceSummary[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new (await sdk.cloudFormation()).ListStackResourcesCommand({ StackName: stackName, NextToken: token }), { abortSignal: signal });
    out.push(...(page.StackResourceSummaries ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

export async function loadCluster(session: AwsSession, stackName: string, signal?: AbortSignal): Promise<Cluster> {
  // The command modules are loaded before any call starts: an await between two calls of one Promise.all would
  // leave a call that fails meanwhile unobserved (an unhandled rejection).
  const [cfn, ec2, asgClient, secrets, cfnSdk, asgSdk] = await Promise.all([
    session.cloudFormation(), session.ec2(), session.autoScaling(), session.secretsManager(), sdk.cloudFormation(), sdk.autoScaling(),
  ]);
  const opts = { abortSignal: signal };
  const stackTag = { Name: 'tag:aws:cloudformation:stack-name', Values: [stackName] };
  const [stacks, resources, instances, asgs, secret] = await Promise.all([
    cfn.send(new cfnSdk.DescribeStacksCommand({ StackName: stackName }), opts),
    listStackResources(session, stackName, signal),
    describeAllInstances(ec2, [stackTag], signal),
    asgClient.send(new asgSdk.DescribeAutoScalingGroupsCommand({ Filters: [{ Name: 'tag:aws:cloudformation:stack-name', Values: [stackName] }] }), opts),
    readSecret(secrets, secretNameFor(session.region, stackName), signal),
  ]);
  const stack = stacks.Stacks?.[0];
  if (!stack) throw Object.assign(new Error(`Stack with id ${stackName} does not exist`), { name: 'ValidationError' });
  const byLogical = new Map(resources.map((r) => [r.LogicalResourceId ?? '', r]));
  const asgName = byLogical.get(MEDIA_ASG_LOGICAL_ID)?.PhysicalResourceId;
  const asg = asgs.AutoScalingGroups?.find((g) => !asgName || g.AutoScalingGroupName === asgName);
  let secretState = secret;
  const secretId = byLogical.get(SECRET_LOGICAL_ID)?.PhysicalResourceId;
  if (!secretState.found && secretId && secretId !== secretState.secretId) {
    // Older or renamed secrets: fall back to the resource's physical id (the secret ARN).
    secretState = await readSecret(secrets, secretId, signal);
  }
  const { masters, media } = classifyInstances(instances as never, asg as never);
  const parameters = Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
  const outputs = Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  const tags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  return {
    stack: toStackSummary({ ...stack, StackName: stack.StackName ?? stackName }, stack.Description),
    region: session.region,
    templateVersion: templateVersionOf(stack.Description, tags),
    domainName: parameters.DomainName || undefined,
    parameters: maskNoEcho(parameters),
    outputs,
    masters,
    media,
    mediaGroup: {
      asgName: asg?.AutoScalingGroupName ?? asgName,
      desired: asg?.DesiredCapacity,
      min: asg?.MinSize,
      max: asg?.MaxSize,
    },
    secret: secretState,
    loadBalancerDns: outputs.LoadBalancerDNS,
  };
}

/** CloudFormation already returns NoEcho values as "****"; keep it that way for anything that looks secret. */
function maskNoEcho(parameters: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(parameters)) out[k] = /License|Password|ApiKey|Secret/i.test(k) && v ? '****' : v;
  return out;
}

async function describeAllInstances(ec2: Awaited<ReturnType<AwsSession['ec2']>>, filters: { Name: string; Values: string[] }[], signal?: AbortSignal): Promise<Instance[]> {
  const out: Instance[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new (await sdk.ec2()).DescribeInstancesCommand({ Filters: filters, MaxResults: 1000, NextToken: token }), { abortSignal: signal });
    for (const r of page.Reservations ?? []) out.push(...(r.Instances ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

async function readSecret(client: Awaited<ReturnType<AwsSession['secretsManager']>>, secretId: string, signal?: AbortSignal) {
  try {
    const value = await client.send(new (await sdk.secretsManager()).GetSecretValueCommand({ SecretId: secretId }), { abortSignal: signal });
    return secretReadiness(value.SecretString, secretId);
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return secretReadiness(undefined, secretId);
    throw e;
  }
}

export interface SsmNodeStatus {
  pingStatus: string;
  agentVersion?: string;
  lastPing?: Date;
  platform?: string;
}

/** SSM registration of the given instances: DescribeInstanceInformation, 50 ids per call (the API's limit). */
export async function loadSsmStatus(session: AwsSession, instanceIds: string[], signal?: AbortSignal): Promise<Map<string, SsmNodeStatus>> {
  const ssm = await session.ssm();
  const out = new Map<string, SsmNodeStatus>();
  const chunks: string[][] = [];
  for (let i = 0; i < instanceIds.length; i += 50) chunks.push(instanceIds.slice(i, i + 50));
  await Promise.all(
    chunks.map(async (ids) => {
      let token: string | undefined;
      do {
        const page = await ssm.send(
          new (await sdk.ssm()).DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: ids }], MaxResults: 50, NextToken: token }),
          { abortSignal: signal },
        );
        for (const info of page.InstanceInformationList ?? []) {
          if (info.InstanceId) {
            out.set(info.InstanceId, {
              pingStatus: info.PingStatus ?? 'Unknown',
              agentVersion: info.AgentVersion,
              lastPing: info.LastPingDateTime,
              platform: [info.PlatformName, info.PlatformVersion].filter(Boolean).join(' ') || undefined,
            });
          }
        }
        token = page.NextToken;
      } while (token);
      // remembered for a status check soon after (ssmInventory.ts: it may send before reading this again)
      notePings(session, ids, out);
    }),
  );
  return out;
}

export async function loadLatestScalingActivity(session: AwsSession, asgName: string) {
  const client = await session.autoScaling();
  const r = await client.send(new (await sdk.autoScaling()).DescribeScalingActivitiesCommand({ AutoScalingGroupName: asgName, MaxRecords: 1 }));
  return r.Activities?.[0];
}

/** How far `loadStackEvents` reads. */
export interface StackEventsOptions {
  signal?: AbortSignal;
  /** at most this many pages (default: every page) */
  maxPages?: number;
  /** stop before the first event for which this is true (events come newest first: e.g. the first one already seen) */
  until?: (event: StackEvent) => boolean;
}

/**
 * A stack's events, newest first (DescribeStackEvents, paginated), up to `maxPages` pages or the first event
 * `until` accepts. The one DescribeStackEvents of the extension: the explorer, the lifecycle commands and the
 * deploy wizard's follower all read events here.
 */
export async function loadStackEvents(session: AwsSession, stackName: string, opts: StackEventsOptions = {}): Promise<StackEvent[]> {
  const cfn = await session.cloudFormation();
  const out: StackEvent[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await cfn.send(new (await sdk.cloudFormation()).DescribeStackEventsCommand({ StackName: stackName, NextToken: token }), { abortSignal: opts.signal });
    for (const e of page.StackEvents ?? []) {
      if (opts.until?.(e)) return out;
      out.push(e);
    }
    token = page.NextToken;
  } while (token && ++pages < (opts.maxPages ?? Infinity));
  return out;
}

export async function callerIdentity(session: AwsSession): Promise<{ account?: string; arn?: string }> {
  const { GetCallerIdentityCommand } = await sdk.sts();
  const r = await (await session.sts()).send(new GetCallerIdentityCommand({}));
  return { account: r.Account, arn: r.Arn };
}
