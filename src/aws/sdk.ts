/**
 * The AWS SDK modules, loaded on first use: `(await sdk.ec2()).DescribeInstancesCommand`. The modules live in a
 * second bundle (`dist/aws-sdk.js`, built from ./sdkModules.ts), which the extension's bundle requires on the
 * first AWS call and never at activation (scripts/build.mjs resolves `./sdkModules` to it).
 */
import type { sdkModules as SdkModules } from './sdkModules';

type Modules = typeof SdkModules;
let loaded: Promise<Modules> | undefined;
const modules = (): Promise<Modules> => (loaded ??= import('./sdkModules').then((m) => m.sdkModules));

function lazy<K extends keyof Modules>(key: K): () => ReturnType<Modules[K]> {
  return (() => modules().then((m) => m[key]())) as () => ReturnType<Modules[K]>;
}

export const sdk = {
  acm: lazy('acm'),
  autoScaling: lazy('autoScaling'),
  cloudFormation: lazy('cloudFormation'),
  cloudWatch: lazy('cloudWatch'),
  cloudWatchLogs: lazy('cloudWatchLogs'),
  ec2: lazy('ec2'),
  iam: lazy('iam'),
  secretsManager: lazy('secretsManager'),
  ssm: lazy('ssm'),
  sts: lazy('sts'),
  credentialProviders: lazy('credentialProviders'),
};
