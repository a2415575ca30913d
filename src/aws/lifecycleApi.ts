/** AWS calls of the lifecycle actions: media group sizes, master start/stop, stack deletion. */
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { listStackResources } from './clusterApi';
import type { AwsSession } from './session';
import { decodeSavedSize, encodeSavedSize, GroupSize, SAVED_SIZE_TAG } from '../openvidu/lifecycle';
import { sdk } from './sdk';

export interface MediaGroupState {
  name: string;
  size: GroupSize;
  savedSize?: GroupSize;
  instances: { instanceId: string; lifecycleState: string }[];
}

export async function describeMediaGroup(session: AwsSession, asgName: string): Promise<MediaGroupState> {
  const asg = await session.autoScaling();
  const g = (await asg.send(new (await sdk.autoScaling()).DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName] }))).AutoScalingGroups?.[0];
  if (!g) throw Object.assign(new Error(`The media Auto Scaling group ${asgName} was not found.`), { name: 'ValidationError' });
  return {
    name: asgName,
    size: { min: g.MinSize ?? 0, desired: g.DesiredCapacity ?? 0, max: g.MaxSize ?? 0 },
    savedSize: decodeSavedSize(g.Tags?.find((t) => t.Key === SAVED_SIZE_TAG)?.Value),
    instances: (g.Instances ?? []).map((i) => ({ instanceId: i.InstanceId ?? '', lifecycleState: i.LifecycleState ?? '' })),
  };
}

export async function setMediaGroupSize(session: AwsSession, asgName: string, size: GroupSize): Promise<void> {
  const asg = await session.autoScaling();
  await asg.send(new (await sdk.autoScaling()).UpdateAutoScalingGroupCommand({ AutoScalingGroupName: asgName, MinSize: size.min, MaxSize: size.max, DesiredCapacity: size.desired }));
}

/** Remembers the sizes on the group itself, so any machine can restore them. */
export async function saveMediaGroupSize(session: AwsSession, asgName: string, size: GroupSize): Promise<void> {
  const asg: AutoScalingClient = await session.autoScaling();
  await asg.send(
    new (await sdk.autoScaling()).CreateOrUpdateTagsCommand({
      Tags: [{ ResourceId: asgName, ResourceType: 'auto-scaling-group', Key: SAVED_SIZE_TAG, Value: encodeSavedSize(size), PropagateAtLaunch: false }],
    }),
  );
}

export async function clearSavedMediaGroupSize(session: AwsSession, asgName: string): Promise<void> {
  const asg = await session.autoScaling();
  await asg.send(new (await sdk.autoScaling()).DeleteTagsCommand({ Tags: [{ ResourceId: asgName, ResourceType: 'auto-scaling-group', Key: SAVED_SIZE_TAG }] }));
}

export async function stopInstances(session: AwsSession, ids: string[]): Promise<void> {
  if (ids.length) await (await session.ec2()).send(new (await sdk.ec2()).StopInstancesCommand({ InstanceIds: ids }));
}

export async function startInstances(session: AwsSession, ids: string[]): Promise<void> {
  if (ids.length) await (await session.ec2()).send(new (await sdk.ec2()).StartInstancesCommand({ InstanceIds: ids }));
}

export async function instanceStates(session: AwsSession, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!ids.length) return out;
  const r = await (await session.ec2()).send(new (await sdk.ec2()).DescribeInstancesCommand({ InstanceIds: ids }));
  for (const res of r.Reservations ?? []) for (const i of res.Instances ?? []) out.set(i.InstanceId ?? '', i.State?.Name ?? 'unknown');
  return out;
}

/** The stack's status, or DELETE_COMPLETE once it no longer exists. */
export async function stackStatus(session: AwsSession, stackName: string): Promise<{ status: string; reason?: string }> {
  try {
    const s = (await (await session.cloudFormation()).send(new (await sdk.cloudFormation()).DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    return { status: s?.StackStatus ?? 'DELETE_COMPLETE', reason: s?.StackStatusReason };
  } catch (e) {
    if ((e as Error).name === 'ValidationError' && /does not exist/.test((e as Error).message)) return { status: 'DELETE_COMPLETE' };
    throw e;
  }
}

export async function stackResources(session: AwsSession, stackName: string) {
  return (await listStackResources(session, stackName)).map((x) => ({ logicalId: x.LogicalResourceId ?? '', type: x.ResourceType ?? '', physicalId: x.PhysicalResourceId, status: x.ResourceStatus }));
}

export async function deleteStack(session: AwsSession, stackName: string): Promise<void> {
  await (await session.cloudFormation()).send(new (await sdk.cloudFormation()).DeleteStackCommand({ StackName: stackName }));
}
