/**
 * The vocabulary of deploy form validation: issues, the stack name field and its limits, and the AWS facts the
 * host passes in (`ValidationContext`). Pure TypeScript: no `vscode`, no Node built-ins.
 */
export type Severity = 'error' | 'warning';

export interface Issue {
  /** Parameter key, or `StackName`. */
  field: string;
  severity: Severity;
  /** Names the field and says how to fix it. */
  message: string;
}

/** The form field holding the stack name (not a template parameter). */
export const STACK_NAME_FIELD = 'StackName';
export const STACK_NAME_MAX_LENGTH = 128;
export const LAMBDA_NAME_MAX_LENGTH = 64;
/** Master subnets allowed when the template does not tell (it creates 4 master instances). */
export const DEFAULT_MAX_MASTER_SUBNETS = 4;

export interface SubnetInfo {
  id: string;
  vpcId: string;
  availabilityZone: string;
  /** Its route table has 0.0.0.0/0 to an internet gateway. */
  public: boolean;
  mapPublicIpOnLaunch: boolean;
}

export interface CertificateInfo {
  arn: string;
  domainName: string;
  subjectAlternativeNames?: string[];
  /** ACM status: ISSUED, PENDING_VALIDATION, EXPIRED, … */
  status: string;
  /** Defaults to the region in the ARN. */
  region?: string;
}

/** AWS facts fetched by the host; every member optional (a missing one skips its checks). */
export interface ValidationContext {
  /** Region the stack is created in. */
  region?: string;
  /** Names of the region's existing (not deleted) stacks. */
  stackNamesInUse?: readonly string[];
  /** VPC ids of the region. */
  vpcIds?: readonly string[];
  /** Subnets of the chosen VPC (or of the region). */
  subnets?: readonly SubnetInfo[];
  keyPairNames?: readonly string[];
  certificates?: readonly CertificateInfo[];
  /** Availability zone → instance types offered there. */
  instanceTypesByZone?: Readonly<Record<string, readonly string[]>>;
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
