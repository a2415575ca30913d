/**
 * The IAM side of "Enable SSM on master nodes": instance profile → role, the role's attached managed policies,
 * and attaching AmazonSSMManagedInstanceCore. IAM is global (session.iam() signs for the partition's IAM region).
 */
import type { AwsSession } from './session';
import { ssmCorePolicyArn } from '../openvidu/partition';
import { sdk } from './sdk';


/** AmazonSSMManagedInstanceCore in the commercial partition; use `ssmCorePolicyArn(region)` for any region. */
export const SSM_CORE_POLICY_ARN = ssmCorePolicyArn('us-east-1');
export { ssmCorePolicyArn };
export const DEFAULT_HOST_MANAGEMENT_DOCS = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/fleet-manager-default-host-management-configuration.html';

/** `arn:aws:iam::123456789012:instance-profile/some/path/Name` → `Name` */
export function instanceProfileName(arn: string): string {
  const m = /:instance-profile\/(?:.*\/)?([\w+=,.@-]+)$/.exec(arn);
  if (!m) throw new Error(`"${arn}" is not an instance profile ARN.`);
  return m[1];
}

export async function instanceProfileRoles(session: AwsSession, profileArn: string): Promise<{ profileName: string; roleNames: string[] }> {
  const [iam, { GetInstanceProfileCommand }] = await Promise.all([session.iam(), sdk.iam()]);
  const profileName = instanceProfileName(profileArn);
  const r = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: profileName }));
  return { profileName, roleNames: (r.InstanceProfile?.Roles ?? []).map((x) => x.RoleName ?? '').filter(Boolean) };
}

export async function attachedPolicyArns(session: AwsSession, roleName: string): Promise<string[]> {
  const [iam, { ListAttachedRolePoliciesCommand }] = await Promise.all([session.iam(), sdk.iam()]);
  const out: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
    out.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

export async function attachRolePolicy(session: AwsSession, roleName: string, policyArn: string): Promise<void> {
  const [iam, { AttachRolePolicyCommand }] = await Promise.all([session.iam(), sdk.iam()]);
  await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
}
