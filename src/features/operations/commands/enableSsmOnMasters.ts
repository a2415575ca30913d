import * as vscode from 'vscode';
import { attachedPolicyArns, attachRolePolicy, DEFAULT_HOST_MANAGEMENT_DOCS, instanceProfileRoles, ssmCorePolicyArn } from '../../../aws/iamRoles';
import { describeInstanceFacts } from '../../../aws/instances';
import { type ClusterTreeProvider, stackOrPick, type ExplorerNode } from '../../explorer';
import type { AppContext } from '../../shared/appContext';

export const ATTACH_BUTTON = 'Attach Policy';
export const DHMC_BUTTON = 'Open Default Host Management Docs';

export interface EnableSsmResult {
  roleNames: string[];
  attached: boolean;
  alreadyAttached?: boolean;
}

/**
 * Template 3.8.0 gives AmazonSSMManagedInstanceCore to the media nodes' role only, so the masters cannot be
 * reached over SSM. This finds the masters' role (instance → instance profile → role), asks for an explicit
 * confirmation naming the role and the policy, and attaches it; the masters' SSM agents register a few minutes
 * later. The account-wide alternative (Default Host Management Configuration) is offered as a link.
 */
export async function enableSsmOnMasters(app: AppContext, explorer: ClusterTreeProvider, item?: ExplorerNode): Promise<EnableSsmResult | undefined> {
  const stack = await stackOrPick(explorer, item, 'Enable SSM on the master nodes of…');
  if (!stack) return undefined;
  const name = stack.summary.stackName;
  try {
    await explorer.getChildren(stack);
    const masters = stack.cluster?.masters ?? [];
    if (!masters.length) {
      void vscode.window.showWarningMessage(`${name} has no master nodes yet.`);
      return undefined;
    }
    const session = app.session(stack.region);
    const facts = await describeInstanceFacts(session, masters.map((m) => m.instanceId));
    const profiles = [...new Set([...facts.values()].map((f) => f.iamInstanceProfileArn).filter((a): a is string => !!a))];
    if (!profiles.length) {
      void vscode.window.showErrorMessage(`The master nodes of ${name} have no IAM instance profile: attach one with a role that has AmazonSSMManagedInstanceCore, or enable Default Host Management Configuration.`);
      return undefined;
    }
    const roleNames = [...new Set((await Promise.all(profiles.map((p) => instanceProfileRoles(session, p)))).flatMap((r) => r.roleNames))];
    if (!roleNames.length) {
      void vscode.window.showErrorMessage(`The instance profile of the master nodes of ${name} has no role.`);
      return undefined;
    }
    const policyArn = ssmCorePolicyArn(stack.region);
    const missing: string[] = [];
    for (const r of roleNames) if (!(await attachedPolicyArns(session, r)).includes(policyArn)) missing.push(r);
    if (!missing.length) {
      void vscode.window.showInformationMessage(
        `The role ${roleNames.join(', ')} of the master nodes of ${name} already has AmazonSSMManagedInstanceCore. If the masters are still not registered with SSM, wait a few minutes (the agents retry for credentials) or restart their SSM agent.`,
      );
      return { roleNames, attached: false, alreadyAttached: true };
    }
    const choice = await vscode.window.showWarningMessage(
      `Attach the AWS managed policy AmazonSSMManagedInstanceCore to the IAM role ${missing.join(', ')} (master nodes of ${name})?`,
      {
        modal: true,
        detail: [
          `OpenVidu's template 3.8.0 gives AmazonSSMManagedInstanceCore only to the media nodes' role, so the master nodes cannot be reached through SSM (status, logs, restart).`,
          `This attaches ${policyArn} to the role ${missing.join(', ')} (instance profile ${profiles.map((p) => p.split('/').pop()).join(', ')}). Its SSM agents then register within a few minutes, and commands run on the masters as root.`,
          `A later update of the stack may remove the policy again. The account-wide alternative is Default Host Management Configuration in Systems Manager (every EC2 instance of the account in the region, no role change).`,
        ].join('\n\n'),
      },
      ATTACH_BUTTON,
      DHMC_BUTTON,
    );
    if (choice === DHMC_BUTTON) {
      await vscode.env.openExternal(vscode.Uri.parse(DEFAULT_HOST_MANAGEMENT_DOCS));
      return { roleNames, attached: false };
    }
    if (choice !== ATTACH_BUTTON) return undefined;
    for (const r of missing) await attachRolePolicy(session, r, policyArn);
    app.output.info(`attached ${policyArn} to role(s) ${missing.join(', ')} (${name}, ${stack.region})`);
    explorer.refresh(stack);
    void vscode.window.showInformationMessage(
      `AmazonSSMManagedInstanceCore is attached to ${missing.join(', ')}. The master nodes of ${name} register with SSM within a few minutes; then check their service status.`,
    );
    return { roleNames, attached: true };
  } catch (e) {
    void vscode.window.showErrorMessage(`SSM could not be enabled on the master nodes of ${name}: ${app.describeError(e, stack.region)}`);
    return undefined;
  }
}
