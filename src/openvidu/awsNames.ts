/**
 * AWS naming rules the deploy form checks: S3 bucket names, ACM and IAM certificate ARNs and what a certificate
 * covers, CloudFormation stack names and the Lambda name the template derives from them.
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import type { TemplateSpec } from './spec';
import { LAMBDA_NAME_MAX_LENGTH, STACK_NAME_MAX_LENGTH } from './validationTypes';

/** The template's Lambda whose name is derived from the stack name (`SubnetProcessor-<region>-<stack>`). */
export const SUBNET_PROCESSOR = 'SubnetProcessorFunction';
export const LONGEST_REGION = 'ap-southeast-5';
export const SHORTEST_REGION = 'us-east-1';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why a general purpose S3 bucket name is invalid, or undefined when it is valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'may contain only lowercase letters, digits, dots and hyphens';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'must start and end with a lowercase letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (IPV4.test(name)) return 'must not be formatted as an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return 'must not start with "xn--", "sthree-" or "amzn-s3-demo-"';
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3|\.mrap)$/.test(name)) return 'must not end with "-s3alias", "--ol-s3", "--x-s3", "--table-s3" or ".mrap"';
  return undefined;
}

export function isValidBucketName(name: string): boolean {
  return bucketNameProblem(name) === undefined;
}

function normDomain(d: string): string {
  return d.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * Whether a certificate with these names (domain name and SANs) covers `domain`: an exact match, or a
 * wildcard one level deep (`*.example.com` covers `a.example.com`, not `example.com` nor `a.b.example.com`).
 */
export function certificateCovers(domain: string, certDomainNames: readonly string[]): boolean {
  const d = normDomain(domain);
  if (!d) return false;
  return certDomainNames.some((raw) => {
    const n = normDomain(raw);
    if (!n) return false;
    if (n === d) return true;
    if (n.startsWith('*.')) {
      const parent = n.slice(2);
      const dot = d.indexOf('.');
      return dot > 0 && d.slice(dot + 1) === parent;
    }
    return false;
  });
}

const ACM_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[A-Za-z0-9-]+$/;
/**
 * An IAM server certificate: `arn:aws:iam::<account>:server-certificate/<optional path/><name>` (IAM is global:
 * no region). Names and paths: IAM API reference, UploadServerCertificate (`ServerCertificateName` [\w+=,.@-]+,
 * `Path` /…/).
 */
const IAM_SERVER_CERT_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):server-certificate\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+$/;

/** Region of an ACM certificate ARN, or undefined when the text is not one. */
export function certificateArnRegion(arn: string): string | undefined {
  return ACM_ARN.exec(arn.trim())?.[1];
}

/** Whether the text is an IAM server certificate ARN. */
export function isIamServerCertificateArn(arn: string): boolean {
  return IAM_SERVER_CERT_ARN.test(arn.trim());
}

/** CloudFormation's stack name rule (CreateStack `StackName`: `[a-zA-Z][-a-zA-Z0-9]*`, at most 128 characters). */
export function isValidStackName(name: string): boolean {
  return name.length <= STACK_NAME_MAX_LENGTH && /^[a-zA-Z][-a-zA-Z0-9]*$/.test(name);
}

/** Lambda function name the template derives from the stack name (`SubnetProcessor-<region>-<stack>`). */
export function subnetProcessorFunctionName(region: string, stackName: string): string {
  return `SubnetProcessor-${region}-${stackName}`;
}

/**
 * Longest stack name whose derived names fit, for this spec and region (128 when no derived name limits it).
 * Without a region, the longest AWS region name (14 characters) is assumed.
 */
export function maxStackNameLength(spec: TemplateSpec, region?: string): number {
  if (!spec.resources[SUBNET_PROCESSOR]) return STACK_NAME_MAX_LENGTH;
  return Math.min(STACK_NAME_MAX_LENGTH, LAMBDA_NAME_MAX_LENGTH - subnetProcessorFunctionName(region ?? LONGEST_REGION, '').length);
}
