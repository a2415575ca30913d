/**
 * The deploy wizard's webview ↔ host message protocol, imported by both sides (the extension host and
 * webview/deploy/main.ts). Pure TypeScript: no `vscode`, no Node built-ins, no SDK.
 *
 * Requests from the webview carry a `requestId`; the host answers each with one reply carrying the same id.
 * Pushes from the host (init, progress) carry none. The host accepts only well-formed messages of the known
 * types (`parseWebviewMessage`); anything else is ignored and logged without its values.
 */
import { isValidStackName } from '../openvidu/validation';
import type { Issue, ValidationContext } from '../openvidu/validation';
import type { TemplateSpec } from '../openvidu/spec';
import type { ParameterDiff } from '../openvidu/changeSet';
import type { StackTag } from '../openvidu/stackTags';

export const DEPLOY_VIEW_TYPE = 'openviduHa.deployWizard';
export const REQUIRED_CAPABILITIES = ['CAPABILITY_NAMED_IAM'] as const;
export type OnFailure = 'DO_NOTHING' | 'ROLLBACK';

/** Form values as the form holds them: text, or a list (subnets). */
export type DraftValue = string | string[];

/** The form's content. NoEcho values are present only in messages, never in persisted state. */
export interface DeployDraft {
  stackName: string;
  region: string;
  version: string;
  values: Record<string, DraftValue>;
  /** "Preserve successfully provisioned resources" = OnFailure DO_NOTHING (default); off = ROLLBACK. */
  preserveOnFailure: boolean;
  /** the user's own stack tags (cost allocation); checked by validateStackTags */
  tags?: StackTag[];
}

// ---------------------------------------------------------------------------------------------------------
// AWS facts for the form (what the pickers show) and the ValidationContext derived from them

export interface VpcFact {
  id: string;
  name?: string;
  cidr?: string;
  isDefault: boolean;
}
export interface SubnetFact {
  id: string;
  vpcId: string;
  availabilityZone: string;
  public: boolean;
  mapPublicIpOnLaunch: boolean;
  name?: string;
  cidr?: string;
}
export interface CertificateFact {
  arn: string;
  domainName: string;
  subjectAlternativeNames: string[];
  status: string;
  inUse?: boolean;
}
export interface AwsFacts {
  region: string;
  vpcId?: string;
  /** Each list is absent when it could not be read (see `problems`): its checks are then skipped. */
  vpcs?: VpcFact[];
  subnets?: SubnetFact[];
  keyPairs?: string[];
  certificates?: CertificateFact[];
  /** zone → instance types offered there (restricted to the template's allowed types) */
  instanceTypesByZone?: Record<string, string[]>;
  stackNamesInUse?: string[];
  /** One sentence per list that could not be read. */
  problems: string[];
}

