/**
 * CloudFormation (awsQuery protocol) for OpenVidu HA stacks: the stack operations, template summaries, change sets
 * and the validation CloudFormation does before it creates anything. The stack simulation itself (events,
 * resources, failures over simulated time) is in ../openvidu-stack.ts; the templates in ../templates.ts.
 *
 * HTTP routes (not AWS protocols):
 *   GET  /get.openvidu.io/pro/ha/<version|latest>/aws/cf-openvidu-ha.yaml  → the template YAML
 *   POST /_cloudformation/consistency {"hiddenReads": n}: the eventual-consistency window after CreateStack (0 = off)
 *   GET|POST|DELETE /_cloudformation/stack-failures  (also /_emulator/stack-failures once server.ts lets module
 *        routes see unknown /_emulator/ paths); POST {stackName, logicalId, reason?, operation?, region?} injects a
 *        resource failure (operation: create | update | delete | rollback), GET lists, DELETE clears.
 * Failures can also be injected from any client with stack tags: `emulator:fail:<LogicalId>` = reason (create),
 * `emulator:fail-update:<LogicalId>`, `emulator:fail-delete:<LogicalId>`, `emulator:fail-rollback:<LogicalId>`.
 */
import type { HandlerContext, HttpRoute, ServiceModule } from '../server';
import { AwsError, asList, asString } from '../protocol';
import type { RegionState, Stack, StackParameter, Tags, World } from '../world';
import {
  LATEST_TEMPLATE_VERSION,
  parameterDefault,
  REQUIRED_CAPABILITIES,
  resolveTemplateUrl,
  TEMPLATE_PATH_PREFIX,
  TemplateSummary,
  templateMetadataJson,
  templateSummary,
  templateUrlFor,
  templateYaml,
} from '../templates';
import {
  advanceAllStacks,
  assertUpdatable,
  cancelUpdate,
  ChangeSetRecord,
  clearStackFailures,
  computeChanges,
  continueUpdateRollback,
  includedResources,
  injectStackFailure,
  listStackFailures,
  newSim,
  simOf,
  StackFailureSpec,
  startCreate,
  startDelete,
  startUpdate,
} from '../openvidu-stack';

const STACK_PAGE = 25;
const LIST_PAGE = 25;
const EVENTS_PAGE = 100;
const CHANGESET_PAGE = 25;
/** DescribeStackResources returns at most the first 100 resources (API reference, see describeStackResources). */
export const DESCRIBE_RESOURCES_MAX = 100;
/**
 * ListStackResources pages (API reference: "NextToken: If the output exceeds 1 MB, a string that identifies the
 * next page of stack resources"); AWS cuts by size, the emulator by count, so a client must follow NextToken.
 */
export const LIST_RESOURCES_PAGE = 100;

// ---- eventual consistency --------------------------------------------------------------------------------------
/**
 * CloudFormation's read APIs are eventually consistent: a stack just created by CreateStack may not be returned
 * yet by DescribeStacks ("Stack with id X does not exist") or ListStacks (aws/aws-cdk-cli#1803, "stale
 * DescribeStacks read fails fresh stack creates"; the AWS CLI's `stack-exists` waiter polls DescribeStacks for the
 * same reason). Off by default; `setStackReadLag(world, n)` (or POST /_cloudformation/consistency {"hiddenReads": n})
 * hides every stack created afterwards from its first n DescribeStacks/ListStacks reads (counted per stack, so the
 * window is deterministic and not timed).
 */
const readLag = new WeakMap<World, { hiddenReads: number }>();
const hiddenReadsLeft = new WeakMap<Stack, number>();
export function setStackReadLag(world: World, hiddenReads: number): void {
  readLag.set(world, { hiddenReads: Math.max(0, Math.floor(hiddenReads)) });
}
/** True when this read does not see the stack yet (and counts the read). */
function notVisibleYet(stack: Stack): boolean {
  const left = hiddenReadsLeft.get(stack) ?? 0;
  if (left <= 0) return false;
  hiddenReadsLeft.set(stack, left - 1);
  return true;
}

// ---- small helpers ---------------------------------------------------------------------------------------

function validation(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}
function decodeToken(token: unknown): number {
  const t = asString(token);
  if (!t) return 0;
  try {
    const o = (JSON.parse(Buffer.from(t, 'base64').toString('utf8')) as { o: number }).o;
    if (typeof o === 'number' && o >= 0) return o;
  } catch {
    // fall through
  }
  throw validation('Invalid NextToken');
}
function page<T>(items: T[], token: unknown, size: number): { items: T[]; next?: string } {
  const start = decodeToken(token);
  const slice = items.slice(start, start + size);
  return { items: slice, next: start + size < items.length ? encodeToken(start + size) : undefined };
}

function date(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}

function bool(v: unknown): boolean {
  return v === true || v === 'true';
}

