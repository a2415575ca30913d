import type { ServiceModule } from '../server';
import type { World } from '../world';
import { AwsError, asInt, asString } from '../protocol';

/** Temporary keys issued by AssumeRole → the assumed-role ARN GetCallerIdentity answers for them. */
const sessions = new WeakMap<World, Map<string, string>>();

/**
 * STS API Reference, AssumeRole: `RoleArn`, `RoleSessionName` (2–64 chars `[\w+=,.@-]*`), `DurationSeconds`
 * (900–43200), and for a role whose trust policy requires MFA `SerialNumber` + `TokenCode` ("The value provided
 * by the MFA device … Length Constraints: Fixed length of 6. Pattern: [\d]*"). A wrong code is AccessDenied
 * ("MultiFactorAuthentication failed with invalid MFA one time pass code."). The emulator has no MFA device, so
 * the code `000000` stands for a wrong one; any other 6 digits pass.
 * Returns `Credentials` (AccessKeyId `ASIA…`, SecretAccessKey, SessionToken, Expiration) and `AssumedRoleUser`.
 */
function assumeRole(world: World, params: Record<string, unknown>) {
  const roleArn = asString(params.RoleArn) ?? '';
  const sessionName = asString(params.RoleSessionName) ?? '';
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn)) throw new AwsError('ValidationError', `${roleArn} is invalid`);
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new AwsError('ValidationError', "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
  const duration = asInt(params.DurationSeconds) ?? 3600;
  if (duration < 900 || duration > 43200) throw new AwsError('ValidationError', "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200");
  const serial = asString(params.SerialNumber);
  const code = asString(params.TokenCode);
  if (code !== undefined && !/^\d{6}$/.test(code)) throw new AwsError('ValidationError', "1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must have length equal to 6");
  if (serial && !code) throw new AwsError('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
  if (serial && code === '000000') throw new AwsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.', 403);
  const n = (sessions.get(world)?.size ?? 0) + 1;
  const accessKeyId = `ASIAEMU${String(n).padStart(13, '0')}`;
  const roleName = roleArn.split('/').pop();
  const assumed = `arn:aws:sts::${world.accountId}:assumed-role/${roleName}/${sessionName}`;
  let map = sessions.get(world);
  if (!map) sessions.set(world, (map = new Map()));
  map.set(accessKeyId, assumed);
  return {
    Credentials: {
      AccessKeyId: accessKeyId,
      SecretAccessKey: `emulator-secret-${n}`,
      SessionToken: `emulator-session-token-${n}`,
      Expiration: new Date(world.now() + duration * 1000),
    },
    AssumedRoleUser: { AssumedRoleId: `AROAEMU${n}:${sessionName}`, Arn: assumed },
  };
}

export const sts: ServiceModule = {
  service: 'sts',
  handlers: {
    GetCallerIdentity: ({ world, request }) => ({
      UserId: `AIDA${(request.accessKeyId ?? 'TEST').toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
      Account: world.accountId,
      Arn: sessions.get(world)?.get(request.accessKeyId ?? '') ?? `arn:aws:iam::${world.accountId}:user/openvidu-operator`,
    }),
    AssumeRole: ({ world, params }) => assumeRole(world, params),
  },
};
