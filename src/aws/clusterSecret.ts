/**
 * Reads a cluster's shared-info secret: the id is the physical id of the stack's `OpenViduSharedInfo`
 * resource (the secret ARN), falling back to the name the template gives it, `openvidu-ha-<region>-<stack>`.
 * The values are returned to the caller and never logged.
 */
import type { AwsSession } from './session';
import { SECRET_LOGICAL_ID, secretNameFor } from '../openvidu/cluster';
import { parseSecretString, type SecretValues } from '../openvidu/credentials';
import { sdk } from './sdk';

export interface ClusterSecret {
  /** the id the secret was read with (ARN or name) */
  secretId: string;
  values: SecretValues;
}

/** The secret's id from the stack resource, or undefined when the stack has no such resource (yet). */
export async function clusterSecretId(session: AwsSession, stackName: string, signal?: AbortSignal): Promise<string | undefined> {
  const cfn = await session.cloudFormation();
  try {
    const r = await cfn.send(new (await sdk.cloudFormation()).DescribeStackResourceCommand({ StackName: stackName, LogicalResourceId: SECRET_LOGICAL_ID }), { abortSignal: signal });
    return r.StackResourceDetail?.PhysicalResourceId || undefined;
  } catch (e) {
    // "Resource OpenViduSharedInfo does not exist for stack …": use the templated name.
    if ((e as Error).name === 'ValidationError') return undefined;
    throw e;
  }
}

export async function readClusterSecret(session: AwsSession, stackName: string, signal?: AbortSignal): Promise<ClusterSecret> {
  const secrets = await session.secretsManager();
  const fallback = secretNameFor(session.region, stackName);
  // A profile allowed to read the secret but not to describe the stack still gets the templated name.
  const fromStack = await clusterSecretId(session, stackName, signal).catch((e: unknown) => {
    if (signal?.aborted) throw e;
    return undefined;
  });
  const ids = [...new Set([fromStack, fallback].filter((x): x is string => !!x))];
  let lastError: unknown;
  for (const secretId of ids) {
    try {
      const out = await secrets.send(new (await sdk.secretsManager()).GetSecretValueCommand({ SecretId: secretId }), { abortSignal: signal });
      return { secretId, values: parseSecretString(out.SecretString) };
    } catch (e) {
      lastError = e;
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
    }
  }
  throw lastError ?? Object.assign(new Error(`Secret ${fallback} does not exist.`), { name: 'ResourceNotFoundException' });
}
