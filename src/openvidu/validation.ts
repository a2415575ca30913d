/**
 * Validation of the deploy form, shared by the webview (as-you-type) and the extension host (before
 * `CreateStack`). Every rule is driven by the chosen version's `TemplateSpec`: a parameter the version lacks is
 * simply not checked. The optional `ValidationContext` carries AWS facts the host fetched (subnets, key pairs,
 * certificates, …) for the checks CloudFormation would only fail on late.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { findParameter, formValueList, formValueText, isListType, isNumberType, isRequired } from './spec';
import type { FormValue, FormValues, ParameterSpec, TemplateSpec } from './spec';
import { clipInput, quoteInput } from './inputText';

export type { FormValue, FormValues } from './spec';

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

// ---------------------------------------------------------------------------------------------------------
// Small exported helpers

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
const LISTENER_TYPE = 'AWS::ElasticLoadBalancingV2::Listener';

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

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

// ---------------------------------------------------------------------------------------------------------
// Parameter roles (by key and type; each applies only when the version's template has the parameter)

const SUBNET_PROCESSOR = 'SubnetProcessorFunction';
const LONGEST_REGION = 'ap-southeast-5';
const SHORTEST_REGION = 'us-east-1';
const SUBNET_LIST = 'List<AWS::EC2::Subnet::Id>';
const VPC_TYPE = 'AWS::EC2::VPC::Id';
const KEY_PAIR_TYPE = 'AWS::EC2::KeyPair::KeyName';

function isMasterSubnets(p: ParameterSpec): boolean {
  return p.type === SUBNET_LIST && /master/i.test(p.key);
}

/** How many master nodes the template creates (`OpenViduMasterNode<n>` instances), else the default 4. */
function masterNodeCount(spec: TemplateSpec): number {
  const n = Object.entries(spec.resources).filter(([id, t]) => /^OpenViduMasterNode\d+$/.test(id) && t === 'AWS::EC2::Instance').length;
  return n || DEFAULT_MAX_MASTER_SUBNETS;
}

/** The domain parameter a certificate parameter belongs to: OpenViduCertificateARN → DomainName, TurnCertificateARN → TurnDomainName. */
function domainParamFor(spec: TemplateSpec, certKey: string): ParameterSpec | undefined {
  const base = certKey.replace(/Certificate(ARN|Arn)$/, 'DomainName');
  return findParameter(spec, base) ?? findParameter(spec, base.replace(/^OpenVidu/, ''));
}

function isCertificateParam(p: ParameterSpec): boolean {
  return /CertificateARN$/i.test(p.key) && !isListType(p.type);
}

function isBucketParam(p: ParameterSpec): boolean {
  return /Bucket(Name)?$/i.test(p.key) && !isListType(p.type);
}

/** Subnet list parameter whose zones an instance type parameter runs in: MasterNodeInstanceType → the master subnets. */
function subnetParamsFor(spec: TemplateSpec, instanceTypeKey: string): ParameterSpec[] {
  const lists = spec.parameters.filter((p) => p.type === SUBNET_LIST);
  const role = /^(.*?)(Node)?InstanceType$/.exec(instanceTypeKey)?.[1]?.toLowerCase();
  const matching = role ? lists.filter((p) => p.key.toLowerCase().includes(role)) : [];
  return matching.length ? matching : lists;
}

// ---------------------------------------------------------------------------------------------------------
// Single-parameter rules

/** Up to `max` items, each clipped (they may be input). */
function listPreview(values: readonly string[], max = 8): string {
  const shown = values.slice(0, max).map((v) => clipInput(v));
  return values.length <= max ? shown.join(', ') : `${shown.join(', ')}, … (${values.length} values)`;
}

function hint(p: ParameterSpec): string {
  const c = p.constraintDescription?.trim();
  return c ? ` (${c.replace(/\.$/, '')})` : '';
}

