/**
 * The OpenVidu HA CloudFormation template as the deploy wizard sees it: known versions, template URLs, and a
 * `TemplateSpec` (parameters in template order with every constraint, parameter groups, resources) built from
 * the template YAML, from CloudFormation's `GetTemplateSummary`, or from the bundled summary format.
 * Versions, URLs, the spec types and form helpers live in spec.ts and are re-exported here.
 *
 * Pure TypeScript: no `vscode`, no Node built-ins (it also runs in the deploy webview).
 */
import type { CollectionTag, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import { yamlLib } from './yamlLib';
import { OTHER_PARAMETERS_LABEL } from './spec';
import type { ParameterGroup, ParameterSpec, TemplateSpec } from './spec';

export * from './spec';

// ---------------------------------------------------------------------------------------------------------
// YAML parsing with CloudFormation short tags

const FN_TAGS = [
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'GetAtt', 'If', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'Equals', 'Not', 'And', 'Or', 'Contains', 'EachMemberEquals', 'EachMemberIn', 'RefAll',
  'ValueOf', 'ValueOfAll', 'Length', 'ToJsonString', 'ForEach',
];

function intrinsicName(tag: string): string {
  return tag === 'Ref' || tag === 'Condition' ? tag : `Fn::${tag}`;
}

function wrap(name: string, node: unknown): YAMLMap {
  const { Pair, Scalar, YAMLMap } = yamlLib();
  const map = new YAMLMap();
  map.items.push(new Pair(new Scalar(name), node));
  return map;
}

function cloudFormationTags(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  for (const short of ['Ref', 'Condition', ...FN_TAGS]) {
    const name = intrinsicName(short);
    const tag = `!${short}`;
    tags.push({
      tag,
      identify: () => false,
      resolve: (value: string) => {
        // `!GetAtt Resource.Attribute` is the scalar form of `Fn::GetAtt: [Resource, Attribute]`.
        if (short === 'GetAtt') {
          const dot = value.indexOf('.');
          return { [name]: dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
        }
        return { [name]: value };
      },
    } as ScalarTag);
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag,
        collection,
        identify: () => false,
        resolve: (coll: YAMLMap | YAMLSeq) => wrap(name, coll),
      } as unknown as CollectionTag);
    }
  }
  return tags;
}

let cachedTags: Array<ScalarTag | CollectionTag> | undefined;

/** Parse CloudFormation YAML (or JSON) into plain data, short tags turned into their long forms. */
export function parseCloudFormationYaml(text: string): unknown {
  cachedTags ??= cloudFormationTags();
  return yamlLib().parse(text, { customTags: cachedTags, maxAliasCount: -1, uniqueKeys: false, prettyErrors: true, logLevel: 'error' });
}

// ---------------------------------------------------------------------------------------------------------
// Building specs

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return v.map((x) => str(x) ?? '').join(',');
  return undefined;
}

function num(v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(str(v));
  return Number.isFinite(n) ? n : undefined;
}

function strList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  const out = list.map((x) => str(x)).filter((x): x is string => x !== undefined);
  return out.length ? out : undefined;
}

