/**
 * Current EC2 facts of a few instances (state, instance profile), read with one DescribeInstances per 1000 ids:
 * a live tail checks whether a silent node was stopped or terminated; "Enable SSM on master nodes" finds the
 * masters' instance profile.
 */
import type { AwsSession } from './session';
import { sdk } from './sdk';

export interface InstanceFacts {
  instanceId: string;
  /** pending, running, stopping, stopped, shutting-down, terminated */
  state: string;
  iamInstanceProfileArn?: string;
}

export async function describeInstanceFacts(session: AwsSession, instanceIds: string[], signal?: AbortSignal): Promise<Map<string, InstanceFacts>> {
  const out = new Map<string, InstanceFacts>();
  if (!instanceIds.length) return out;
  const ec2 = await session.ec2();
  for (let i = 0; i < instanceIds.length; i += 1000) {
    let token: string | undefined;
    do {
      const page = await ec2.send(
        new (await sdk.ec2()).DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: instanceIds.slice(i, i + 1000) }], MaxResults: 1000, NextToken: token }),
        { abortSignal: signal },
      );
      for (const r of page.Reservations ?? []) {
        for (const inst of r.Instances ?? []) {
          if (!inst.InstanceId) continue;
          out.set(inst.InstanceId, { instanceId: inst.InstanceId, state: inst.State?.Name ?? 'unknown', iamInstanceProfileArn: inst.IamInstanceProfile?.Arn });
        }
      }
      token = page.NextToken;
    } while (token);
  }
  return out;
}