function patternMatches(pattern: string, value: string): boolean | undefined {
  // CloudFormation matches AllowedPattern (a Java regex) against the whole value. Try Unicode mode first, which
  // rejects escapes JavaScript does not know; a Java-only construct (\p{javaLowerCase}, \p{Alpha}) is left to
  // CloudFormation rather than misread.
  for (const flags of ['u', '']) {
    if (flags === '' && /\\[pP]\{/.test(pattern)) return undefined;
    try {
      return new RegExp(`^(?:${pattern})$`, flags).test(value);
    } catch {
      continue;
    }
  }
  return undefined;
}

const WHOLE_NUMBER = /^[+-]?\d+$/;
/** CloudFormation's `Number` type: "an integer or float" (Parameters section of the template reference). */
const NUMBER = /^[+-]?(?:\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Number parameters that count or size something (media nodes, disk GB) feed integer properties (the group's
 * MinSize / MaxSize / DesiredCapacity, EBS VolumeSize): a decimal would pass CloudFormation's parameter check
 * and fail late on the resource. Others, such as ScaleTargetCPU (a target-tracking TargetValue, a Double),
 * take decimals as CloudFormation does.
 */
function isWholeNumberParam(p: ParameterSpec): boolean {
  return /NumberOf|Count|Size|^(Min|Max|Initial|Desired)[A-Z]/.test(p.key);
}

/** The value quoted for a message (at most ~80 characters); NoEcho values are never repeated back. */
function shown(p: ParameterSpec, text: string): string {
  return p.noEcho ? 'the value entered' : quoteInput(text);
}

function checkParameter(p: ParameterSpec, raw: FormValue, issues: Issue[]): void {
  const add = (message: string, severity: Severity = 'error') => issues.push({ field: p.key, severity, message });
  const list = isListType(p.type);
  const text = formValueText(raw);
  if (text === '') {
    if (isRequired(p)) {
      const what = p.description ? ` (${p.description.trim().replace(/\.$/, '')})` : '';
      add(`${p.key} is required${what}: enter a value.`);
    }
    // An empty value with a default leaves CloudFormation to apply the default.
    if (p.default !== undefined || isRequired(p)) return;
  }

  if (list) {
    const items = formValueList(raw);
    const dups = [...new Set(items.filter((s, i) => items.indexOf(s) !== i))];
    if (dups.length) add(`${p.key} lists ${listPreview(dups)} more than once: remove the duplicates.`);
    if (p.type === SUBNET_LIST) {
      const bad = items.filter((s) => !/^subnet-[0-9a-f]{8,17}$/.test(s));
      if (bad.length) add(`${p.key}: ${listPreview(bad)} ${bad.length > 1 ? 'are not subnet ids' : 'is not a subnet id'}; use ids like subnet-0123456789abcdef0.`);
    }
    if (p.allowedValues) {
      const bad = items.filter((s) => !p.allowedValues!.includes(s));
      if (bad.length) add(`${p.key}: ${listPreview(bad)} not allowed; choose from ${listPreview(p.allowedValues)}.`);
    }
    // CloudFormation template reference, Parameters, AllowedPattern: "When applied to a parameter of type
    // CommaDelimitedList, the pattern must match each value in the list" (not the joined text).
    if (p.allowedPattern) {
      const bad = items.filter((s) => patternMatches(p.allowedPattern!, s) === false);
      if (bad.length) {
        const what = p.noEcho ? `${bad.length} value${bad.length > 1 ? 's' : ''}` : listPreview(bad);
        add(`${p.key}: ${what} ${bad.length > 1 ? 'do' : 'does'} not match the pattern ${p.allowedPattern}${hint(p)}; correct ${bad.length > 1 ? 'them' : 'it'}.`);
      }
    }
    return;
  }

  if (p.type === VPC_TYPE && text !== '' && !/^vpc-[0-9a-f]{8,17}$/.test(text)) {
    add(`${p.key}: ${quoteInput(text)} is not a VPC id; choose a VPC (ids look like vpc-0123456789abcdef0).`);
  }

  if (p.allowedValues && !p.allowedValues.includes(text)) {
    add(`${p.key} must be one of ${listPreview(p.allowedValues)}; ${shown(p, text)} is not allowed.`);
    return;
  }

  if (isNumberType(p.type)) {
    if (isWholeNumberParam(p) ? !WHOLE_NUMBER.test(text) : !NUMBER.test(text)) {
      add(`${p.key} must be ${isWholeNumberParam(p) ? 'a whole number' : 'a number (decimals allowed, e.g. 50 or 62.5)'}${hint(p)}; ${shown(p, text)} is not.`);
      return;
    }
    const n = Number(text);
    if (p.minValue !== undefined && n < p.minValue) add(`${p.key} must be at least ${p.minValue}${hint(p)}; raise it${p.noEcho ? '' : ` from ${n}`}.`);
    if (p.maxValue !== undefined && n > p.maxValue) add(`${p.key} must be at most ${p.maxValue}${hint(p)}; lower it${p.noEcho ? '' : ` from ${n}`}.`);
    return;
  }

  if (p.minLength !== undefined && text.length < p.minLength) add(`${p.key} must be at least ${p.minLength} characters long${hint(p)}.`);
  if (p.maxLength !== undefined && text.length > p.maxLength) add(`${p.key} must be at most ${p.maxLength} characters long${hint(p)}.`);
  if (p.allowedPattern && patternMatches(p.allowedPattern, text) === false) {
    const why = p.constraintDescription?.trim() ? p.constraintDescription.trim().replace(/\.$/, '') : `it must match ${p.allowedPattern}`;
    add(`${p.key}: ${why}. Correct the value.`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Cross-field and context rules

function effectiveNumber(spec: TemplateSpec, values: FormValues, key: string): number | undefined {
  const p = findParameter(spec, key);
  if (!p) return undefined;
  const text = formValueText(values[key]) || p.default || '';
  return WHOLE_NUMBER.test(text) ? Number(text) : undefined;
}

function checkStackName(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
  const add = (message: string, severity: Severity = 'error') => issues.push({ field: STACK_NAME_FIELD, severity, message });
  const name = formValueText(values[STACK_NAME_FIELD]);
  if (!name) {
    add(`${STACK_NAME_FIELD} is required: enter a name that starts with a letter and contains only letters, digits and hyphens.`);
    return;
  }
  if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(name)) {
    add(`${STACK_NAME_FIELD} ${quoteInput(name)} is invalid: it must start with a letter and contain only letters, digits and hyphens.`);
    return;
  }
  if (name.length > STACK_NAME_MAX_LENGTH) {
    add(`${STACK_NAME_FIELD} is ${name.length} characters long: use at most ${STACK_NAME_MAX_LENGTH}.`);
    return;
  }
  if (spec.resources[SUBNET_PROCESSOR]) {
    const region = ctx.region;
    const fn = subnetProcessorFunctionName(region ?? SHORTEST_REGION, name);
    if (fn.length > LAMBDA_NAME_MAX_LENGTH) {
      const max = maxStackNameLength(spec, region ?? SHORTEST_REGION);
      add(`${STACK_NAME_FIELD} is too long: the template names a Lambda function "${fn}" (${fn.length} characters, the limit is ${LAMBDA_NAME_MAX_LENGTH}) and the stack would fail late. Shorten the name to at most ${max} characters.`);
    } else if (!region) {
      const longest = subnetProcessorFunctionName(LONGEST_REGION, name);
      if (longest.length > LAMBDA_NAME_MAX_LENGTH) {
        add(`${STACK_NAME_FIELD} may be too long: in a region such as ${LONGEST_REGION} the Lambda function "${longest}" would exceed ${LAMBDA_NAME_MAX_LENGTH} characters. Shorten it to at most ${maxStackNameLength(spec)} characters.`, 'warning');
      }
    }
  }
  if (ctx.stackNamesInUse?.includes(name)) {
    add(`${STACK_NAME_FIELD} ${quoteInput(name)} is already used by a stack${ctx.region ? ` in ${ctx.region}` : ''}: choose another name or delete that stack.`);
  }
}

/** Min <= Initial (or Desired) <= Max for every MinX / MaxX pair of Number parameters. */
function checkRanges(spec: TemplateSpec, values: FormValues, issues: Issue[]): void {
  for (const minP of spec.parameters) {
    const m = /^Min(.+)$/.exec(minP.key);
    if (!m || !isNumberType(minP.type)) continue;
    const maxKey = `Max${m[1]}`;
    if (!findParameter(spec, maxKey)) continue;
    const min = effectiveNumber(spec, values, minP.key);
    const max = effectiveNumber(spec, values, maxKey);
    if (min !== undefined && max !== undefined && min > max) {
      issues.push({ field: minP.key, severity: 'error', message: `${minP.key} (${min}) is greater than ${maxKey} (${max}): lower ${minP.key} or raise ${maxKey}.` });
      continue;
    }
    for (const mid of [`Initial${m[1]}`, `Desired${m[1]}`]) {
      if (!findParameter(spec, mid)) continue;
      const v = effectiveNumber(spec, values, mid);
      if (v === undefined) continue;
      if (min !== undefined && v < min) issues.push({ field: mid, severity: 'error', message: `${mid} (${v}) is below ${minP.key} (${min}): set ${mid} between ${min} and ${max ?? min}.` });
      else if (max !== undefined && v > max) issues.push({ field: mid, severity: 'error', message: `${mid} (${v}) is above ${maxKey} (${max}): set ${mid} between ${min ?? 0} and ${max}, or raise ${maxKey}.` });
    }
  }
}

function checkBuckets(spec: TemplateSpec, values: FormValues, issues: Issue[]): void {
  for (const p of spec.parameters.filter(isBucketParam)) {
    const name = formValueText(values[p.key]);
    if (!name) continue;
    const problem = bucketNameProblem(name);
    if (problem) issues.push({ field: p.key, severity: 'error', message: `${p.key} ${quoteInput(name)} is not a valid S3 bucket name: it ${problem}. Fix the name, or leave it empty to let the stack create a bucket.` });
  }
}

function checkSubnets(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
  const vpcParam = spec.parameters.find((p) => p.type === VPC_TYPE);
  const vpcId = vpcParam ? formValueText(values[vpcParam.key]) : '';
  if (vpcParam && vpcId && ctx.vpcIds && !ctx.vpcIds.includes(vpcId)) {
    issues.push({ field: vpcParam.key, severity: 'error', message: `${vpcParam.key} ${clipInput(vpcId)} was not found${ctx.region ? ` in ${ctx.region}` : ''}: choose an existing VPC.` });
  }
  const byId = new Map((ctx.subnets ?? []).map((s) => [s.id, s]));
  const maxMasters = masterNodeCount(spec);

  for (const p of spec.parameters.filter((q) => q.type === SUBNET_LIST)) {
    const add = (message: string, severity: Severity = 'error') => issues.push({ field: p.key, severity, message });
    const ids = [...new Set(formValueList(values[p.key]))];
    if (isMasterSubnets(p) && ids.length > maxMasters) {
      add(`${p.key} has ${ids.length} subnets: at most ${maxMasters} are allowed (one per master node). Remove ${ids.length - maxMasters}.`);
    }
    if (!ctx.subnets || ids.length === 0) continue;

    const known: SubnetInfo[] = [];
    for (const id of ids) {
      const s = byId.get(id);
      if (!s) {
        add(`${p.key}: subnet ${clipInput(id)} was not found${vpcId ? ` in ${clipInput(vpcId)}` : ''}${ctx.region ? ` (${ctx.region})` : ''}. Choose a subnet of the chosen VPC.`);
        continue;
      }
      known.push(s);
      if (vpcId && s.vpcId !== vpcId) {
        add(`${p.key}: subnet ${id} belongs to ${s.vpcId}, not to the chosen ${vpcParam?.key ?? 'VPC'} ${vpcId}. Choose subnets of ${vpcId}, or change the VPC.`);
        continue;
      }
      if (!s.public) {
        add(`${p.key}: subnet ${id} (${s.availabilityZone}) is not public: add a route 0.0.0.0/0 to an internet gateway in its route table, or choose a public subnet.`);
      }
      if (!s.mapPublicIpOnLaunch) {
        add(`${p.key}: subnet ${id} (${s.availabilityZone}) does not assign public IPv4 addresses: enable auto-assign public IPv4 in its subnet settings, or choose another subnet.`);
      }
    }

    if (isMasterSubnets(p) && known.length) {
      const byZone = new Map<string, string[]>();
      for (const s of known) byZone.set(s.availabilityZone, [...(byZone.get(s.availabilityZone) ?? []), s.id]);
      for (const [zone, inZone] of byZone) {
        if (inZone.length > 1) add(`${p.key}: ${inZone.join(' and ')} are all in ${zone}; master subnets must be in distinct availability zones. Keep one subnet per zone.`);
      }
      const wanted = Math.min(DEFAULT_MAX_MASTER_SUBNETS, maxMasters);
      if (byZone.size < wanted) {
        const usable = new Set(
          (ctx.subnets ?? []).filter((s) => (!vpcId || s.vpcId === vpcId) && s.public && s.mapPublicIpOnLaunch).map((s) => s.availabilityZone),
        );
        const msg = usable.size >= wanted
          ? `${p.key} uses ${byZone.size} availability zone${byZone.size === 1 ? '' : 's'} (${[...byZone.keys()].join(', ')}): for high availability choose one public subnet in each of ${wanted} zones (public subnets exist in ${[...usable].sort().join(', ')}).`
          : `${p.key}: only ${usable.size} availability zone${usable.size === 1 ? '' : 's'} with public subnets ${usable.size === 1 ? 'is' : 'are'} available${vpcId ? ` in ${vpcId}` : ''}, fewer than ${wanted}: master nodes will share zones, so losing a zone can take down more than one. Add public subnets in other zones, or use a region with ${wanted}+ zones.`;
        add(msg, 'warning');
      }
    }
  }
}

function checkCertificates(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
  for (const p of spec.parameters.filter(isCertificateParam)) {
    const add = (message: string, severity: Severity = 'error') => issues.push({ field: p.key, severity, message });
    const arn = formValueText(values[p.key]);
    const domainP = domainParamFor(spec, p.key);
    const domainText = domainP ? formValueText(values[domainP.key]) : '';
    const domain = clipInput(domainText);
    if (!arn) {
      // An optional certificate (TURN) is needed as soon as its domain is set.
      if (domainP && domain && !isRequired(p)) {
        add(`${p.key} is required when ${domainP.key} is set: choose an ACM certificate for ${domain}, or clear ${domainP.key}.`);
      }
      continue;
    }
    // The templates give these parameters to the Certificates of their network load balancer's TLS listeners
    // (AWS::ElasticLoadBalancingV2::Listener), which take an ACM certificate or an IAM server certificate: ELB
    // API reference, Certificate.CertificateArn, and the NLB guide, "Create a listener" (default certificate
    // "From ACM" or "From IAM"). The wizard can only look ACM certificates up, so an IAM one gets a note.
    if (isIamServerCertificateArn(arn) && Object.values(spec.resources).includes(LISTENER_TYPE)) {
      add(
        `${p.key} is an IAM server certificate: the load balancer accepts it, but its domain and expiry cannot be checked here and IAM does not renew it. Make sure it covers ${domainP && domain ? `${domainP.key} ${domain}` : 'the domain'} and is valid, or use an ACM certificate.`,
        'warning',
      );
      continue;
    }
    const arnRegion = certificateArnRegion(arn);
    if (!arnRegion) {
      add(`${p.key} is not an ACM certificate ARN: use arn:aws:acm:<region>:<account>:certificate/<id> (request or import a certificate${domain ? ` for ${domain}` : ''} in ACM), or an IAM server certificate ARN arn:aws:iam::<account>:server-certificate/<name>.`);
      continue;
    }
    if (ctx.region && arnRegion !== ctx.region) {
      add(`${p.key} is a certificate in ${arnRegion}, but the stack is created in ${ctx.region}: the load balancer needs a certificate in ${ctx.region}. Request or import one there${domain ? ` for ${domain}` : ''}.`);
      continue;
    }
    if (!ctx.certificates) continue;
    const cert = ctx.certificates.find((c) => c.arn === arn);
    if (!cert) {
      add(`${p.key}: certificate ${clipInput(arn)} was not found in ACM${ctx.region ? ` in ${ctx.region}` : ''}. Choose an existing certificate.`);
      continue;
    }
    const certRegion = cert.region ?? arnRegion;
    if (ctx.region && certRegion !== ctx.region) {
      add(`${p.key} is a certificate in ${certRegion}, but the stack is created in ${ctx.region}: request or import one in ${ctx.region}.`);
    }
    if (cert.status !== 'ISSUED') {
      add(`${p.key}: certificate for ${cert.domainName} is ${cert.status}, not ISSUED. ${cert.status === 'PENDING_VALIDATION' ? 'Complete its DNS validation in ACM' : 'Renew it or choose an issued certificate'}.`);
    }
    if (domainP && domain) {
      const names = [cert.domainName, ...(cert.subjectAlternativeNames ?? [])];
      if (!certificateCovers(domainText, names)) {
        add(`${p.key}: certificate for ${listPreview([...new Set(names)], 4)} does not cover ${domainP.key} ${domain}. Choose a certificate for ${domain} (or *.${domain.split('.').slice(1).join('.')}), or change ${domainP.key}.`);
      }
    }
  }
}

function checkKeyPairs(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
  if (!ctx.keyPairNames) return;
  for (const p of spec.parameters.filter((q) => q.type === KEY_PAIR_TYPE)) {
    const name = formValueText(values[p.key]);
    if (name && !ctx.keyPairNames.includes(name)) {
      issues.push({ field: p.key, severity: 'error', message: `${p.key}: key pair ${quoteInput(name)} does not exist${ctx.region ? ` in ${ctx.region}` : ''}. Create or import it in EC2 → Key Pairs, or choose an existing one.` });
    }
  }
}

function checkInstanceTypes(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
  const offered = ctx.instanceTypesByZone;
  if (!offered || !ctx.subnets) return;
  const byId = new Map(ctx.subnets.map((s) => [s.id, s]));
  for (const p of spec.parameters.filter((q) => /InstanceType$/.test(q.key) && !isListType(q.type))) {
    const type = formValueText(values[p.key]) || p.default || '';
    if (!type) continue;
    const zones = new Set<string>();
    for (const sp of subnetParamsFor(spec, p.key)) {
      for (const id of formValueList(values[sp.key])) {
        const zone = byId.get(id)?.availabilityZone;
        if (zone) zones.add(zone);
      }
    }
    const missing = [...zones].filter((z) => offered[z] !== undefined && !offered[z].includes(type)).sort();
    if (missing.length) {
      issues.push({ field: p.key, severity: 'warning', message: `${p.key} ${clipInput(type)} is not offered in ${missing.join(', ')}: choose another instance type, or subnets in zones that offer it.` });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Entry points

function fieldOrder(spec: TemplateSpec): (field: string) => number {
  const index = new Map(spec.parameters.map((p, i) => [p.key, i]));
  return (f) => (f === STACK_NAME_FIELD ? -1 : index.get(f) ?? spec.parameters.length);
}

/**
 * Every issue of the deploy form: `values` maps parameter keys (and `StackName`) to form values. Issues are
 * ordered by field (stack name first, then template order); an empty list means the form can be submitted.
 */
export function validateDeployForm(spec: TemplateSpec, values: FormValues, context: ValidationContext = {}): Issue[] {
  const issues: Issue[] = [];
  checkStackName(spec, values, context, issues);
  for (const p of spec.parameters) checkParameter(p, values[p.key], issues);
  checkRanges(spec, values, issues);
  checkBuckets(spec, values, issues);
  checkSubnets(spec, values, context, issues);
  checkCertificates(spec, values, context, issues);
  checkKeyPairs(spec, values, context, issues);
  checkInstanceTypes(spec, values, context, issues);
  const order = fieldOrder(spec);
  // Stable sort by field, then errors before warnings; drop exact duplicates.
  const seen = new Set<string>();
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => order(a.issue.field) - order(b.issue.field) || (a.issue.severity === b.issue.severity ? 0 : a.issue.severity === 'error' ? -1 : 1) || a.i - b.i)
    .map(({ issue }) => issue)
    .filter((issue) => {
      const k = `${issue.field}\u0000${issue.severity}\u0000${issue.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

/** The issues of one field as the user types `value` into it (`values` holds the rest of the form). */
export function validateField(spec: TemplateSpec, key: string, value: FormValue, values: FormValues, context?: ValidationContext): Issue[] {
  return validateDeployForm(spec, { ...values, [key]: value }, context).filter((i) => i.field === key);
}

/** Issues grouped by field, for showing them next to the inputs. */
export function issuesByField(issues: readonly Issue[]): Record<string, Issue[]> {
  const out: Record<string, Issue[]> = {};
  for (const i of issues) (out[i.field] ??= []).push(i);
  return out;
}