export function factsToContext(facts: AwsFacts): ValidationContext {
  return {
    region: facts.region,
    stackNamesInUse: facts.stackNamesInUse,
    vpcIds: facts.vpcs?.map((v) => v.id),
    subnets: facts.subnets?.map((s) => ({ id: s.id, vpcId: s.vpcId, availabilityZone: s.availabilityZone, public: s.public, mapPublicIpOnLaunch: s.mapPublicIpOnLaunch })),
    keyPairNames: facts.keyPairs,
    certificates: facts.certificates?.map((c) => ({ arn: c.arn, domainName: c.domainName, subjectAlternativeNames: c.subjectAlternativeNames, status: c.status })),
    instanceTypesByZone: facts.instanceTypesByZone,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Review and progress models

export interface ReviewRow {
  key: string;
  label: string;
  group: string;
  /** the value as shown: NoEcho masked as "****", lists comma-joined, "(default)" markers left to the view */
  value: string;
  masked: boolean;
  usesDefault: boolean;
}
export interface ReviewModel {
  stackName: string;
  region: string;
  version: string;
  templateUrl: string;
  rows: ReviewRow[];
  resources: Array<{ logicalId: string; type: string }>;
  capabilities: string[];
  onFailure: OnFailure;
  /** every tag CreateStack receives: the user's, then the template version */
  tags: StackTag[];
}

export interface EventRow {
  id: string;
  /** ISO timestamp */
  at: string;
  logicalId: string;
  type: string;
  status: string;
  reason?: string;
}

export type StackOutcome = 'inProgress' | 'complete' | 'failed';

export interface ProgressModel {
  /** what is followed: a creation (default) or an update through a change set */
  action?: 'create' | 'update';
  stackName: string;
  region: string;
  stackId?: string;
  status: string;
  outcome: StackOutcome;
  /** resources in a *_COMPLETE state / resources expected */
  done: number;
  total: number;
  /** present once the stack settled as complete */
  completion?: { loadBalancerDns?: string; domainName?: string; secretsConsoleUrl?: string; liveKitCommandAvailable: boolean };
  /** present once the stack failed */
  failure?: { headline: string; logicalId?: string; failedResources: Array<{ logicalId: string; type: string; reason?: string }>; nextSteps: string[]; stackStatus: string };
}

// ---------------------------------------------------------------------------------------------------------
// Update mode (the same form, for an existing stack)

/** What validation sees for a NoEcho value that is kept (its real value stays in CloudFormation). */
export const KEPT_SECRET = 'kept-current-value';

/** The stack the update form is for: name and region fixed, its current values (NoEcho ones left out). */
export interface UpdateInit {
  stackName: string;
  region: string;
  /** the template version the stack runs, when known */
  currentVersion?: string;
  values: Record<string, string>;
  /** NoEcho parameters: shown empty, kept with UsePreviousValue unless retyped */
  noEcho: string[];
}

/** The update form's content: the target version ('' = keep the current template) and the values. */
export interface UpdateDraft {
  version: string;
  values: Record<string, DraftValue>;
  /** the user confirmed on the form that an older version than the stack's is meant (required for a downgrade) */
  confirmDowngrade?: boolean;
}

export interface ResourceChangeRow {
  action: string;
  logicalId: string;
  type: string;
  physicalId?: string;
  /** True / Conditional / False */
  replacement?: string;
  /** the properties or parameters that cause the change */
  causes: string[];
}

export interface UpdateReview {
  stackName: string;
  region: string;
  fromVersion?: string;
  toVersion?: string;
  mastersReplaced: boolean;
  replacements: ResourceChangeRow[];
  conditional: ResourceChangeRow[];
  others: ResourceChangeRow[];
  /** NoEcho parameters appear masked ("****"), never with their values */
  parameterDiffs: ParameterDiff[];
  /** warnings of the validation (errors refuse before any change set) */
  warnings: Issue[];
  /** CloudFormation found nothing to change (the change set was deleted) */
  empty: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Messages

export type TemplateSource = 'template' | 'summary' | 'bundled';

/** webview → host */
export type WebviewMessage =
  | { type: 'ready'; requestId: string }
  | { type: 'loadTemplate'; requestId: string; version: string; region: string }
  | { type: 'loadFacts'; requestId: string; region: string; vpcId?: string; version: string }
  | { type: 'review'; requestId: string; draft: DeployDraft }
  | { type: 'create'; requestId: string; draft: DeployDraft; acceptWarnings: boolean }
  | { type: 'exportParameters'; requestId: string; draft: DeployDraft }
  | { type: 'importParameters'; requestId: string; version: string }
  | { type: 'follow'; requestId: string; region: string; stackName: string }
  | { type: 'copyLoadBalancerDns'; requestId: string }
  | { type: 'showNodes'; requestId: string }
  | { type: 'copyLiveKitCredentials'; requestId: string }
  | { type: 'loadUpdateTemplate'; requestId: string; version: string }
  | { type: 'proposeUpdate'; requestId: string; draft: UpdateDraft }
  | { type: 'executeUpdate'; requestId: string }
  | { type: 'discardUpdate'; requestId: string };

export type WebviewMessageType = WebviewMessage['type'];

export interface InitState {
  regions: string[];
  defaultRegion: string;
  versions: readonly string[];
  templateBaseUrl: string;
  /** present when the panel updates an existing stack */
  update?: UpdateInit;
}

/** host → webview */
export type HostMessage =
  | { type: 'init'; requestId: string; init: InitState; following?: ProgressModel; events?: EventRow[] }
  | { type: 'template'; requestId: string; version: string; spec: TemplateSpec; source: TemplateSource; notice?: string }
  | { type: 'facts'; requestId: string; facts: AwsFacts }
  | { type: 'reviewResult'; requestId: string; issues: Issue[]; review?: ReviewModel }
  | {
      type: 'createResult';
      requestId: string;
      ok: boolean;
      /** why nothing was created: field errors, warnings not accepted, or the CreateStack call failed */
      blocked?: 'errors' | 'warnings' | 'aws';
      issues: Issue[];
      message?: string;
      stackId?: string;
    }
  | { type: 'exportResult'; requestId: string; ok: boolean; message: string }
  | { type: 'importResult'; requestId: string; ok: boolean; values?: Record<string, DraftValue>; message: string }
  | { type: 'done'; requestId: string; ok: boolean; message?: string }
  | { type: 'updateProposal'; requestId: string; ok: boolean; issues: Issue[]; message?: string; review?: UpdateReview }
  | { type: 'progress'; progress: ProgressModel; events: EventRow[] }
  | { type: 'error'; requestId: string; message: string };

// ---------------------------------------------------------------------------------------------------------
// Inbound validation

const MAX_STRING = 4096;
const MAX_VALUES = 200;
const MAX_LIST = 64;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

function isStr(v: unknown, max = MAX_STRING): v is string {
  return typeof v === 'string' && v.length <= max;
}
function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isRegion(v: unknown): v is string {
  return typeof v === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(v);
}
function isVersion(v: unknown): v is string {
  return typeof v === 'string' && (v === 'latest' || /^\d+\.\d+\.\d+$/.test(v));
}
function isKey(v: string): boolean {
  return /^[A-Za-z][A-Za-z0-9]{0,254}$/.test(v);
}

function parseValues(v: unknown): Record<string, DraftValue> | undefined {
  if (!isObj(v)) return undefined;
  const entries = Object.entries(v);
  if (entries.length > MAX_VALUES) return undefined;
  const out: Record<string, DraftValue> = {};
  for (const [k, x] of entries) {
    if (!isKey(k)) return undefined;
    if (typeof x === 'string') {
      if (x.length > MAX_STRING) return undefined;
      out[k] = x;
    } else if (Array.isArray(x)) {
      if (x.length > MAX_LIST || !x.every((i) => isStr(i, 256))) return undefined;
      out[k] = [...(x as string[])];
    } else return undefined;
  }
  return out;
}

/**
 * The draft's stack name, trimmed, when it is empty (the form reports "required") or a CloudFormation stack
 * name; undefined otherwise. It reaches a suggested file name and log lines, so `/`, `..` or a line break
 * never pass.
 */
function parseDraftStackName(v: unknown): string | undefined {
  if (!isStr(v, 256)) return undefined;
  const name = v.trim();
  return name === '' || isValidStackName(name) ? name : undefined;
}

export function parseDraft(v: unknown): DeployDraft | undefined {
  if (!isObj(v)) return undefined;
  const stackName = parseDraftStackName(v.stackName);
  if (stackName === undefined || !isRegion(v.region) || !isVersion(v.version) || typeof v.preserveOnFailure !== 'boolean') return undefined;
  const values = parseValues(v.values);
  if (!values) return undefined;
  let tags: StackTag[] | undefined;
  if (v.tags !== undefined) {
    // shape only (limits are reported as issues by validateStackTags): at most 200 rows of short strings
    if (!Array.isArray(v.tags) || v.tags.length > 200 || !v.tags.every((t) => isObj(t) && isStr(t.key, 1024) && isStr(t.value, 1024))) return undefined;
    tags = (v.tags as { key: string; value: string }[]).map((t) => ({ key: t.key, value: t.value }));
  }
  return { stackName, region: v.region, version: v.version, values, preserveOnFailure: v.preserveOnFailure, ...(tags ? { tags } : {}) };
}

export function parseUpdateDraft(v: unknown): UpdateDraft | undefined {
  if (!isObj(v) || !(v.version === '' || isVersion(v.version))) return undefined;
  const values = parseValues(v.values);
  if (!values || (v.confirmDowngrade !== undefined && typeof v.confirmDowngrade !== 'boolean')) return undefined;
  return { version: v.version as string, values, ...(v.confirmDowngrade === true ? { confirmDowngrade: true } : {}) };
}

/**
 * The message if it is well formed and of a known type, else undefined. Returns a fresh object holding only the
 * known members (extra members are dropped).
 */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (!isObj(raw) || typeof raw.type !== 'string' || typeof raw.requestId !== 'string' || !ID.test(raw.requestId)) return undefined;
  const requestId = raw.requestId;
  switch (raw.type) {
    case 'ready':
    case 'copyLoadBalancerDns':
    case 'showNodes':
    case 'copyLiveKitCredentials':
    case 'executeUpdate':
    case 'discardUpdate':
      return { type: raw.type, requestId };
    case 'loadUpdateTemplate':
      return raw.version === '' || isVersion(raw.version) ? { type: 'loadUpdateTemplate', requestId, version: raw.version as string } : undefined;
    case 'proposeUpdate': {
      const draft = parseUpdateDraft(raw.draft);
      return draft ? { type: 'proposeUpdate', requestId, draft } : undefined;
    }
    case 'loadTemplate':
      return isVersion(raw.version) && isRegion(raw.region) ? { type: 'loadTemplate', requestId, version: raw.version, region: raw.region } : undefined;
    case 'loadFacts': {
      if (!isRegion(raw.region) || !isVersion(raw.version)) return undefined;
      if (raw.vpcId !== undefined && raw.vpcId !== '' && !(typeof raw.vpcId === 'string' && /^vpc-[0-9a-f]{1,17}$/.test(raw.vpcId))) return undefined;
      return { type: 'loadFacts', requestId, region: raw.region, version: raw.version, vpcId: raw.vpcId ? (raw.vpcId as string) : undefined };
    }
    case 'review':
    case 'exportParameters': {
      const draft = parseDraft(raw.draft);
      return draft ? { type: raw.type, requestId, draft } : undefined;
    }
    case 'create': {
      const draft = parseDraft(raw.draft);
      return draft && typeof raw.acceptWarnings === 'boolean' ? { type: 'create', requestId, draft, acceptWarnings: raw.acceptWarnings } : undefined;
    }
    case 'importParameters':
      return isVersion(raw.version) ? { type: 'importParameters', requestId, version: raw.version } : undefined;
    case 'follow':
      return isRegion(raw.region) && typeof raw.stackName === 'string' && isValidStackName(raw.stackName)
        ? { type: 'follow', requestId, region: raw.region, stackName: raw.stackName }
        : undefined;
    default:
      return undefined;
  }
}

/** What may be logged about a rejected message: its type (if a short identifier) and nothing else. */
export function describeRejected(raw: unknown): string {
  const t = isObj(raw) && typeof raw.type === 'string' && /^[A-Za-z]{1,40}$/.test(raw.type) ? raw.type : '(no valid type)';
  return `ignored a malformed or unknown webview message of type ${t}`;
}

/** The draft as it may be persisted (webview state): NoEcho values removed. */
export function withoutSecrets(draft: DeployDraft, noEchoKeys: Iterable<string>): DeployDraft {
  const values = { ...draft.values };
  for (const k of noEchoKeys) delete values[k];
  return { ...draft, values };
}
