/**
 * Every AWS SDK module the extension uses, each loaded on first use. This file is the entry point of a second
 * bundle (`dist/aws-sdk.js`, see scripts/build.mjs): the extension's own bundle reaches it only through
 * `./sdk` (a dynamic import on the first AWS call), so activation parses none of the SDK's ~3 MB. In tests and
 * benches (tsx, no bundling) it is an ordinary module. Import from `./sdk`, not from here.
 */
export const sdkModules = {
  acm: () => import('@aws-sdk/client-acm'),
  autoScaling: () => import('@aws-sdk/client-auto-scaling'),
  cloudFormation: () => import('@aws-sdk/client-cloudformation'),
  cloudWatch: () => import('@aws-sdk/client-cloudwatch'),
  cloudWatchLogs: () => import('@aws-sdk/client-cloudwatch-logs'),
  ec2: () => import('@aws-sdk/client-ec2'),
  iam: () => import('@aws-sdk/client-iam'),
  secretsManager: () => import('@aws-sdk/client-secrets-manager'),
  ssm: () => import('@aws-sdk/client-ssm'),
  sts: () => import('@aws-sdk/client-sts'),
  credentialProviders: () => import('@aws-sdk/credential-providers'),
};
