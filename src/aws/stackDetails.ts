/** Reads what the Stack details document shows: DescribeStacks (one call) and ListStackResources (paginated). */
import { sdk } from './sdk';
import type { AwsSession } from './session';
import type { StackDetailsInput } from '../openvidu/stackDetails';
import { templateVersionOf } from '../openvidu/cluster';

export async function loadStackDetails(session: AwsSession, stackName: string, noEcho: Set<string>): Promise<StackDetailsInput> {
  const cfn = await session.cloudFormation();
  const { DescribeStacksCommand, ListStackResourcesCommand } = await sdk.cloudFormation();
  const s = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  if (!s) throw Object.assign(new Error(`Stack with id ${stackName} does not exist`), { name: 'ValidationError' });
  const resources: StackDetailsInput['resources'] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    for (const r of page.StackResourceSummaries ?? []) {
      resources.push({ logicalId: r.LogicalResourceId ?? '', type: r.ResourceType ?? '', status: r.ResourceStatus ?? '', physicalId: r.PhysicalResourceId, reason: r.ResourceStatusReason, drift: r.DriftInformation?.StackResourceDriftStatus });
    }
    token = page.NextToken;
  } while (token);
  const version = templateVersionOf(s.Description, Object.fromEntries((s.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])));
  return {
    stackName,
    region: session.region,
    stackId: s.StackId ?? stackName,
    status: s.StackStatus ?? '',
    templateVersion: version,
    description: s.Description,
    createdAt: s.CreationTime?.getTime(),
    updatedAt: s.LastUpdatedTime?.getTime(),
    driftStatus: s.DriftInformation?.StackDriftStatus,
    driftCheckedAt: s.DriftInformation?.LastCheckTimestamp?.getTime(),
    parameters: (s.Parameters ?? []).map((p) => ({ key: p.ParameterKey ?? '', value: p.ParameterValue ?? '' })),
    noEcho,
    outputs: (s.Outputs ?? []).map((o) => ({ key: o.OutputKey ?? '', value: o.OutputValue ?? '', description: o.Description })),
    resources,
    tags: (s.Tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
  };
}
