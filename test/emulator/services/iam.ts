/**
 * IAM (awsQuery protocol, global: the signing region is ignored). Roles and instance profiles live in
 * `world.iam`; the CloudFormation simulation creates the stack's named roles there (the media role with
 * AmazonSSMManagedInstanceCore, the master role without it, as template 3.8.0 does), and the SSM simulator reads
 * the attached policies to decide whether an instance registers.
 */
import type { HandlerContext, ServiceModule } from '../server';
import { AwsError, asInt, asString } from '../protocol';
import type { IamRole, InstanceProfile, World } from '../world';

function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntity', message, 404);
}

function requireRole(world: World, name: unknown): IamRole {
  const n = asString(name) ?? '';
  const role = world.iam.roles.get(n);
  if (!role) throw noSuchEntity(`The role with name ${n} cannot be found.`);
  return role;
}

function roleShape(role: IamRole) {
  return {
    Path: role.path,
    RoleName: role.roleName,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    // IAM returns the trust policy URL-encoded
    AssumeRolePolicyDocument: encodeURIComponent(role.assumeRolePolicyDocument),
    MaxSessionDuration: 3600,
    RoleLastUsed: {},
  };
}

function profileShape(world: World, p: InstanceProfile) {
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: p.arn,
    CreateDate: new Date(p.createdAt),
    Roles: p.roleNames.map((n) => world.iam.roles.get(n)).filter((r): r is IamRole => !!r).map(roleShape),
  };
}

function policyName(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

const POLICY_ARN = /^arn:aws:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/;

function paginate<T>(items: T[], marker: unknown, maxItems: unknown): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const start = Number(asString(marker) ?? '0') || 0;
  const max = asInt(maxItems) ?? 100;
  const slice = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return { items: slice, IsTruncated: truncated, Marker: truncated ? String(start + max) : undefined };
}

export const iam: ServiceModule = {
  service: 'iam',
  handlers: {
    GetRole: ({ world, params }: HandlerContext) => ({ Role: roleShape(requireRole(world, params.RoleName)) }),

    GetInstanceProfile: ({ world, params }: HandlerContext) => {
      const n = asString(params.InstanceProfileName) ?? '';
      const p = world.iam.instanceProfiles.get(n);
      if (!p) throw noSuchEntity(`Instance Profile ${n} cannot be found.`);
      return { InstanceProfile: profileShape(world, p) };
    },

    ListAttachedRolePolicies: ({ world, params }: HandlerContext) => {
      const role = requireRole(world, params.RoleName);
      const prefix = asString(params.PathPrefix);
      const arns = role.attachedPolicyArns.filter((a) => !prefix || a.split(':policy')[1]?.startsWith(prefix));
      const p = paginate(arns, params.Marker, params.MaxItems);
      return { AttachedPolicies: p.items.map((a) => ({ PolicyName: policyName(a), PolicyArn: a })), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },

    AttachRolePolicy: ({ world, params }: HandlerContext) => {
      const role = requireRole(world, params.RoleName);
      const arn = asString(params.PolicyArn) ?? '';
      if (!POLICY_ARN.test(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`, 400);
      if (!role.attachedPolicyArns.includes(arn)) role.attachedPolicyArns.push(arn);
      return {};
    },

    DetachRolePolicy: ({ world, params }: HandlerContext) => {
      const role = requireRole(world, params.RoleName);
      const arn = asString(params.PolicyArn) ?? '';
      if (!POLICY_ARN.test(arn)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`, 400);
      if (!role.attachedPolicyArns.includes(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
      role.attachedPolicyArns = role.attachedPolicyArns.filter((a) => a !== arn);
      return {};
    },

    ListInstanceProfilesForRole: ({ world, params }: HandlerContext) => {
      const role = requireRole(world, params.RoleName);
      const profiles = [...world.iam.instanceProfiles.values()].filter((p) => p.roleNames.includes(role.roleName));
      const p = paginate(profiles, params.Marker, params.MaxItems);
      return { InstanceProfiles: p.items.map((x) => profileShape(world, x)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },
  },
};