/** Resolves StackName (a name: the live stack; a stack id: any stack, deleted included). */
export function findStack(region: RegionState, nameOrId: string): Stack | undefined {
  if (nameOrId.startsWith('arn:')) return region.stacks.find((s) => s.stackId === nameOrId);
  return [...region.stacks].reverse().find((s) => s.stackName === nameOrId && s.status !== 'DELETE_COMPLETE');
}
function requireStack(region: RegionState, nameOrId: unknown): Stack {
  const n = asString(nameOrId) ?? '';
  const s = findStack(region, n);
  if (!s) throw validation(`Stack with id ${n} does not exist`);
  return s;
}

function tagList(tags: Tags): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
function readTags(v: unknown): Tags {
  const out: Tags = {};
  for (const t of asList<{ Key?: string; Value?: string }>(v)) if (t.Key) out[t.Key] = t.Value ?? '';
  return out;
}

function summaryOf(stack: Stack): TemplateSummary {
  return templateSummary(stack.templateVersion)!;
}

function noEchoKeys(summary: TemplateSummary): Set<string> {
  return new Set(summary.Parameters.filter((p) => p.NoEcho).map((p) => p.ParameterKey));
}

function stackShape(stack: Stack) {
  const noEcho = noEchoKeys(summaryOf(stack));
  const sim = simOf(stack);
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ChangeSetId: sim?.update?.changeSetId,
    Description: stack.description,
    Parameters: stack.parameters.map((p) => ({ ParameterKey: p.ParameterKey, ParameterValue: noEcho.has(p.ParameterKey) ? '****' : p.ParameterValue })),
    CreationTime: date(stack.createdAt),
    DeletionTime: date(stack.deletedAt),
    LastUpdatedTime: date(stack.updatedAt),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DisableRollback: stack.disableRollback,
    NotificationARNs: [],
    Capabilities: stack.capabilities,
    Outputs: stack.outputs.length ? stack.outputs.map((o) => ({ OutputKey: o.OutputKey, OutputValue: o.OutputValue, Description: o.Description })) : undefined,
    Tags: tagList(stack.tags),
    EnableTerminationProtection: false,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

// ---- template resolution and parameter validation --------------------------------------------------------------

interface ResolvedTemplate {
  version: string;
  url: string;
}

function resolveTemplate(params: Record<string, unknown>, previous?: Stack): ResolvedTemplate {
  const url = asString(params.TemplateURL);
  const body = asString(params.TemplateBody);
  const usePrevious = bool(params.UsePreviousTemplate);
  if (usePrevious && previous) {
    if (url || body) throw validation('You cannot specify both usePreviousTemplate and Template Body/Template Url');
    return { version: previous.templateVersion, url: previous.templateUrl };
  }
  if (url && body) throw validation('Specify exactly one of TemplateBody or TemplateUrl.');
  if (body) {
    const m = /OpenVidu High Availability (\d+\.\d+\.\d+)/.exec(body);
    const s = m ? templateSummary(m[1]) : undefined;
    if (!s) throw validation('Template format error: this emulator only accepts the OpenVidu HA templates (pass TemplateURL)');
    if (Buffer.byteLength(body) > 51200) {
      throw validation(`1 validation error detected: Value '${body.slice(0, 40)}...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to 51200`);
    }
    return { version: s.templateVersion, url: templateUrlFor(s.templateVersion) };
  }
  if (!url) throw validation('Either Template URL or Template Body must be specified.');
  const r = resolveTemplateUrl(url);
  if ('error' in r) {
    // Wording of each refusal: see s3Location in ../templates.ts.
    if (r.error === 'unsupported') throw validation('TemplateURL must be a supported URL.');
    if (r.error === 'notS3') throw validation('TemplateURL must be an Amazon S3 URL.');
    throw validation('TemplateURL must reference a valid S3 object to which you have access.');
  }
  return { version: r.version, url };
}

interface GivenParameter {
  ParameterKey?: string;
  ParameterValue?: string;
  UsePreviousValue?: string | boolean;
}

/**
 * Validates and completes the parameters as CloudFormation does before it starts: unknown keys, missing values,
 * AllowedValues, AllowedPattern / Min / Max with the ConstraintDescription, and AWS-specific types that must
 * exist in the region (key pairs, VPCs, subnets).
 */
export function resolveParameters(region: RegionState, summary: TemplateSummary, given: GivenParameter[], previous?: StackParameter[]): StackParameter[] {
  const known = new Set(summary.Parameters.map((p) => p.ParameterKey));
  const unknown = given.map((g) => g.ParameterKey ?? '').filter((k) => !known.has(k));
  if (unknown.length) throw validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const values = new Map<string, string>();
  for (const g of given) {
    const key = g.ParameterKey!;
    if (bool(g.UsePreviousValue)) {
      if (g.ParameterValue !== undefined && g.ParameterValue !== '') {
        throw validation(`Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true and non empty value for a parameter key`);
      }
      const prev = previous?.find((p) => p.ParameterKey === key);
      if (!prev) throw validation(`Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      values.set(key, prev.ParameterValue);
    } else values.set(key, g.ParameterValue ?? '');
  }
  const missing: string[] = [];
  for (const p of summary.Parameters) {
    if (values.has(p.ParameterKey)) continue;
    const d = parameterDefault(p);
    if (d !== undefined) values.set(p.ParameterKey, d);
    else missing.push(p.ParameterKey);
  }
  if (missing.length) throw validation(`Parameters: [${missing.join(', ')}] must have values`);
  for (const p of summary.Parameters) {
    const v = values.get(p.ParameterKey)!;
    const fail = (plain: string) => validation(p.ConstraintDescription ? `Parameter '${p.ParameterKey}' failed to satisfy constraint: ${p.ConstraintDescription}` : plain);
    if (p.Type === 'Number' && (v.trim() === '' || !Number.isFinite(Number(v)))) throw validation(`Parameter '${p.ParameterKey}' must be a number`);
    if (p.AllowedValues && !p.AllowedValues.map(String).includes(v)) throw validation(`Parameter '${p.ParameterKey}' must be one of AllowedValues`);
    if (p.AllowedPattern !== undefined && !new RegExp(`^(?:${p.AllowedPattern})$`).test(v)) {
      throw fail(`Parameter '${p.ParameterKey}' must match pattern ${p.AllowedPattern}`);
    }
    if (p.MinLength !== undefined && v.length < p.MinLength) throw fail(`Parameter '${p.ParameterKey}' must contain at least ${p.MinLength} characters`);
    if (p.MaxLength !== undefined && v.length > p.MaxLength) throw fail(`Parameter '${p.ParameterKey}' must contain at most ${p.MaxLength} characters`);
    if (p.MinValue !== undefined && Number(v) < p.MinValue) throw fail(`Parameter '${p.ParameterKey}' must be a number not less than ${p.MinValue}`);
    if (p.MaxValue !== undefined && Number(v) > p.MaxValue) throw fail(`Parameter '${p.ParameterKey}' must be a number not greater than ${p.MaxValue}`);
  }
  for (const p of summary.Parameters) {
    const v = values.get(p.ParameterKey)!;
    const notFound = (value: string) => validation(`Parameter validation failed: parameter value ${value} for parameter name ${p.ParameterKey} does not exist. Rollback requested by user.`);
    if (p.Type === 'AWS::EC2::KeyPair::KeyName' && !region.keyPairs.some((k) => k.keyName === v)) throw notFound(v);
    if (p.Type === 'AWS::EC2::VPC::Id' && !region.vpcs.some((x) => x.vpcId === v)) throw notFound(v);
    if (p.Type === 'List<AWS::EC2::Subnet::Id>') {
      for (const id of v.split(',').map((x) => x.trim())) if (!region.subnets.some((x) => x.subnetId === id)) throw notFound(id);
    }
    if (p.Type === 'AWS::EC2::Subnet::Id' && !region.subnets.some((x) => x.subnetId === v)) throw notFound(v);
  }
  return summary.Parameters.map((p) => ({ ParameterKey: p.ParameterKey, ParameterValue: values.get(p.ParameterKey)! }));
}

/**
 * Stack tags as CreateStack / UpdateStack / CreateChangeSet accept them. CreateStack `Tags` (API reference):
 * "Key-value pairs to associate with this stack ... You can specify a maximum number of 50 tags." Tag (API
 * reference): Key "Length Constraints: Minimum length of 1. Maximum length of 128 ... Tags owned by AWS have the
 * reserved prefix: aws:"; Value "Length Constraints: Minimum length of 1. Maximum length of 256". Messages in the
 * service's constraint-violation wording.
 */
export function checkTags(v: unknown): void {
  const tags = asList<{ Key?: string; Value?: string }>(v);
  if (tags.length > 50) throw validation(`1 validation error detected: Value '[${tags.length} tags]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`);
  tags.forEach((t, i) => {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    const at = (f: string) => `at 'tags.${i + 1}.member.${f}' failed to satisfy constraint`;
    if (key.length < 1) throw validation(`1 validation error detected: Value '${key}' ${at('key')}: Member must have length greater than or equal to 1`);
    if (key.length > 128) throw validation(`1 validation error detected: Value '${key}' ${at('key')}: Member must have length less than or equal to 128`);
    if (value.length < 1) throw validation(`1 validation error detected: Value '${value}' ${at('value')}: Member must have length greater than or equal to 1`);
    if (value.length > 256) throw validation(`1 validation error detected: Value '${value}' ${at('value')}: Member must have length less than or equal to 256`);
    if (/^aws:/i.test(key)) throw validation(`Invalid tag key '${key}': the prefix 'aws:' is reserved for tags owned by AWS`);
  });
}

function checkCapabilities(params: Record<string, unknown>): string[] {
  const caps = asList<string>(params.Capabilities);
  const missing = REQUIRED_CAPABILITIES.filter((c) => !caps.includes(c));
  if (missing.length) throw new AwsError('InsufficientCapabilitiesException', `Requires capabilities : [${missing.join(', ')}]`, 400);
  return caps;
}

function checkStackName(name: string | undefined): string {
  if (!name) throw validation("1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null");
  if (name.length > 128) throw validation(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must have length less than or equal to 128`);
  if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(name)) {
    throw validation(
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`,
    );
  }
  return name;
}

// ---- stack creation (shared with seeding) ----------------------------------------------------------------------

export interface CreateStackInput {
  stackName: string;
  templateUrl?: string;
  templateVersion?: string;
  parameters: GivenParameter[];
  capabilities?: string[];
  onFailure?: 'DO_NOTHING' | 'ROLLBACK' | 'DELETE';
  disableRollback?: boolean;
  tags?: Tags;
  /** simulated instant the creation started (default now); a past instant plus `advanceStacks` creates a finished stack */
  startedAt?: number;
  /** skip the checks (seeding a world that lacks the referenced VPC/subnets) */
  skipValidation?: boolean;
  /** create in REVIEW_IN_PROGRESS without starting (a CREATE change set) */
  review?: boolean;
}

/** Creates a stack and starts its simulation (validations as the CreateStack API). Returns the stack. */
export function createOpenViduStack(world: World, regionName: string, input: CreateStackInput): Stack {
  const region = world.region(regionName);
  const name = checkStackName(input.stackName);
  if (region.stacks.some((s) => s.stackName === name && s.status !== 'DELETE_COMPLETE')) {
    throw new AwsError('AlreadyExistsException', `Stack [${name}] already exists`, 400);
  }
  const version = input.templateVersion ?? (input.templateUrl ? resolveTemplate({ TemplateURL: input.templateUrl }).version : LATEST_TEMPLATE_VERSION);
  const summary = templateSummary(version)!;
  const parameters = input.skipValidation
    ? summary.Parameters.map((p) => ({
        ParameterKey: p.ParameterKey,
        ParameterValue: input.parameters.find((g) => g.ParameterKey === p.ParameterKey)?.ParameterValue ?? parameterDefault(p) ?? '',
      }))
    : resolveParameters(region, summary, input.parameters);
  const at = input.startedAt ?? world.now();
  const stack: Stack = {
    stackId: `arn:aws:cloudformation:${regionName}:${world.accountId}:stack/${name}/${world.rng.uuid()}`,
    stackName: name,
    region: regionName,
    status: input.review ? 'REVIEW_IN_PROGRESS' : 'CREATE_IN_PROGRESS',
    description: summary.Description,
    templateVersion: version,
    templateUrl: input.templateUrl ?? templateUrlFor(version),
    parameters,
    capabilities: input.capabilities ?? [...REQUIRED_CAPABILITIES],
    disableRollback: !!input.disableRollback,
    onFailure: input.onFailure ?? (input.disableRollback ? 'DO_NOTHING' : 'ROLLBACK'),
    tags: input.tags ?? {},
    outputs: [],
    createdAt: at,
    resources: [],
    events: [],
  };
  stack.sim = newSim(world, regionName, name, version);
  region.stacks.push(stack);
  if (input.review) {
    stack.events.push({
      eventId: world.rng.uuid(),
      logicalId: name,
      physicalId: stack.stackId,
      type: 'AWS::CloudFormation::Stack',
      status: 'REVIEW_IN_PROGRESS',
      statusReason: 'User Initiated',
      timestamp: at,
    });
  } else startCreate(world, stack, at);
  return stack;
}

/** Runs the simulation of every stack up to now (what each request does first). */
export function advanceStacks(world: World): void {
  advanceAllStacks(world, world.now());
}

// ---- handlers --------------------------------------------------------------------------------------------

function createStack({ world, region, params }: HandlerContext) {
  const name = checkStackName(asString(params.StackName));
  if (region.stacks.some((s) => s.stackName === name && s.status !== 'DELETE_COMPLETE')) {
    throw new AwsError('AlreadyExistsException', `Stack [${name}] already exists`, 400);
  }
  const t = resolveTemplate(params);
  const summary = templateSummary(t.version)!;
  const given = asList<GivenParameter>(params.Parameters);
  // parameter names and presence first, then capabilities, then values (as CloudFormation reports them)
  const known = new Set(summary.Parameters.map((p) => p.ParameterKey));
  const unknown = given.map((g) => g.ParameterKey ?? '').filter((k) => !known.has(k));
  if (unknown.length) throw validation(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const missing = summary.Parameters.filter((p) => p.Default === undefined && !given.some((g) => g.ParameterKey === p.ParameterKey)).map((p) => p.ParameterKey);
  if (missing.length) throw validation(`Parameters: [${missing.join(', ')}] must have values`);
  checkTags(params.Tags);
  const caps = checkCapabilities(params);
  const onFailure = asString(params.OnFailure) as CreateStackInput['onFailure'];
  if (onFailure && params.DisableRollback !== undefined) {
    throw validation('You cannot specify both OnFailure and DisableRollback.');
  }
  if (onFailure && !['DO_NOTHING', 'ROLLBACK', 'DELETE'].includes(onFailure)) {
    throw validation(`1 validation error detected: Value '${onFailure}' at 'onFailure' failed to satisfy constraint: Member must satisfy enum value set: [DO_NOTHING, ROLLBACK, DELETE]`);
  }
  const stack = createOpenViduStack(world, region.name, {
    stackName: name,
    templateUrl: t.url,
    templateVersion: t.version,
    parameters: given,
    capabilities: caps,
    onFailure,
    disableRollback: bool(params.DisableRollback),
    tags: readTags(params.Tags),
  });
  const lag = readLag.get(world)?.hiddenReads ?? 0;
  if (lag) hiddenReadsLeft.set(stack, lag);
  return { StackId: stack.stackId };
}

function describeStacks({ region, params }: HandlerContext) {
  const name = asString(params.StackName);
  if (name) {
    const stack = requireStack(region, name);
    if (notVisibleYet(stack)) throw validation(`Stack with id ${name} does not exist`);
    return { Stacks: [stackShape(stack)] };
  }
  const all = [...region.stacks].reverse().filter((s) => s.status !== 'DELETE_COMPLETE' && !notVisibleYet(s));
  const p = page(all, params.NextToken, STACK_PAGE);
  return { Stacks: p.items.map(stackShape), NextToken: p.next };
}

function listStacks({ region, params }: HandlerContext) {
  const filter = asList<string>(params.StackStatusFilter);
  const all = [...region.stacks].reverse().filter((s) => (!filter.length || filter.includes(s.status)) && !notVisibleYet(s));
  const p = page(all, params.NextToken, LIST_PAGE);
  return {
    StackSummaries: p.items.map((s) => ({
      StackId: s.stackId,
      StackName: s.stackName,
      TemplateDescription: s.description,
      CreationTime: date(s.createdAt),
      LastUpdatedTime: date(s.updatedAt),
      DeletionTime: date(s.deletedAt),
      StackStatus: s.status,
      StackStatusReason: s.statusReason,
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    })),
    NextToken: p.next,
  };
}

function describeStackEvents({ region, params }: HandlerContext) {
  const stack = requireStack(region, params.StackName);
  const events = stack.events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => b.e.timestamp - a.e.timestamp || b.i - a.i)
    .map(({ e }) => e);
  const p = page(events, params.NextToken, EVENTS_PAGE);
  return {
    StackEvents: p.items.map((e) => ({
      StackId: stack.stackId,
      EventId: e.eventId,
      StackName: stack.stackName,
      LogicalResourceId: e.logicalId,
      PhysicalResourceId: e.physicalId,
      ResourceType: e.type,
      Timestamp: new Date(e.timestamp),
      ResourceStatus: e.status,
      ResourceStatusReason: e.statusReason,
      ResourceProperties: e.properties,
    })),
    NextToken: p.next,
  };
}

function resourceShape(stack: Stack, r: Stack['resources'][number]) {
  return {
    StackName: stack.stackName,
    StackId: stack.stackId,
    LogicalResourceId: r.logicalId,
    PhysicalResourceId: r.physicalId || undefined,
    ResourceType: r.type,
    Timestamp: new Date(r.timestamp),
    ResourceStatus: r.status,
    ResourceStatusReason: r.statusReason,
    DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
  };
}

function stackOfPhysical(region: RegionState, physicalId: string): Stack | undefined {
  return [...region.stacks].reverse().find((s) => s.resources.some((r) => r.physicalId === physicalId));
}

function describeStackResources({ region, params }: HandlerContext) {
  const physical = asString(params.PhysicalResourceId);
  const name = asString(params.StackName);
  if (!physical && !name) throw validation('Either StackName or PhysicalResourceId must be specified.');
  let stack: Stack | undefined;
  if (name) stack = requireStack(region, name);
  else {
    stack = stackOfPhysical(region, physical!);
    if (!stack) throw validation(`Stack for ${physical} does not exist`);
  }
  const logical = asString(params.LogicalResourceId);
  // DescribeStackResources (API reference): "Only the first 100 resources will be returned. If your stack has more
  // resources than this, you should use ListStackResources instead." No NextToken: the rest is not reachable.
  const list = stack.resources.filter((r) => !logical || r.logicalId === logical).slice(0, DESCRIBE_RESOURCES_MAX);
  return { StackResources: list.map((r) => resourceShape(stack!, r)) };
}

function listStackResources({ region, params }: HandlerContext) {
  const stack = requireStack(region, params.StackName);
  const p = page(
    stack.resources.filter((r) => r.status !== 'DELETE_COMPLETE' || stack.status === 'DELETE_COMPLETE'),
    params.NextToken,
    LIST_RESOURCES_PAGE,
  );
  return {
    StackResourceSummaries: p.items.map((r) => ({
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId || undefined,
      ResourceType: r.type,
      LastUpdatedTimestamp: new Date(r.timestamp),
      ResourceStatus: r.status,
      ResourceStatusReason: r.statusReason,
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    })),
    NextToken: p.next,
  };
}

function describeStackResource({ region, params }: HandlerContext) {
  const stack = requireStack(region, params.StackName);
  const logical = asString(params.LogicalResourceId) ?? '';
  const r = stack.resources.find((x) => x.logicalId === logical);
  if (!r) throw validation(`Resource ${logical} does not exist for stack ${stack.stackName}`);
  return {
    StackResourceDetail: {
      StackName: stack.stackName,
      StackId: stack.stackId,
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId || undefined,
      ResourceType: r.type,
      LastUpdatedTimestamp: new Date(r.timestamp),
      ResourceStatus: r.status,
      ResourceStatusReason: r.statusReason,
      Metadata: '{}',
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    },
  };
}

function summaryParameters(summary: TemplateSummary) {
  return summary.Parameters.map((p) => ({
    ParameterKey: p.ParameterKey,
    DefaultValue: parameterDefault(p),
    ParameterType: p.Type,
    NoEcho: !!p.NoEcho,
    Description: p.Description,
    ParameterConstraints: p.AllowedValues ? { AllowedValues: p.AllowedValues.map(String) } : {},
  }));
}

function getTemplateSummary({ region, params }: HandlerContext) {
  const name = asString(params.StackName);
  let version: string;
  if (name) version = requireStack(region, name).templateVersion;
  else version = resolveTemplate(params).version;
  const summary = templateSummary(version)!;
  return {
    Parameters: summaryParameters(summary),
    Description: summary.Description,
    Capabilities: REQUIRED_CAPABILITIES,
    CapabilitiesReason: 'The following resource(s) require capabilities: [AWS::IAM::Role]',
    ResourceTypes: [...new Set(Object.values(summary.Resources))],
    Version: '2010-09-09',
    Metadata: templateMetadataJson(version),
    DeclaredTransforms: [],
    ResourceIdentifierSummaries: [],
  };
}

function validateTemplate({ params }: HandlerContext) {
  const summary = templateSummary(resolveTemplate(params).version)!;
  return {
    Parameters: summary.Parameters.map((p) => ({ ParameterKey: p.ParameterKey, DefaultValue: parameterDefault(p), NoEcho: !!p.NoEcho, Description: p.Description })),
    Description: summary.Description,
    Capabilities: REQUIRED_CAPABILITIES,
    CapabilitiesReason: 'The following resource(s) require capabilities: [AWS::IAM::Role]',
    DeclaredTransforms: [],
  };
}

function getTemplate({ region, params }: HandlerContext) {
  const stack = requireStack(region, params.StackName);
  return { TemplateBody: templateYaml(stack.templateVersion), StagesAvailable: ['Original', 'Processed'] };
}

function updateStack({ world, region, params }: HandlerContext) {
  const stack = requireStack(region, params.StackName);
  assertUpdatable(stack);
  const t = resolveTemplate(params, stack);
  const summary = templateSummary(t.version)!;
  checkTags(params.Tags);
  const caps = checkCapabilities(params);
  const newParams = resolveParameters(region, summary, asList<GivenParameter>(params.Parameters), stack.parameters);
  const changes = computeChanges(world, stack, newParams, t.version);
  const newTags = params.Tags !== undefined ? readTags(params.Tags) : stack.tags;
  if (!changes.length && JSON.stringify(newTags) === JSON.stringify(stack.tags)) throw validation('No updates are to be performed.');
  stack.capabilities = caps;
  stack.tags = newTags;
  if (params.DisableRollback !== undefined) stack.disableRollback = bool(params.DisableRollback);
  startUpdate(world, stack, world.now(), newParams, t.version, t.url, changes);
  return { StackId: stack.stackId };
}

function deleteStack({ world, region, params }: HandlerContext) {
  const stack = findStack(region, asString(params.StackName) ?? '');
  // DeleteStack on a stack that does not exist succeeds, as on AWS.
  if (!stack || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return {};
  const retain = asList<string>(params.RetainResources);
  if (retain.length && stack.status !== 'DELETE_FAILED') {
    throw validation('Invalid operation on stack. The resources to retain can only be specified when the stack is in the DELETE_FAILED state.');
  }
  if (/^UPDATE_.*IN_PROGRESS$/.test(stack.status) && !/CLEANUP/.test(stack.status)) {
    throw validation(`Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`);
  }
  const sim = simOf(stack);
  sim.changeSets = [];
  if (stack.status === 'REVIEW_IN_PROGRESS') {
    stack.status = 'DELETE_COMPLETE';
    stack.deletedAt = world.now();
    return {};
  }
  startDelete(world, stack, world.now(), retain);
  return {};
}

function cancelUpdateStack({ world, region, params }: HandlerContext) {
  cancelUpdate(world, requireStack(region, params.StackName), world.now());
  return {};
}

function continueUpdateRollbackHandler({ world, region, params }: HandlerContext) {
  continueUpdateRollback(world, requireStack(region, params.StackName), world.now(), asList<string>(params.ResourcesToSkip));
  return {};
}

// ---- change sets ------------------------------------------------------------------------------------------

function findChangeSet(region: RegionState, params: Record<string, unknown>): { stack: Stack; cs: ChangeSetRecord } {
  const ref = asString(params.ChangeSetName) ?? '';
  if (ref.startsWith('arn:')) {
    for (const stack of region.stacks) {
      const cs = simOf(stack)?.changeSets.find((c) => c.id === ref);
      if (cs) return { stack, cs };
    }
    throw new AwsError('ChangeSetNotFound', `ChangeSet [${ref}] does not exist`, 404);
  }
  const stackName = asString(params.StackName);
  if (!stackName) throw validation('StackName must be specified if ChangeSetName is not specified as an ARN.');
  const stack = findStack(region, stackName);
  const cs = stack ? simOf(stack)?.changeSets.find((c) => c.name === ref) : undefined;
  if (!stack || !cs) throw new AwsError('ChangeSetNotFound', `ChangeSet [${ref}] does not exist`, 404);
  return { stack, cs };
}

function createChangeSet({ world, region, params }: HandlerContext) {
  const csName = asString(params.ChangeSetName) ?? '';
  if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(csName) || csName.length > 128) {
    throw validation(`1 validation error detected: Value '${csName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  }
  const type = (asString(params.ChangeSetType) ?? 'UPDATE') as 'CREATE' | 'UPDATE';
  const stackName = asString(params.StackName) ?? '';
  let stack = findStack(region, stackName);
  const now = world.now();
  if (type === 'CREATE') {
    if (stack && stack.status !== 'REVIEW_IN_PROGRESS') throw new AwsError('AlreadyExistsException', `Stack [${stackName}] already exists and cannot be created again with the changeSet [${csName}].`, 400);
  } else if (!stack) {
    throw validation(`Stack [${stackName}] does not exist`);
  } else if (stack.status === 'REVIEW_IN_PROGRESS') {
    throw validation(`Stack [${stackName}] does not exist`);
  } else {
    assertUpdatable(stack);
  }
  const t = resolveTemplate(params, stack);
  const summary = templateSummary(t.version)!;
  checkTags(params.Tags);
  const caps = checkCapabilities(params);
  if (type === 'CREATE' && !stack) {
    const given = asList<GivenParameter>(params.Parameters);
    resolveParameters(region, summary, given);
    stack = createOpenViduStack(world, region.name, {
      stackName,
      templateUrl: t.url,
      templateVersion: t.version,
      parameters: given,
      capabilities: caps,
      tags: readTags(params.Tags),
      review: true,
    });
  }
  const sim = simOf(stack!);
  if (sim.changeSets.some((c) => c.name === csName)) throw new AwsError('AlreadyExistsException', `ChangeSet ${csName} already exists`, 400);
  let newParams: StackParameter[];
  let changes;
  if (type === 'CREATE') {
    newParams = resolveParameters(region, summary, asList<GivenParameter>(params.Parameters));
    const map = Object.fromEntries(newParams.map((p) => [p.ParameterKey, p.ParameterValue]));
    changes = includedResources(summary, map).map((id) => ({
      Action: 'Add' as const,
      LogicalResourceId: id,
      ResourceType: summary.Resources[id],
      Scope: [],
      Details: [],
    }));
  } else {
    newParams = resolveParameters(region, summary, asList<GivenParameter>(params.Parameters), stack!.parameters);
    changes = computeChanges(world, stack!, newParams, t.version);
  }
  const cs: ChangeSetRecord = {
    id: `arn:aws:cloudformation:${region.name}:${world.accountId}:changeSet/${csName}/${world.rng.uuid()}`,
    name: csName,
    type,
    status: 'CREATE_PENDING',
    executionStatus: 'UNAVAILABLE',
    createdAt: now,
    readyAt: now + 2000,
    description: asString(params.Description),
    parameters: newParams,
    version: t.version,
    templateUrl: t.url,
    capabilities: caps,
    tags: params.Tags !== undefined ? readTags(params.Tags) : stack!.tags,
    changes,
  };
  sim.changeSets.push(cs);
  return { Id: cs.id, StackId: stack!.stackId };
}

function changeSetSummary(stack: Stack, cs: ChangeSetRecord) {
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ChangeSetId: cs.id,
    ChangeSetName: cs.name,
    ExecutionStatus: cs.executionStatus,
    Status: cs.status,
    StatusReason: cs.statusReason,
    CreationTime: new Date(cs.createdAt),
    Description: cs.description,
    IncludeNestedStacks: false,
  };
}

function describeChangeSet({ region, params }: HandlerContext) {
  const { stack, cs } = findChangeSet(region, params);
  const noEcho = noEchoKeys(templateSummary(cs.version)!);
  const ready = cs.status === 'CREATE_COMPLETE' || cs.executionStatus.startsWith('EXECUTE');
  const p = page(ready ? cs.changes : [], params.NextToken, 100);
  return {
    ChangeSetName: cs.name,
    ChangeSetId: cs.id,
    StackId: stack.stackId,
    StackName: stack.stackName,
    Description: cs.description,
    Parameters: cs.parameters.map((x) => ({ ParameterKey: x.ParameterKey, ParameterValue: noEcho.has(x.ParameterKey) ? '****' : x.ParameterValue })),
    CreationTime: new Date(cs.createdAt),
    ExecutionStatus: cs.executionStatus,
    Status: cs.status,
    StatusReason: cs.statusReason,
    NotificationARNs: [],
    RollbackConfiguration: {},
    Capabilities: cs.capabilities,
    Tags: tagList(cs.tags),
    Changes: p.items.map((c) => ({ Type: 'Resource', ResourceChange: { ...c, Scope: c.Scope, Details: c.Details } })),
    NextToken: p.next,
    IncludeNestedStacks: false,
  };
}

function executeChangeSet({ world, region, params }: HandlerContext) {
  const { stack, cs } = findChangeSet(region, params);
  if (cs.executionStatus !== 'AVAILABLE') {
    throw new AwsError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be executed in its current execution status of [${cs.executionStatus}]`, 400);
  }
  const sim = simOf(stack);
  const now = world.now();
  cs.executionStatus = 'EXECUTE_IN_PROGRESS';
  for (const other of sim.changeSets) if (other !== cs) other.executionStatus = 'OBSOLETE';
  sim.changeSets = [cs];
  if (params.DisableRollback !== undefined) stack.disableRollback = bool(params.DisableRollback);
  if (cs.type === 'CREATE') {
    stack.parameters = cs.parameters;
    stack.createdAt = now;
    startCreate(world, stack, now);
  } else {
    stack.capabilities = cs.capabilities;
    stack.tags = cs.tags;
    startUpdate(world, stack, now, cs.parameters, cs.version, cs.templateUrl, cs.changes);
    if (sim.update) sim.update.changeSetId = cs.id;
  }
  return {};
}

function deleteChangeSet({ region, params }: HandlerContext) {
  const { stack, cs } = findChangeSet(region, params);
  if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') {
    throw new AwsError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be deleted in its current execution status of [${cs.executionStatus}]`, 400);
  }
  const sim = simOf(stack);
  sim.changeSets = sim.changeSets.filter((c) => c !== cs);
  return {};
}

function listChangeSets({ region, params }: HandlerContext) {
  const stack = requireStack(region, params.StackName);
  const p = page(simOf(stack)?.changeSets ?? [], params.NextToken, CHANGESET_PAGE);
  return { Summaries: p.items.map((cs) => changeSetSummary(stack, cs)), NextToken: p.next };
}

// ---- HTTP routes ---------------------------------------------------------------------------------------------

const templateRoute: HttpRoute = (req, res, url) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const m = new RegExp(`^${TEMPLATE_PATH_PREFIX}/([^/]+)/aws/cf-openvidu-ha\\.yaml$`).exec(url.pathname);
  if (!m) return false;
  const body = templateYaml(m[1]);
  if (!body) {
    res.writeHead(404, { 'content-type': 'application/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>pro/ha/${m[1]}/aws/cf-openvidu-ha.yaml</Key></Error>`);
    return true;
  }
  res.writeHead(200, { 'content-type': 'application/x-yaml', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
};

const failuresRoute: HttpRoute = (req, res, url, body, emulator) => {
  if (url.pathname !== '/_cloudformation/stack-failures' && url.pathname !== '/_emulator/stack-failures') return false;
  const json = (status: number, v: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(v));
  };
  if (req.method === 'DELETE') {
    clearStackFailures(emulator.world);
    json(200, { ok: true });
  } else if (req.method === 'POST') {
    let spec: StackFailureSpec;
    try {
      spec = JSON.parse(body || '{}') as StackFailureSpec;
    } catch {
      json(400, { error: 'body must be JSON' });
      return true;
    }
    if (!spec.stackName || !spec.logicalId) json(400, { error: 'stackName and logicalId are required' });
    else {
      injectStackFailure(emulator.world, spec);
      json(200, { ok: true });
    }
  } else json(200, listStackFailures(emulator.world));
  return true;
};

const consistencyRoute: HttpRoute = (req, res, url, body, emulator) => {
  if (url.pathname !== '/_cloudformation/consistency' || req.method !== 'POST') return false;
  let hiddenReads = 0;
  try {
    hiddenReads = Number((JSON.parse(body || '{}') as { hiddenReads?: number }).hiddenReads ?? 0);
  } catch {
    // treated as 0: the window off
  }
  setStackReadLag(emulator.world, Number.isFinite(hiddenReads) ? hiddenReads : 0);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ hiddenReads }));
  return true;
};

export const cloudformation: ServiceModule = {
  service: 'cloudformation',
  install(world: World) {
    world.onTick((w) => advanceAllStacks(w, w.now()));
  },
  httpRoutes: [templateRoute, failuresRoute, consistencyRoute],
  handlers: {
    CreateStack: createStack,
    DescribeStacks: describeStacks,
    ListStacks: listStacks,
    DescribeStackEvents: describeStackEvents,
    DescribeStackResources: describeStackResources,
    DescribeStackResource: describeStackResource,
    ListStackResources: listStackResources,
    GetTemplateSummary: getTemplateSummary,
    ValidateTemplate: validateTemplate,
    GetTemplate: getTemplate,
    UpdateStack: updateStack,
    DeleteStack: deleteStack,
    CancelUpdateStack: cancelUpdateStack,
    ContinueUpdateRollback: continueUpdateRollbackHandler,
    CreateChangeSet: createChangeSet,
    DescribeChangeSet: describeChangeSet,
    ExecuteChangeSet: executeChangeSet,
    DeleteChangeSet: deleteChangeSet,
    ListChangeSets: listChangeSets,
  },
};
