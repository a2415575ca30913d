/**
 * Terminating one media node through its Auto Scaling group (TerminateInstanceInAutoScalingGroup), so the
 * group's termination lifecycle hook drains the node first and the group knows whether to replace it.
 */
import type { AwsSession } from './session';
import { sdk } from './sdk';

export interface TerminationStarted {
  activityId?: string;
  description?: string;
  cause?: string;
}

/**
 * `replace`: the group launches a new node (desired capacity unchanged); otherwise desired capacity goes down by
 * one (AWS refuses that below the group's minimum, with a ValidationError saying so).
 */
export async function terminateMediaNodeInGroup(session: AwsSession, instanceId: string, replace: boolean): Promise<TerminationStarted> {
  const asg = await session.autoScaling();
  const out = await asg.send(new (await sdk.autoScaling()).TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: !replace }));
  return { activityId: out.Activity?.ActivityId, description: out.Activity?.Description, cause: out.Activity?.Cause };
}
