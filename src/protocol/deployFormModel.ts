/**
 * What the deploy form shows, as data: sections in template order (stack name and region first), a field per
 * parameter with its widget, help text, bounds and constraint text, and picker options built from the AWS
 * facts. Also the review model and the parameters file format. Pure: used by the webview, the host and the
 * benchmark. No `vscode`, no Node built-ins.
 */
import { formValueList, formValueText, isRequired, parameterLabel, parameterWidget, templateUrl, findParameter } from '../openvidu/spec';
import type { ParameterSpec, ParameterWidget, TemplateSpec } from '../openvidu/spec';
import { certificateCovers, maxStackNameLength } from '../openvidu/validation';
import { displayText } from '../openvidu/displayText';
import { createStackTags } from '../openvidu/stackTags';
import { REQUIRED_CAPABILITIES } from './deployForm';
import type { AwsFacts, DeployDraft, DraftValue, ReviewModel, ReviewRow } from './deployForm';

export type FieldWidget = ParameterWidget | 'instanceType';

export interface OptionModel {
  value: string;
  label: string;
  description?: string;
  /** shown with a warning marker (instance type not offered in a chosen zone, certificate not covering the domain, private subnet) */
  warning?: string;
}

export interface FieldModel {
  key: string;
  label: string;
  type: string;
  widget: FieldWidget;
  help?: string;
  /** the template's own ConstraintDescription: part of the field's errors; help only where it is a format rule (webview/deploy/fieldText.ts) */
  constraint?: string;
  required: boolean;
  noEcho: boolean;
  default?: string;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** choices for select widgets; absent for free text */
  options?: OptionModel[];
  /** a list for the subnet multi-select */
  multiple: boolean;
}

export interface SectionModel {
  label: string;
  fields: FieldModel[];
}

function widgetOf(p: ParameterSpec): FieldWidget {
  const w = parameterWidget(p);
  if (w === 'choice' && /InstanceType$/.test(p.key)) return 'instanceType';
  return w;
}

/** The subnet list parameter(s) whose zones an instance type runs in (MasterNodeInstanceType → master subnets). */
export function subnetKeysForInstanceType(spec: TemplateSpec, key: string): string[] {
  const lists = spec.parameters.filter((p) => p.type === 'List<AWS::EC2::Subnet::Id>');
  const role = /^(.*?)(Node)?InstanceType$/.exec(key)?.[1]?.toLowerCase();
  const matching = role ? lists.filter((p) => p.key.toLowerCase().includes(role)) : [];
  return (matching.length ? matching : lists).map((p) => p.key);
}

function domainKeyFor(spec: TemplateSpec, certKey: string): string | undefined {
  const base = certKey.replace(/Certificate(ARN|Arn)$/, 'DomainName');
  return (findParameter(spec, base) ?? findParameter(spec, base.replace(/^OpenVidu/, '')))?.key;
}

