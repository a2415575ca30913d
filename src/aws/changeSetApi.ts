/** Change sets for updates and upgrades: create, wait until ready, describe (all pages), execute, delete. */
import type { Change, Parameter } from '@aws-sdk/client-cloudformation';
import type { AwsSession } from './session';
import { parseTemplate, type TemplateSpec } from '../openvidu/template';
import { sdk } from './sdk';

export interface StackParameters {
  values: Record<string, string>;
  /** NoEcho parameters (CloudFormation answers "****" for them) */
  noEcho: Set<string>;
  tags: Record<string, string>;
}

export async function readStackParameters(session: AwsSession, stackName: string): Promise<StackParameters> {
  const s = (await (await session.cloudFormation()).send(new (await sdk.cloudFormation()).DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  const values: Record<string, string> = {};
  const noEcho = new Set<string>();
  for (const p of s?.Parameters ?? []) {
    values[p.ParameterKey ?? ''] = p.ParameterValue ?? '';
    if (p.ParameterValue === '****') noEcho.add(p.ParameterKey ?? '');
  }
  return { values, noEcho, tags: Object.fromEntries((s?.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])) };
}

export interface ChangeSetRequest {
  stackName: string;
  /** a new template (upgrade); undefined = UsePreviousTemplate */
  templateUrl?: string;
  /** every parameter key of the target template: a value, or undefined to keep the stack's current value */
  parameters: Record<string, string | undefined>;
  tags?: Record<string, string>;
}

export async function createUpdateChangeSet(session: AwsSession, req: ChangeSetRequest): Promise<string> {
  const cfn = await session.cloudFormation();
  const Parameters: Parameter[] = Object.entries(req.parameters).map(([ParameterKey, v]) =>
    v === undefined ? { ParameterKey, UsePreviousValue: true } : { ParameterKey, ParameterValue: v },
  );
  const r = await cfn.send(
    new (await sdk.cloudFormation()).CreateChangeSetCommand({
      StackName: req.stackName,
      ChangeSetName: `openvidu-ha-vscode-${Date.now().toString(36)}`,
      ChangeSetType: 'UPDATE',
      ...(req.templateUrl ? { TemplateURL: req.templateUrl } : { UsePreviousTemplate: true }),
      Parameters,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Tags: req.tags ? Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
      Description: 'Created by OpenVidu HA for VS Code',
    }),
  );
  return r.Id ?? '';
}

export interface ChangeSetState {
  status: string;
  statusReason?: string;
  executionStatus?: string;
  changes: Change[];
}

export async function describeChangeSet(session: AwsSession, stackName: string, changeSetId: string): Promise<ChangeSetState> {
  const cfn = await session.cloudFormation();
  const changes: Change[] = [];
  let token: string | undefined;
  let last;
  do {
    last = await cfn.send(new (await sdk.cloudFormation()).DescribeChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId, NextToken: token }));
    changes.push(...(last.Changes ?? []));
    token = last.NextToken;
  } while (token);
  return { status: last.Status ?? 'UNKNOWN', statusReason: last.StatusReason, executionStatus: last.ExecutionStatus, changes };
}

export async function executeChangeSet(session: AwsSession, stackName: string, changeSetId: string): Promise<void> {
  await (await session.cloudFormation()).send(new (await sdk.cloudFormation()).ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId }));
}

export async function deleteChangeSet(session: AwsSession, stackName: string, changeSetId: string): Promise<void> {
  await (await session.cloudFormation()).send(new (await sdk.cloudFormation()).DeleteChangeSetCommand({ StackName: stackName, ChangeSetName: changeSetId }));
}

/** The stack's deployed template, parsed: its own constraints validate an update that keeps the template. */
export async function deployedTemplateSpec(session: AwsSession, stackName: string): Promise<TemplateSpec | undefined> {
  const r = await (await session.cloudFormation()).send(new (await sdk.cloudFormation()).GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }));
  return r.TemplateBody ? parseTemplate(r.TemplateBody) : undefined;
}
