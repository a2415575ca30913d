/**
 * The deploy wizard's CloudFormation calls (its reads of the region's VPCs, subnets, … are in deployFacts.ts and
 * its stack events in clusterApi.ts `loadStackEvents`). SDK modules are evaluated on first use, not at activation.
 */
import type { CreateStackCommandInput, GetTemplateSummaryCommandOutput, Stack } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from './session';
import { sdk } from './sdk';

/** CreateStack; returns the new stack's id. */
export async function createStack(session: AwsSession, input: CreateStackCommandInput): Promise<string | undefined> {
  const cfn = await session.cloudFormation();
  return (await cfn.send(new (await sdk.cloudFormation()).CreateStackCommand(input))).StackId;
}

/** GetTemplateSummary of a template on S3 (its parameters, groups, NoEcho, resource types). */
export async function templateSummary(session: AwsSession, templateUrl: string): Promise<GetTemplateSummaryCommandOutput> {
  const cfn = await session.cloudFormation();
  return cfn.send(new (await sdk.cloudFormation()).GetTemplateSummaryCommand({ TemplateURL: templateUrl }));
}

/** One stack as DescribeStacks returns it (status, parameters, outputs), or undefined when none is returned. */
export async function describeStack(session: AwsSession, stackNameOrId: string): Promise<Stack | undefined> {
  const cfn = await session.cloudFormation();
  return (await cfn.send(new (await sdk.cloudFormation()).DescribeStacksCommand({ StackName: stackNameOrId }))).Stacks?.[0];
}
