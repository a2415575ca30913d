/**
 * The deploy wizard's view of an OpenVidu HA template, without any parser: known versions and template URLs,
 * the `TemplateSpec` types, and form value helpers. Kept apart from template.ts (which pulls in the YAML
 * parser) so the webview can validate with validation.ts and the bundled specs alone.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { quoteInput } from './inputText';

// ---------------------------------------------------------------------------------------------------------
// Versions and URLs

/** Template versions whose parameters are known (bundled offline specs exist for each), oldest first. */
export const KNOWN_VERSIONS = ['3.2.0', '3.3.0', '3.4.0', '3.5.0', '3.6.0', '3.7.0', '3.8.0'] as const;
export type KnownVersion = (typeof KNOWN_VERSIONS)[number];
export const LATEST = 'latest';
/** The newest known version: what `latest` falls back to when the template cannot be fetched. */
export const NEWEST_KNOWN_VERSION: KnownVersion = KNOWN_VERSIONS[KNOWN_VERSIONS.length - 1];
/** Choices for a version picker: `latest`, then the known versions newest first. */
export const VERSION_CHOICES: readonly string[] = [LATEST, ...[...KNOWN_VERSIONS].reverse()];
export const DEFAULT_TEMPLATE_BASE_URL = 'https://s3.eu-west-1.amazonaws.com/get.openvidu.io/pro/ha';

/**
 * Why a `openviduHa.templateBaseUrl` value cannot be used, or undefined when it can. CloudFormation reads a
 * TemplateURL only from Amazon S3 ("The URL must point to a template ... located in an Amazon S3 bucket or a Systems
 * Manager document. The location for an Amazon S3 bucket must start with https://. URLs from S3 static websites are
 * not supported.", CreateStack API reference). Accepted: https://s3[.<region>].amazonaws.com/<bucket>/<prefix>,
 * https://<bucket>.s3[.<region>].amazonaws.com/<prefix>, and with a custom `openviduHa.endpoint` (the emulator,
 * LocalStack) the path-style form on that endpoint, <endpoint>/<bucket>/<prefix>.
 */
export function templateBaseUrlProblem(value: string, endpoint?: string): string | undefined {
  const fix =
    'Set it to an S3 mirror of the templates (https://<bucket>.s3.<region>.amazonaws.com/<prefix> or https://s3.<region>.amazonaws.com/<bucket>/<prefix>' +
    `${endpoint ? `, or ${endpoint.replace(/\/+$/, '')}/<bucket>/<prefix> on the configured endpoint` : ''}), or clear it to use OpenVidu's bucket (${DEFAULT_TEMPLATE_BASE_URL}).`;
  const bad = (why: string) => `The setting openviduHa.templateBaseUrl "${value}" ${why}: CloudFormation reads templates only from Amazon S3. ${fix}`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return bad('is not a URL');
  }
  if (endpoint) {
    try {
      const e = new URL(endpoint);
      if (u.origin === e.origin) return /^\/[^/]+\/?/.test(u.pathname) && u.pathname.length > 1 ? undefined : bad('names no bucket on the endpoint');
    } catch {
      // an invalid endpoint is reported where the endpoint is used
    }
  }
  if (u.protocol !== 'https:') return bad('does not start with https://');
  const host = u.hostname.toLowerCase();
  if (/(^|\.)s3[.-]website[.-]/.test(host)) return bad('is an S3 static website URL');
  if (/^s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(host)) return /^\/[^/]+/.test(u.pathname) ? undefined : bad('names no bucket');
  if (/^.+\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/.test(host)) return undefined;
  return bad('is not an S3 URL');
}

export function isKnownVersion(version: string): version is KnownVersion {
  return (KNOWN_VERSIONS as readonly string[]).includes(version);
}

/** `latest` or `X.Y.Z`. */
export function isValidVersion(version: string): boolean {
  return version === LATEST || /^\d+\.\d+\.\d+$/.test(version);
}

/** Numeric comparison of `X.Y.Z` versions (`latest` sorts after every number). */
export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  if (a === LATEST) return 1;
  if (b === LATEST) return -1;
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** `<base>/<version>/aws/cf-openvidu-ha.yaml`. Throws on a version that is neither `latest` nor `X.Y.Z`. */
export function templateUrl(version: string, baseUrl: string = DEFAULT_TEMPLATE_BASE_URL): string {
  const v = version.trim();
  if (!isValidVersion(v)) throw new Error(`Unknown OpenVidu HA template version ${quoteInput(version)}: use "latest" or X.Y.Z.`);
  return `${baseUrl.replace(/\/+$/, '')}/${v}/aws/cf-openvidu-ha.yaml`;
}

// ---------------------------------------------------------------------------------------------------------
// The spec