function bool(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

/** Drop undefined members so specs compare and serialise cleanly. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

function parameterFromTemplate(key: string, raw: unknown): ParameterSpec {
  const p = isObj(raw) ? raw : {};
  return compact({
    key,
    type: str(p.Type) ?? 'String',
    default: str(p.Default),
    noEcho: bool(p.NoEcho),
    description: str(p.Description),
    allowedValues: strList(p.AllowedValues),
    allowedPattern: str(p.AllowedPattern),
    minValue: num(p.MinValue),
    maxValue: num(p.MaxValue),
    minLength: num(p.MinLength),
    maxLength: num(p.MaxLength),
    constraintDescription: str(p.ConstraintDescription),
  });
}

function labelText(v: unknown): string | undefined {
  if (isObj(v)) return str(v.default);
  return str(v);
}

/** Groups from `AWS::CloudFormation::Interface` metadata, plus the ungrouped parameters under "Other parameters". */
function buildGroups(interfaceMeta: unknown, keys: string[]): { groups: ParameterGroup[]; labels: Record<string, string> } {
  const known = new Set(keys);
  const seen = new Set<string>();
  const groups: ParameterGroup[] = [];
  const labels: Record<string, string> = {};
  if (isObj(interfaceMeta)) {
    const rawGroups = Array.isArray(interfaceMeta.ParameterGroups) ? interfaceMeta.ParameterGroups : [];
    for (const g of rawGroups) {
      if (!isObj(g)) continue;
      const groupKeys = (strList(g.Parameters) ?? []).filter((k) => known.has(k) && !seen.has(k));
      groupKeys.forEach((k) => seen.add(k));
      if (groupKeys.length) groups.push({ label: labelText(g.Label) ?? `Group ${groups.length + 1}`, keys: groupKeys });
    }
    if (isObj(interfaceMeta.ParameterLabels)) {
      for (const [k, v] of Object.entries(interfaceMeta.ParameterLabels)) {
        const t = labelText(v);
        if (t) labels[k] = t;
      }
    }
  }
  const rest = keys.filter((k) => !seen.has(k));
  if (rest.length) groups.push({ label: OTHER_PARAMETERS_LABEL, keys: rest });
  return { groups, labels };
}

/** Parse a CloudFormation template (YAML or JSON) into a spec. Throws when the text is not a template. */
export function parseTemplate(yamlText: string, version?: string): TemplateSpec {
  const doc = parseCloudFormationYaml(yamlText);
  if (!isObj(doc)) throw new Error('Not a CloudFormation template: the document is not a mapping.');
  if (doc.Resources === undefined && doc.Parameters === undefined) {
    throw new Error('Not a CloudFormation template: no Parameters and no Resources.');
  }
  const rawParams = isObj(doc.Parameters) ? doc.Parameters : {};
  const parameters = Object.entries(rawParams).map(([k, v]) => parameterFromTemplate(k, v));
  const meta = isObj(doc.Metadata) ? doc.Metadata['AWS::CloudFormation::Interface'] : undefined;
  const { groups, labels } = buildGroups(meta, parameters.map((p) => p.key));
  for (const p of parameters) if (labels[p.key]) p.label = labels[p.key];
  const resources: Record<string, string> = {};
  if (isObj(doc.Resources)) {
    for (const [id, r] of Object.entries(doc.Resources)) resources[id] = (isObj(r) && str(r.Type)) || 'Unknown';
  }
  return compact({ version, description: str(doc.Description), parameters, groups, resources });
}

// ---------------------------------------------------------------------------------------------------------
// GetTemplateSummary

/** The parts of CloudFormation's `GetTemplateSummaryOutput` used here (structurally compatible with the SDK). */
export interface TemplateSummaryLike {
  Description?: string;
  Parameters?: Array<{
    ParameterKey?: string;
    DefaultValue?: string;
    ParameterType?: string;
    NoEcho?: boolean;
    Description?: string;
    ParameterConstraints?: { AllowedValues?: string[] };
  }>;
  /** The template's Metadata section as a JSON string. */
  Metadata?: string;
  ResourceTypes?: string[];
  ResourceIdentifierSummaries?: Array<{ ResourceType?: string; LogicalResourceIds?: string[] }>;
}

/**
 * One spec from `GetTemplateSummary` (authoritative for the parameter set, types, defaults, NoEcho,
 * descriptions, AllowedValues, groups) and the parsed template YAML (patterns, Min/Max, lengths, constraint
 * text, order, resources). Either may be missing pieces; `parsed` may be absent when the YAML could not be read.
 */
export function mergeTemplateSummary(summary: TemplateSummaryLike, parsed?: TemplateSpec): TemplateSpec {
  const fromYaml = new Map((parsed?.parameters ?? []).map((p) => [p.key, p]));
  const summaryParams = (summary.Parameters ?? []).filter((p) => p.ParameterKey);
  const summaryKeys = summaryParams.map((p) => p.ParameterKey as string);
  const summarySet = new Set(summaryKeys);
  // Template order when the YAML is available; summary keys the YAML lacks go after it.
  const order = parsed
    ? [...parsed.parameters.map((p) => p.key).filter((k) => summarySet.has(k)), ...summaryKeys.filter((k) => !fromYaml.has(k))]
    : summaryKeys;
  const byKey = new Map(summaryParams.map((p) => [p.ParameterKey as string, p]));
  const parameters = order.map((key): ParameterSpec => {
    const s = byKey.get(key)!;
    const y = fromYaml.get(key);
    return compact({
      key,
      type: s.ParameterType ?? y?.type ?? 'String',
      default: s.DefaultValue ?? y?.default,
      noEcho: s.NoEcho ?? y?.noEcho ?? false,
      description: s.Description ?? y?.description,
      label: y?.label,
      allowedValues: s.ParameterConstraints?.AllowedValues?.length ? [...s.ParameterConstraints.AllowedValues] : y?.allowedValues,
      allowedPattern: y?.allowedPattern,
      minValue: y?.minValue,
      maxValue: y?.maxValue,
      minLength: y?.minLength,
      maxLength: y?.maxLength,
      constraintDescription: y?.constraintDescription,
    });
  });

  let meta: unknown;
  if (summary.Metadata) {
    try {
      const m: unknown = JSON.parse(summary.Metadata);
      if (isObj(m)) meta = m['AWS::CloudFormation::Interface'];
    } catch {
      meta = undefined;
    }
  }
  let groups: ParameterGroup[];
  if (meta !== undefined) {
    const built = buildGroups(meta, order);
    groups = built.groups;
    for (const p of parameters) if (!p.label && built.labels[p.key]) p.label = built.labels[p.key];
  } else {
    groups = buildGroups({ ParameterGroups: (parsed?.groups ?? []).filter((g) => g.label !== OTHER_PARAMETERS_LABEL).map((g) => ({ Label: g.label, Parameters: g.keys })) }, order).groups;
  }

  let resources: Record<string, string>;
  if (parsed && Object.keys(parsed.resources).length) {
    resources = { ...parsed.resources };
  } else {
    resources = {};
    for (const r of summary.ResourceIdentifierSummaries ?? []) {
      for (const id of r.LogicalResourceIds ?? []) resources[id] = r.ResourceType ?? 'Unknown';
    }
  }
  return compact({ version: parsed?.version, description: summary.Description ?? parsed?.description, parameters, groups, resources });
}

// ---------------------------------------------------------------------------------------------------------
// The summary JSON format of test/fixtures/templates (and of the bundled specs' source)

/** Spec from a `cf-openvidu-ha-<version>.summary.json` document. */
export function specFromSummaryJson(json: unknown): TemplateSpec {
  if (!isObj(json)) throw new Error('Template summary: expected a JSON object.');
  const rawParams = json.Parameters;
  const entries: Array<[string, unknown]> = Array.isArray(rawParams)
    ? rawParams.filter(isObj).map((p) => [str(p.ParameterKey) ?? str(p.Key) ?? '', p] as [string, unknown])
    : isObj(rawParams)
      ? Object.entries(rawParams)
      : [];
  const parameters = entries.filter(([k]) => k).map(([k, v]) => parameterFromTemplate(k, v));
  const rawGroups = Array.isArray(json.ParameterGroups) ? json.ParameterGroups : [];
  const { groups } = buildGroups({ ParameterGroups: rawGroups.filter(isObj).map((g) => ({ Label: g.Label, Parameters: g.Parameters })) }, parameters.map((p) => p.key));
  const resources: Record<string, string> = {};
  if (isObj(json.Resources)) {
    for (const [id, t] of Object.entries(json.Resources)) resources[id] = (isObj(t) ? str(t.Type) : str(t)) ?? 'Unknown';
  }
  return compact({ version: str(json.templateVersion), description: str(json.Description), parameters, groups, resources });
}