function options(spec: TemplateSpec, p: ParameterSpec, widget: FieldWidget, facts: AwsFacts | undefined, values: Record<string, DraftValue>): OptionModel[] | undefined {
  switch (widget) {
    case 'choice':
      return p.allowedValues!.map((v) => ({ value: v, label: v }));
    case 'instanceType': {
      const zones = new Set<string>();
      const byId = new Map((facts?.subnets ?? []).map((s) => [s.id, s]));
      for (const k of subnetKeysForInstanceType(spec, p.key)) {
        for (const id of formValueList(values[k])) {
          const z = byId.get(id)?.availabilityZone;
          if (z) zones.add(z);
        }
      }
      const offered = facts?.instanceTypesByZone;
      return p.allowedValues!.map((v) => {
        const missing = offered ? [...zones].filter((z) => offered[z] && !offered[z].includes(v)).sort() : [];
        return missing.length ? { value: v, label: v, description: `not offered in ${missing.join(', ')}`, warning: `not offered in ${missing.join(', ')}` } : { value: v, label: v };
      });
    }
    case 'vpc':
      return facts?.vpcs?.map((v) => ({
        value: v.id,
        label: v.name ? `${v.name} (${v.id})` : v.id,
        description: [v.cidr, v.isDefault ? 'default VPC' : undefined].filter(Boolean).join(' · '),
      }));
    case 'subnets':
      return facts?.subnets
        ?.filter((s) => !facts.vpcId || s.vpcId === facts.vpcId)
        .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone) || Number(b.public) - Number(a.public) || a.id.localeCompare(b.id))
        .map((s) => {
          const where = `${s.availabilityZone} · ${s.public ? 'public' : 'private'}${s.public && !s.mapPublicIpOnLaunch ? ', no auto-assign public IPv4' : ''}`;
          const warning = !s.public ? 'private subnet' : !s.mapPublicIpOnLaunch ? 'no auto-assigned public IPv4' : undefined;
          return { value: s.id, label: `${s.name ? `${s.name} ` : ''}${s.id} — ${where}`, description: [s.cidr, where].filter(Boolean).join(' · '), warning };
        });
    case 'keyPair':
      return facts?.keyPairs?.map((k) => ({ value: k, label: k }));
    case 'certificate': {
      if (!facts?.certificates) return undefined;
      const dk = domainKeyFor(spec, p.key);
      const domain = dk ? formValueText(values[dk]) : '';
      return facts.certificates.map((c) => {
        const covers = domain ? certificateCovers(domain, [c.domainName, ...c.subjectAlternativeNames]) : undefined;
        const coverText = covers === undefined ? '' : covers ? ` · covers ${domain}` : ` · does not cover ${domain}`;
        const warning = c.status !== 'ISSUED' ? c.status : covers === false ? `does not cover ${domain}` : undefined;
        return { value: c.arn, label: `${c.domainName} — ${c.status}${coverText}`, description: c.arn, warning };
      });
    }
    default:
      return undefined;
  }
}

function fieldOf(spec: TemplateSpec, p: ParameterSpec, facts: AwsFacts | undefined, values: Record<string, DraftValue>): FieldModel {
  const widget = widgetOf(p);
  const field: FieldModel = {
    key: p.key,
    label: displayText(parameterLabel(p)),
    type: p.type,
    widget,
    help: displayText(p.description?.trim() || undefined),
    constraint: displayText(p.constraintDescription?.trim() || undefined),
    required: isRequired(p),
    noEcho: p.noEcho,
    default: p.default,
    min: p.minValue,
    max: p.maxValue,
    minLength: p.minLength,
    maxLength: p.maxLength,
    pattern: p.allowedPattern,
    multiple: widget === 'subnets',
  };
  const opts = options(spec, p, widget, facts, values);
  if (opts) field.options = opts;
  return field;
}

/** Sections in template order: one per parameter group (ungrouped ones last), a field per parameter. */
export function formModel(spec: TemplateSpec, facts?: AwsFacts, values: Record<string, DraftValue> = {}): SectionModel[] {
  const byKey = new Map(spec.parameters.map((p) => [p.key, p]));
  return spec.groups.map((g) => ({
    label: displayText(g.label),
    fields: g.keys.map((k) => byKey.get(k)).filter((p): p is ParameterSpec => !!p).map((p) => fieldOf(spec, p, facts, values)),
  }));
}

/** Help for the stack name field: the longest name that fits the template's derived names in this region. */
export function stackNameHelp(spec: TemplateSpec, region?: string): string {
  const max = maxStackNameLength(spec, region);
  return `Letters, digits and hyphens, starting with a letter; at most ${max} characters${max < 128 ? ' (the template derives a Lambda function name from it)' : ''}.`;
}

// ---------------------------------------------------------------------------------------------------------
// Review

/** Resources the template creates for these values (the S3 buckets only when no name is given; TURN only with a TURN domain). */
export function resourcesToCreate(spec: TemplateSpec, values: Record<string, DraftValue>): Array<{ logicalId: string; type: string }> {
  const v = (k: string) => formValueText(values[k]);
  const has = (k: string) => !!findParameter(spec, k);
  return Object.entries(spec.resources)
    .filter(([id]) => {
      if (/^S3AppData/.test(id) && has('S3AppDataBucketName')) return v('S3AppDataBucketName') === '';
      if (/^S3ClusterData/.test(id) && has('S3ClusterDataBucketName')) return v('S3ClusterDataBucketName') === '';
      if (/TurnTLS/.test(id) && has('TurnDomainName')) return v('TurnDomainName') !== '';
      return true;
    })
    .map(([logicalId, type]) => ({ logicalId, type }));
}