export interface ParameterSpec {
  key: string;
  /** CloudFormation type: `String`, `Number`, `List<AWS::EC2::Subnet::Id>`, `AWS::EC2::KeyPair::KeyName`, … */
  type: string;
  /** Default as CloudFormation passes it (always a string; lists comma-joined). Absent: no default. */
  default?: string;
  noEcho: boolean;
  description?: string;
  /** From `ParameterLabels` in the interface metadata, when the template gives one. */
  label?: string;
  allowedValues?: string[];
  allowedPattern?: string;
  minValue?: number;
  maxValue?: number;
  minLength?: number;
  maxLength?: number;
  constraintDescription?: string;
}

export interface ParameterGroup {
  label: string;
  keys: string[];
}

export interface TemplateSpec {
  /** Template version when known (`3.8.0`, `latest`). */
  version?: string;
  description?: string;
  /** Template order. */
  parameters: ParameterSpec[];
  /** Interface groups in template order, restricted to existing parameters; ungrouped ones last. */
  groups: ParameterGroup[];
  /** Logical id → resource type. */
  resources: Record<string, string>;
}

export const OTHER_PARAMETERS_LABEL = 'Other parameters';

export function findParameter(spec: TemplateSpec, key: string): ParameterSpec | undefined {
  return spec.parameters.find((p) => p.key === key);
}

export function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || /^List</.test(type) || /^AWS::SSM::Parameter::Value<List</.test(type);
}

export function isNumberType(type: string): boolean {
  return type === 'Number';
}

/**
 * Whether the wizard insists on a non-empty value: no default, and neither the description nor the constraint
 * text says the parameter may be left empty ("If empty, a bucket will be created", "(Optional) …").
 * CloudFormation itself accepts "" for a String without default; these templates then fail late.
 */
export function isRequired(param: ParameterSpec): boolean {
  if (param.default !== undefined) return false;
  const text = `${param.description ?? ''} ${param.constraintDescription ?? ''}`;
  return !/\(optional\)|\boptional\b|\bif (it is |left )?(empty|blank|not (provided|specified|set|given))\b|\bleave (it )?(empty|blank)\b/i.test(text);
}

const BRAND_WORDS: Array<[string, string]> = [['Open Vidu', 'OpenVidu'], ['Live Kit', 'LiveKit'], ['Min IO', 'MinIO']];

/** Display label: the template's `ParameterLabels` entry, else the key split into words ("Master Nodes Disk Size"). */
export function parameterLabel(param: ParameterSpec): string {
  if (param.label) return param.label;
  const words = param.key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim();
  return BRAND_WORDS.reduce((text, [split, whole]) => text.replaceAll(split, whole), words);
}

/** The input a form should show for a parameter (AWS pickers for the AWS-specific types). */
export type ParameterWidget = 'vpc' | 'subnets' | 'keyPair' | 'certificate' | 'choice' | 'number' | 'secret' | 'list' | 'text';

export function parameterWidget(param: ParameterSpec): ParameterWidget {
  if (param.type === 'AWS::EC2::VPC::Id') return 'vpc';
  if (param.type === 'List<AWS::EC2::Subnet::Id>') return 'subnets';
  if (param.type === 'AWS::EC2::KeyPair::KeyName') return 'keyPair';
  if (param.allowedValues?.length) return 'choice';
  if (/CertificateARN$/i.test(param.key)) return 'certificate';
  if (isNumberType(param.type)) return 'number';
  if (param.noEcho) return 'secret';
  if (isListType(param.type)) return 'list';
  return 'text';
}

/** The form's initial values: every parameter's default ('' when it has none). */
export function defaultValues(spec: TemplateSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of spec.parameters) out[p.key] = p.default ?? '';
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Form values → CloudFormation parameters

/** A form value: text, a list (subnets), or a number, as the form holds it. */
export type FormValue = string | readonly string[] | number | boolean | null | undefined;
export type FormValues = Readonly<Record<string, FormValue>>;

/** The value as text, trimmed; lists comma-joined without blanks. */
export function formValueText(value: FormValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return formValueList(value).join(',');
  return String(value).trim();
}

/** The value as a list: array items or comma-separated text, trimmed, blanks dropped. */
export function formValueList(value: FormValue): string[] {
  if (value === undefined || value === null) return [];
  const items: string[] = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * `CreateStack` parameters for the spec's parameters. An empty value for a parameter that has a default is
 * left out, so CloudFormation applies the default; values for keys the spec lacks are dropped.
 */
export function toCloudFormationParameters(spec: TemplateSpec, values: FormValues): Array<{ ParameterKey: string; ParameterValue: string }> {
  const out: Array<{ ParameterKey: string; ParameterValue: string }> = [];
  for (const p of spec.parameters) {
    const text = formValueText(values[p.key]);
    if (text === '' && p.default !== undefined) continue;
    out.push({ ParameterKey: p.key, ParameterValue: text });
  }
  return out;
}
