/**
 * One object that knows the AWS profile, region, endpoint and credentials, and creates each SDK v3 client on
 * first use. SDK modules are loaded with dynamic import() so that activation does not pay for clients a
 * session never uses (esbuild keeps them as lazily initialised modules inside the bundle).
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ACMClient } from '@aws-sdk/client-acm';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { IAMClient } from '@aws-sdk/client-iam';
import { loadSharedConfig } from './sharedConfig';
import { partitionOf } from '../openvidu/partition';
import { sdk } from './sdk';

export interface SessionSettings {
  /** shared-config profile; empty/undefined = the SDK's default chain */
  profile?: string;
  /** the session's region */
  region: string;
  /** one endpoint for every service (emulator, LocalStack); empty/undefined = AWS */
  endpoint?: string;
  /** explicit credentials (tests); otherwise resolved from the profile / default chain */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** SDK attempts per call including the first (standard retry mode) */
  maxAttempts?: number;
  /**
   * Asks the user for the current code of the MFA device `mfaSerial` (a profile with `mfa_serial` and
   * `role_arn`). Called at most once per credential resolution; the resolved credentials are cached until they
   * expire. Without it such a profile fails with the SDK's "no MFA code callback" error.
   */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
}

export interface ClientConfig {
  region: string;
  endpoint?: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts: number;
  retryMode: 'standard';
}

type ClientKind = 'cloudformation' | 'ec2' | 'autoscaling' | 'ssm' | 'secretsmanager' | 'acm' | 'sts' | 'logs' | 'iam' | 'cloudwatch';

export class AwsSession {
  private readonly clients = new Map<ClientKind, Promise<unknown>>();
  private readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly region: string;
  readonly profile?: string;
  readonly endpoint?: string;

  constructor(
    readonly settings: SessionSettings,
    sharedCredentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider,
  ) {
    this.region = settings.region;
    this.profile = settings.profile || undefined;
    this.endpoint = settings.endpoint?.trim() || undefined;
    this.credentials = settings.credentials ?? sharedCredentials ?? lazyDefaultChain(this.profile, settings.mfaCodeProvider, this.endpoint);
  }

  /** The same credentials in another region (credentials are resolved once and shared). */
  forRegion(region: string): AwsSession {
    if (region === this.region) return this;
    return new AwsSession({ ...this.settings, region }, this.credentials);
  }

  clientConfig(): ClientConfig {
    return {
      region: this.region,
      endpoint: this.endpoint,
      credentials: this.credentials,
      maxAttempts: this.settings.maxAttempts ?? 3,
      retryMode: 'standard',
    };
  }

  private client<T>(kind: ClientKind, create: () => Promise<T>): Promise<T> {
    let c = this.clients.get(kind) as Promise<T> | undefined;
    if (!c) {
      c = create();
      this.clients.set(kind, c);
    }
    return c;
  }

  cloudFormation(): Promise<CloudFormationClient> {
    return this.client('cloudformation', async () => new (await sdk.cloudFormation()).CloudFormationClient(this.clientConfig()));
  }
  ec2(): Promise<EC2Client> {
    return this.client('ec2', async () => new (await sdk.ec2()).EC2Client(this.clientConfig()));
  }
  autoScaling(): Promise<AutoScalingClient> {
    return this.client('autoscaling', async () => new (await sdk.autoScaling()).AutoScalingClient(this.clientConfig()));
  }
  ssm(): Promise<SSMClient> {
    return this.client('ssm', async () => new (await sdk.ssm()).SSMClient(this.clientConfig()));
  }
  secretsManager(): Promise<SecretsManagerClient> {
    return this.client('secretsmanager', async () => new (await sdk.secretsManager()).SecretsManagerClient(this.clientConfig()));
  }
  acm(): Promise<ACMClient> {
    return this.client('acm', async () => new (await sdk.acm()).ACMClient(this.clientConfig()));
  }
  sts(): Promise<STSClient> {
    return this.client('sts', async () => new (await sdk.sts()).STSClient(this.clientConfig()));
  }
  cloudWatch(): Promise<CloudWatchClient> {
    return this.client('cloudwatch', async () => new (await sdk.cloudWatch()).CloudWatchClient(this.clientConfig()));
  }
  logs(): Promise<CloudWatchLogsClient> {
    return this.client('logs', async () => new (await sdk.cloudWatchLogs()).CloudWatchLogsClient(this.clientConfig()));
  }
  iam(): Promise<IAMClient> {
    // IAM is global per partition: signed for us-east-1 (aws), cn-north-1 (aws-cn), us-gov-west-1 (aws-us-gov);
    // a custom endpoint keeps the session's region.
    return this.client('iam', async () => new (await sdk.iam()).IAMClient({ ...this.clientConfig(), region: this.iamRegion() }));
  }
  /** The region IAM calls are signed for. */
  iamRegion(): string {
    return this.endpoint ? this.region : partitionOf(this.region).iamRegion;
  }

  /** Which clients this session has created so far (activation-cost tests). */
  createdClients(): string[] {
    return [...this.clients.keys()];
  }

  dispose(): void {
    for (const c of this.clients.values()) void c.then((client) => (client as { destroy?: () => void }).destroy?.());
    this.clients.clear();
  }
}

/**
 * The SDK's Node provider chain (env, SSO, shared ini, process, container, instance metadata), loaded on the
 * first call and memoised so credentials are resolved once per session family.
 */
function lazyDefaultChain(profile: string | undefined, mfaCodeProvider: SessionSettings['mfaCodeProvider'], endpoint: string | undefined): AwsCredentialIdentityProvider {
  let provider: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (options) => {
    provider ??= sdk.credentialProviders().then((m) =>
      // The chain is memoised by the SDK: a role assumed with an MFA code is reused until it expires, so the
      // code is asked once per session, not per call. The STS call of the role assumption goes to the same
      // custom endpoint as every other client (the emulator, LocalStack).
      m.fromNodeProviderChain({
        ...(profile ? { profile } : {}),
        ...(mfaCodeProvider ? { mfaCodeProvider } : {}),
        ...(endpoint ? { clientConfig: { endpoint } } : {}),
      }),
    );
    return (await provider)(options);
  };
}

/** Whether a shared-config profile assumes a role with an MFA code (`mfa_serial`). */
export async function profileUsesMfa(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const { profiles } = await loadSharedConfig(env);
  return !!profiles[profile || env.AWS_PROFILE || 'default']?.mfa_serial;
}

/**
 * The region to use when the user configured none: `AWS_REGION` / `AWS_DEFAULT_REGION`, then the profile's
 * `region` in the shared config file, then us-east-1.
 */
export async function defaultRegion(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (fromEnv) return fromEnv;
  const { profiles } = await loadSharedConfig(env);
  return profiles[profile || env.AWS_PROFILE || 'default']?.region || 'us-east-1';
}

/** Profile names from the shared config and credentials files (for the profile quick pick). */
export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  return Object.keys((await loadSharedConfig(env)).profiles).sort();
}

/** `openviduHa.regions` if set, else the default region. */
export async function resolveRegions(configured: readonly string[] | undefined, profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const valid = (configured ?? []).map((r) => r.trim()).filter((r) => /^[a-z]{2}(-[a-z]+)+-\d$/.test(r));
  if (valid.length) return [...new Set(valid)];
  return [await defaultRegion(profile, env)];
}