export function buildReview(spec: TemplateSpec, draft: DeployDraft, templateBaseUrl?: string): ReviewModel {
  const groupOf = new Map<string, string>();
  for (const g of spec.groups) for (const k of g.keys) groupOf.set(k, displayText(g.label));
  const rows: ReviewRow[] = spec.parameters.map((p) => {
    const text = formValueText(draft.values[p.key]);
    const usesDefault = text === '' && p.default !== undefined;
    const shown = usesDefault ? p.default! : text;
    return {
      key: p.key,
      label: displayText(parameterLabel(p)),
      group: groupOf.get(p.key) ?? '',
      value: p.noEcho ? (shown ? '****' : '') : shown,
      masked: p.noEcho,
      usesDefault,
    };
  });
  return {
    stackName: draft.stackName.trim(),
    region: draft.region,
    version: draft.version,
    templateUrl: templateUrl(draft.version, templateBaseUrl),
    rows,
    resources: resourcesToCreate(spec, draft.values),
    capabilities: [...REQUIRED_CAPABILITIES],
    onFailure: draft.preserveOnFailure ? 'DO_NOTHING' : 'ROLLBACK',
    tags: createStackTags(draft.tags ?? [], draft.version).map((t) => ({ key: t.Key, value: t.Value })),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Parameters file (`aws cloudformation create-stack --parameters file://…`)

export interface CloudFormationParameter {
  ParameterKey: string;
  ParameterValue: string;
}

/** Every parameter with a value, NoEcho ones left out; lists comma-joined. */
export function exportParametersFile(spec: TemplateSpec, values: Record<string, DraftValue>): string {
  const out: CloudFormationParameter[] = [];
  for (const p of spec.parameters) {
    if (p.noEcho) continue;
    const text = formValueText(values[p.key]);
    if (text === '' && p.default !== undefined) continue;
    out.push({ ParameterKey: p.key, ParameterValue: text });
  }
  return JSON.stringify(out, null, 2) + '\n';
}

export interface ImportedParameters {
  values: Record<string, DraftValue>;
  /** keys the chosen version's template does not have */
  unknownKeys: string[];
  /** NoEcho keys present in the file (never imported: type them) */
  skippedSecretKeys: string[];
}

/** Reads a parameters file: `[{ParameterKey, ParameterValue}]`. Throws with a sentence when the text is not one. */
export function importParametersFile(spec: TemplateSpec, text: string): ImportedParameters {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('The file is not JSON: a parameters file is a JSON array of {"ParameterKey": …, "ParameterValue": …}.');
  }
  if (!Array.isArray(json)) throw new Error('The file is not a parameters file: expected a JSON array of {"ParameterKey": …, "ParameterValue": …}.');
  const values: Record<string, DraftValue> = {};
  const unknownKeys: string[] = [];
  const skippedSecretKeys: string[] = [];
  for (const item of json) {
    if (typeof item !== 'object' || item === null || typeof (item as { ParameterKey?: unknown }).ParameterKey !== 'string') {
      throw new Error('Every entry of a parameters file needs a "ParameterKey" string.');
    }
    const { ParameterKey: key, ParameterValue: raw } = item as { ParameterKey: string; ParameterValue?: unknown };
    const value = raw === undefined || raw === null ? '' : String(raw);
    const p = findParameter(spec, key);
    if (!p) {
      unknownKeys.push(key);
      continue;
    }
    if (p.noEcho) {
      skippedSecretKeys.push(key);
      continue;
    }
    values[key] = p.type === 'List<AWS::EC2::Subnet::Id>' ? formValueList(value) : value;
  }
  return { values, unknownKeys, skippedSecretKeys };
}
