/**
 * Cross-field and context rules of the deploy form: the stack name (and the names the template derives from it),
 * Min/Initial/Max ranges, bucket names, and the checks against AWS facts the host read (VPC and subnets,
 * certificates, key pairs, instance type offerings). Pure TypeScript: no `vscode`, no Node built-ins.
 */
import { findParameter, formValueList, formValueText, isListType, isNumberType, isRequired } from './spec';
import type { FormValues, ParameterSpec, TemplateSpec } from './spec';
import { clipInput, quoteInput } from './inputText';
import { DEFAULT_MAX_MASTER_SUBNETS, LAMBDA_NAME_MAX_LENGTH, STACK_NAME_FIELD, STACK_NAME_MAX_LENGTH } from './validationTypes';
import type { Issue, Severity, SubnetInfo, ValidationContext } from './validationTypes';
import {
  bucketNameProblem,
  certificateArnRegion,
  certificateCovers,
  isIamServerCertificateArn,
  LONGEST_REGION,
  maxStackNameLength,
  SHORTEST_REGION,
  SUBNET_PROCESSOR,
  subnetProcessorFunctionName,
} from './awsNames';
import { listPreview, SUBNET_LIST, VPC_TYPE, WHOLE_NUMBER } from './parameterRules';

const LISTENER_TYPE = 'AWS::ElasticLoadBalancingV2::Listener';

// ---------------------------------------------------------------------------------------------------------
// Parameter roles (by key and type; each applies only when the version's template has the parameter)
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
// Cross-field and context rules

function effectiveNumber(spec: TemplateSpec, values: FormValues, key: string): number | undefined {
  const p = findParameter(spec, key);
  if (!p) return undefined;
  const text = formValueText(values[key]) || p.default || '';
  return WHOLE_NUMBER.test(text) ? Number(text) : undefined;
}

export function checkStackName(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
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
export function checkRanges(spec: TemplateSpec, values: FormValues, issues: Issue[]): void {
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

export function checkBuckets(spec: TemplateSpec, values: FormValues, issues: Issue[]): void {
  for (const p of spec.parameters.filter(isBucketParam)) {
    const name = formValueText(values[p.key]);
    if (!name) continue;
    const problem = bucketNameProblem(name);
    if (problem) issues.push({ field: p.key, severity: 'error', message: `${p.key} ${quoteInput(name)} is not a valid S3 bucket name: it ${problem}. Fix the name, or leave it empty to let the stack create a bucket.` });
  }
}

export function checkSubnets(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
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

export function checkCertificates(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
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

export function checkKeyPairs(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
  if (!ctx.keyPairNames) return;
  for (const p of spec.parameters.filter((q) => q.type === KEY_PAIR_TYPE)) {
    const name = formValueText(values[p.key]);
    if (name && !ctx.keyPairNames.includes(name)) {
      issues.push({ field: p.key, severity: 'error', message: `${p.key}: key pair ${quoteInput(name)} does not exist${ctx.region ? ` in ${ctx.region}` : ''}. Create or import it in EC2 → Key Pairs, or choose an existing one.` });
    }
  }
}

export function checkInstanceTypes(spec: TemplateSpec, values: FormValues, ctx: ValidationContext, issues: Issue[]): void {
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
