/**
 * The OpenVidu HA stack simulation: what CloudFormation does with the template over simulated time.
 *
 * Each stack carries a queue of timed steps (`stack.sim`). The CloudFormation module's tick hook runs every step
 * whose instant has passed, in order, so a stack advances lazily to `now` whenever a request arrives. Steps emit
 * stack events, create the world's objects (secret, log group, IAM roles and instance profiles, master instances
 * via EC2's `launchInstance`, the media ASG via Auto Scaling's `createAsg`) and delete them again on rollback or
 * deletion. Failures come from the parameters (a stack name too long for the Lambda, a certificate that is not in
 * the region, private subnets, min/max/initial media nodes out of order…) or are injected with
 * `injectStackFailure`.
 */
import { AwsError } from './protocol';
import type { RegionState, Stack, StackParameter, StackResource, Tags, World } from './world';
import { launchInstance, terminateInstance } from './services/ec2';
import { createAsg, deleteAsg, updateAsgCapacity } from './services/autoscaling';
import { ROLE_MANAGED_POLICIES, ROLE_NAME_PREFIX, ROLE_SERVICE_PRINCIPAL, templateSummary, TemplateSummary } from './templates';

// ---- failure injection ----------------------------------------------------------------------------------

export type StackOperation = 'create' | 'update' | 'delete' | 'rollback';
export interface StackFailureSpec {
  stackName: string;
  logicalId: string;
  /** the resource status reason; a realistic default per resource type when omitted */
  reason?: string;
  /** which operation fails (default `create`); `rollback` makes an update's rollback fail */
  operation?: StackOperation;
  /** limit to one region (default: any) */
  region?: string;
}

const failureRegistry = new WeakMap<World, StackFailureSpec[]>();

/** Makes the named resource of a (future or running) stack fail the next time the operation reaches it. */
export function injectStackFailure(world: World, spec: StackFailureSpec): void {
  const list = failureRegistry.get(world) ?? [];
  list.push({ ...spec, operation: spec.operation ?? 'create' });
  failureRegistry.set(world, list);
}
export function listStackFailures(world: World): StackFailureSpec[] {
  return [...(failureRegistry.get(world) ?? [])];
}
export function clearStackFailures(world: World): void {
  failureRegistry.delete(world);
}

function takeFailure(ctx: Ctx, logicalId: string, op: StackOperation): string | undefined {
  const list = failureRegistry.get(ctx.world) ?? [];
  const i = list.findIndex(
    (f) => f.stackName === ctx.stack.stackName && f.logicalId === logicalId && (f.operation ?? 'create') === op && (!f.region || f.region === ctx.region.name),
  );
  if (i >= 0) {
    const [f] = list.splice(i, 1);
    return f.reason ?? defaultFailureReason(ctx, logicalId, op);
  }
  // Tags on the stack also inject: `emulator:fail:<LogicalId>` = reason (create), `emulator:fail-delete:<LogicalId>`…
  const tagKey = op === 'create' ? `emulator:fail:${logicalId}` : `emulator:fail-${op}:${logicalId}`;
  const used = ctx.sim.usedTagFailures;
  if (ctx.stack.tags[tagKey] !== undefined && !used.includes(tagKey)) {
    used.push(tagKey);
    return ctx.stack.tags[tagKey] || defaultFailureReason(ctx, logicalId, op);
  }
  return undefined;
}

function requestToken(ctx: Ctx): string {
  return ctx.world.rng.uuid();
}

function defaultFailureReason(ctx: Ctx, logicalId: string, op: StackOperation): string {
  const type = ctx.summary.Resources[logicalId] ?? '';
  if (type === 'AWS::CloudFormation::WaitCondition') return 'WaitCondition timed out. Received 0 conditions when expecting 1';
  if (type === 'AWS::ElasticLoadBalancingV2::Listener') {
    return `Resource handler returned message: "Certificate ARN '${param(ctx, 'OpenViduCertificateARN')}' is not valid (Service: ElasticLoadBalancingV2, Status Code: 400, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: InvalidRequest)`;
  }
  if (op === 'delete') {
    if (type === 'AWS::EC2::SecurityGroup') {
      return `Resource handler returned message: "resource ${physicalOf(ctx, logicalId) ?? logicalId} has a dependent object (Service: Ec2, Status Code: 400, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: InvalidRequest)`;
    }
    return `Resource handler returned message: "Access Denied (Service: ${serviceOf(type)}, Status Code: 403, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: AccessDenied)`;
  }
  if (type === 'AWS::EC2::Instance') {
    return `Resource handler returned message: "We currently do not have sufficient ${param(ctx, 'MasterNodeInstanceType')} capacity in the Availability Zone you requested. Our system will be working on provisioning additional capacity. (Service: Ec2, Status Code: 500, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: GeneralServiceException)`;
  }
  if (type.startsWith('Custom::')) {
    return `Received response status [FAILED] from custom resource. Message returned: Error processing subnets. See the details in CloudWatch Log Stream: ${ctx.sim.logStreamName} (RequestId: ${ctx.world.rng.uuid()})`;
  }
  return `Resource handler returned message: "Internal Failure (Service: ${serviceOf(type)}, Status Code: 500, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: InternalFailure)`;
}

function serviceOf(type: string): string {
  const svc = type.split('::')[1] ?? 'CloudFormation';
  return svc === 'ElasticLoadBalancingV2' ? 'ElasticLoadBalancingV2' : svc === 'EC2' ? 'Ec2' : svc;
}

// ---- simulation state -------------------------------------------------------------------------------------

interface Step {
  at: number;
  seq: number;
  run: (at: number) => void;
}

export interface ResourceChange {
  Action: 'Add' | 'Modify' | 'Remove';
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Replacement?: 'True' | 'False' | 'Conditional';
  Scope: string[];
  Details: {
    Target: { Attribute: string; Name?: string; RequiresRecreation: 'Never' | 'Conditionally' | 'Always' };
    Evaluation: 'Static' | 'Dynamic';
    ChangeSource: 'ParameterReference' | 'ResourceReference' | 'ResourceAttribute' | 'DirectModification';
    CausingEntity?: string;
  }[];
}

export interface ChangeSetRecord {
  id: string;
  name: string;
  type: 'CREATE' | 'UPDATE';
  status: 'CREATE_PENDING' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'DELETE_COMPLETE' | 'FAILED';
  statusReason?: string;
  executionStatus: 'UNAVAILABLE' | 'AVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'EXECUTE_FAILED' | 'OBSOLETE';
  createdAt: number;
  readyAt: number;
  description?: string;
  parameters: StackParameter[];
  version: string;
  templateUrl: string;
  capabilities: string[];
  tags: Tags;
  changes: ResourceChange[];
}

interface UpdateState {
  oldParams: StackParameter[];
  oldVersion: string;
  oldUrl: string;
  /** resources replaced: the old physical id to clean up (or to restore on rollback) */
  replaced: { logicalId: string; oldPhysical?: string; newPhysical?: string }[];
  added: string[];
  modified: string[];
  removed: string[];
  changeSetId?: string;
}

export interface StackSim {
  version: string;
  steps: Step[];
  seq: number;
  /** logical id → physical id of what exists */
  physical: Record<string, string>;
  masters: Record<number, string>;
  secretName: string;
  functionName: string;
  logGroupName: string;
  logStreamName: string;
  lb?: { arn: string; dns: string; name: string };
  asgName: string;
  usedTagFailures: string[];
  changeSets: ChangeSetRecord[];
  update?: UpdateState;
  /** for seeding: launches and ASG boots are shortened so a stack created in the past is up now */
  catchUp?: boolean;
}

interface Ctx {
  world: World;
  region: RegionState;
  stack: Stack;
  sim: StackSim;
  summary: TemplateSummary;
}

export function simOf(stack: Stack): StackSim {
  return stack.sim as StackSim;
}

function ctxOf(world: World, stack: Stack): Ctx {
  const summary = templateSummary(simOf(stack).version)!;
  return { world, region: world.region(stack.region), stack, sim: simOf(stack), summary };
}

export function newSim(world: World, region: string, stackName: string, version: string): StackSim {
  return {
    version,
    steps: [],
    seq: 0,
    physical: {},
    masters: {},
    secretName: `openvidu-ha-${region}-${stackName}`,
    functionName: `SubnetProcessor-${region}-${stackName}`,
    logGroupName: `/aws/lambda/SubnetProcessor-${region}-${stackName}`,
    logStreamName: `${new Date(world.now()).toISOString().slice(0, 10).replace(/-/g, '/')}/[$LATEST]${world.rng.hex(32)}`,
    asgName: `openvidu-ha-media-asg-${region}-${stackName}`.slice(0, 255),
    usedTagFailures: [],
    changeSets: [],
  };
}

function schedule(ctx: Ctx, at: number, run: (at: number) => void): void {
  ctx.sim.steps.push({ at, seq: ++ctx.sim.seq, run });
  ctx.sim.steps.sort((a, b) => a.at - b.at || a.seq - b.seq);
}

function clearSteps(ctx: Ctx): void {
  ctx.sim.steps.length = 0;
}

/** Runs every due step of one stack (steps may schedule further steps). */
export function advanceStack(world: World, stack: Stack, now: number): void {
  const sim = simOf(stack);
  if (!sim) return;
  let guard = 0;
  while (sim.steps.length && sim.steps[0].at <= now && guard++ < 100000) {
    const step = sim.steps.shift()!;
    step.run(step.at);
  }
  // once an executed change set's operation is over, CloudFormation removes it (the others went when it started)
  if (!/IN_PROGRESS$/.test(stack.status)) sim.changeSets = sim.changeSets.filter((c) => c.executionStatus !== 'EXECUTE_IN_PROGRESS');
  for (const cs of sim.changeSets) {
    if ((cs.status === 'CREATE_PENDING' || cs.status === 'CREATE_IN_PROGRESS') && now >= cs.readyAt) {
      if (cs.changes.length === 0) {
        cs.status = 'FAILED';
        cs.statusReason = "The submitted information didn't contain changes. Submit different information to create a change set.";
        cs.executionStatus = 'UNAVAILABLE';
      } else {
        cs.status = 'CREATE_COMPLETE';
        cs.executionStatus = 'AVAILABLE';
      }
    } else if (cs.status === 'CREATE_PENDING' && now >= cs.createdAt + 500) {
      cs.status = 'CREATE_IN_PROGRESS';
    }
  }
}

/** Runs every stack of every region up to `now`. */
export function advanceAllStacks(world: World, now: number): void {
  for (const region of world.regions.values()) {
    for (const stack of region.stacks) if (stack.sim) advanceStack(world, stack, now);
  }
}

// ---- helpers ----------------------------------------------------------------------------------------------

function param(ctx: Ctx, key: string): string {
  return ctx.stack.parameters.find((p) => p.ParameterKey === key)?.ParameterValue ?? '';
}
function listParam(ctx: Ctx, key: string): string[] {
  return param(ctx, key)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
function physicalOf(ctx: Ctx, logicalId: string): string | undefined {
  return ctx.sim.physical[logicalId];
}

function cfnTags(ctx: Ctx, logicalId: string): Tags {
  return {
    ...ctx.stack.tags,
    'aws:cloudformation:stack-name': ctx.stack.stackName,
    'aws:cloudformation:stack-id': ctx.stack.stackId,
    'aws:cloudformation:logical-id': logicalId,
  };
}

function resourceRecord(ctx: Ctx, logicalId: string): StackResource | undefined {
  return ctx.stack.resources.find((r) => r.logicalId === logicalId);
}

/** Adds a resource event and updates the resource's current status. */
function emit(ctx: Ctx, at: number, logicalId: string, status: string, opts: { physicalId?: string; reason?: string; keepRecord?: boolean } = {}): void {
  const type = ctx.summary.Resources[logicalId] ?? resourceRecord(ctx, logicalId)?.type ?? 'AWS::CloudFormation::CustomResource';
  const physicalId = opts.physicalId ?? physicalOf(ctx, logicalId);
  ctx.stack.events.push({
    eventId: `${logicalId}-${ctx.world.rng.uuid()}`,
    logicalId,
    physicalId: physicalId ?? '',
    type,
    status,
    statusReason: opts.reason,
    timestamp: at,
  });
  if (opts.keepRecord) return;
  let rec = resourceRecord(ctx, logicalId);
  if (!rec) {
    rec = { logicalId, type, status, timestamp: at };
    ctx.stack.resources.push(rec);
  }
  rec.status = status;
  rec.statusReason = opts.reason;
  rec.timestamp = at;
  if (physicalId !== undefined) rec.physicalId = physicalId;
}

/** Changes the stack's own status with its event. */
function stackStatus(ctx: Ctx, at: number, status: string, reason?: string): void {
  const s = ctx.stack;
  s.status = status;
  s.statusReason = reason;
  s.events.push({
    eventId: ctx.world.rng.uuid(),
    logicalId: s.stackName,
    physicalId: s.stackId,
    type: 'AWS::CloudFormation::Stack',
    status,
    statusReason: reason,
    timestamp: at,
  });
}

function alnum(world: World, n: number, lower = false): string {
  const s = world.rng.alnum(n);
  return lower ? s.toLowerCase() : s.toUpperCase();
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n);
}

function roleName(ctx: Ctx, logicalId: string): string {
  return truncate(`${ROLE_NAME_PREFIX[logicalId] ?? logicalId}-${ctx.region.name}-${ctx.stack.stackName}`, 64);
}

// ---- which resources exist and in which order ---------------------------------------------------------------

function isIncluded(ctx: Ctx, logicalId: string, params?: Record<string, string>, summary = ctx.summary): boolean {
  const p = (k: string) => (params ? params[k] ?? '' : param(ctx, k));
  if (logicalId === 'S3AppDataBucketResource') return p('S3AppDataBucketName') === '';
  if (logicalId === 'S3ClusterDataBucketResource') return p('S3ClusterDataBucketName') === '';
  if (summary.Parameters.some((x) => x.ParameterKey === 'TurnDomainName') && /TurnTLS/.test(logicalId)) return p('TurnDomainName') !== '';
  return true;
}

/** Included resources of a template for some parameters, in creation order. */
export function includedResources(summary: TemplateSummary, params: Record<string, string>): string[] {
  const fake = { summary } as Ctx;
  return createWaves(fake, params).flat();
}

function createWaves(ctx: Ctx, params?: Record<string, string>): string[][] {
  const res = Object.entries(ctx.summary.Resources).filter(([id]) => isIncluded(ctx, id, params));
  const pick = (f: (id: string, type: string) => boolean) => res.filter(([id, t]) => f(id, t)).map(([id]) => id);
  const taken = new Set<string>();
  const take = (ids: string[]) => ids.filter((id) => !taken.has(id) && (taken.add(id), true));
  const waves: string[][] = [];
  waves.push(
    take(pick((_id, t) => ['AWS::SecretsManager::Secret', 'AWS::S3::Bucket', 'AWS::IAM::Role', 'AWS::Logs::LogGroup', 'AWS::EC2::SecurityGroup'].includes(t))),
  );
  waves.push(take(pick((_id, t) => ['AWS::EC2::SecurityGroupIngress', 'AWS::IAM::InstanceProfile', 'AWS::Lambda::Function', 'AWS::SSM::Document'].includes(t))));
  const mastersAndWaits = pick((id) => /^OpenViduMasterNode\d$|^MasterNodesWaitCondition\d$/.test(id));
  const lbIds = pick((_id, t) => t === 'AWS::ElasticLoadBalancingV2::LoadBalancer' || t === 'AWS::ElasticLoadBalancingV2::TargetGroup');
  const listeners = pick((_id, t) => t === 'AWS::ElasticLoadBalancingV2::Listener');
  const mediaLt = pick((id, t) => t === 'AWS::EC2::LaunchTemplate' && !id.includes('Master'));
  const asg = pick((_id, t) => t === 'AWS::AutoScaling::AutoScalingGroup');
  const afterAsg = pick((_id, t) => t === 'AWS::AutoScaling::LifecycleHook' || t === 'AWS::AutoScaling::ScalingPolicy');
  for (const id of [...mastersAndWaits, ...lbIds, ...listeners, ...mediaLt, ...asg, ...afterAsg]) taken.add(id);
  waves.push(take(res.map(([id]) => id)));
  for (let n = 1; n <= 4; n++) {
    if (mastersAndWaits.includes(`OpenViduMasterNode${n}`)) waves.push([`OpenViduMasterNode${n}`]);
    if (mastersAndWaits.includes(`MasterNodesWaitCondition${n}`)) waves.push([`MasterNodesWaitCondition${n}`]);
  }
  waves.push(lbIds, listeners, mediaLt, asg, afterAsg);
  return waves.filter((w) => w.length > 0);
}

const DURATIONS: Record<string, number> = {
  'AWS::SecretsManager::Secret': 1500,
  'AWS::S3::Bucket': 22000,
  'AWS::IAM::Role': 14000,
  'AWS::Logs::LogGroup': 1200,
  'AWS::EC2::SecurityGroup': 6000,
  'AWS::EC2::SecurityGroupIngress': 1500,
  'AWS::IAM::InstanceProfile': 125000,
  'AWS::Lambda::Function': 9000,
  'AWS::SSM::Document': 1800,
  'Custom::SubnetProcessor': 5500,
  'AWS::EC2::LaunchTemplate': 2500,
  'AWS::Events::Rule': 62000,
  'AWS::EC2::Instance': 18000,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 185000,
  'AWS::ElasticLoadBalancingV2::TargetGroup': 14000,
  'AWS::ElasticLoadBalancingV2::Listener': 1800,
  'AWS::AutoScaling::AutoScalingGroup': 95000,
  'AWS::AutoScaling::LifecycleHook': 2200,
  'AWS::AutoScaling::ScalingPolicy': 2500,
};
const DELETE_DURATIONS: Record<string, number> = {
  'AWS::EC2::Instance': 45000,
  'AWS::AutoScaling::AutoScalingGroup': 120000,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 30000,
  'AWS::IAM::InstanceProfile': 4000,
  'AWS::EC2::SecurityGroup': 3000,
  'AWS::Events::Rule': 2500,
};
export const WAIT_CONDITION_TIMEOUT_MS = 20 * 60 * 1000;

function createDuration(ctx: Ctx, logicalId: string): number {
  const type = ctx.summary.Resources[logicalId];
  const wait = /^MasterNodesWaitCondition(\d)$/.exec(logicalId);
  if (wait) return wait[1] === '1' ? 300000 : 225000;
  return DURATIONS[type] ?? 2000;
}

// ---- resource behaviour --------------------------------------------------------------------------------------

/** A failure the parameters cause by themselves (as AWS would report it), or undefined. */
function naturalFailure(ctx: Ctx, logicalId: string): { reason: string; afterMs?: number } | undefined {
  const type = ctx.summary.Resources[logicalId];
  if (logicalId === 'SubnetProcessorFunction' && ctx.sim.functionName.length > 64) {
    return {
      afterMs: 1500,
      reason: `Resource handler returned message: "1 validation error detected: Value '${ctx.sim.functionName}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64 (Service: Lambda, Status Code: 400, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: InvalidRequest)`,
    };
  }
  const master = /^OpenViduMasterNode(\d)$/.exec(logicalId);
  if (master) {
    const subnet = ctx.region.subnets.find((s) => s.subnetId === masterSubnet(ctx, Number(master[1])));
    const vpc = param(ctx, 'OpenViduVPC');
    if (subnet && vpc && subnet.vpcId !== vpc) {
      return {
        afterMs: 3000,
        reason: `Resource handler returned message: "Security group ${physicalOf(ctx, 'OpenViduMasterNodeSG') ?? 'sg-0' + ctx.world.rng.hex(16)} and subnet ${subnet.subnetId} belong to different networks. (Service: Ec2, Status Code: 400, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: InvalidRequest)`,
      };
    }
    const type = param(ctx, 'MasterNodeInstanceType');
    const offered = subnet ? ctx.region.instanceTypeOfferings[subnet.availabilityZone] : undefined;
    if (subnet && offered && offered.length && !offered.includes(type)) {
      const zones = Object.entries(ctx.region.instanceTypeOfferings)
        .filter(([, types]) => types.includes(type))
        .map(([z]) => z);
      return {
        afterMs: 2500,
        reason: `Resource handler returned message: "Your requested instance type (${type}) is not supported in your requested Availability Zone (${subnet.availabilityZone}). Please retry your request by not specifying an Availability Zone or choosing ${zones.join(', ')}. (Service: Ec2, Status Code: 400, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: GeneralServiceException)`,
      };
    }
  }
  const wait = /^MasterNodesWaitCondition(\d)$/.exec(logicalId);
  if (wait) {
    const subnet = ctx.region.subnets.find((s) => s.subnetId === masterSubnet(ctx, Number(wait[1])));
    if (subnet && !subnet.mapPublicIpOnLaunch) {
      // no public IP: the node cannot download the installer, never signals
      return { afterMs: WAIT_CONDITION_TIMEOUT_MS, reason: 'WaitCondition timed out. Received 0 conditions when expecting 1' };
    }
  }
  if (type === 'AWS::ElasticLoadBalancingV2::Listener' && !/HTTP/.test(logicalId)) {
    const arn = /TurnTLS/.test(logicalId) && param(ctx, 'TurnCertificateARN') ? param(ctx, 'TurnCertificateARN') : param(ctx, 'OpenViduCertificateARN');
    const cert = ctx.region.certificates.find((c) => c.arn === arn);
    if (!cert) {
      return {
        afterMs: 1500,
        reason: `Resource handler returned message: "Certificate '${arn}' not found (Service: ElasticLoadBalancingV2, Status Code: 400, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: NotFound)`,
      };
    }
    if (cert.status !== 'ISSUED') {
      return {
        afterMs: 1500,
        reason: `Resource handler returned message: "Certificate ARN '${arn}' is not valid (Service: ElasticLoadBalancingV2, Status Code: 400, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: InvalidRequest)`,
      };
    }
  }
  if (type === 'AWS::AutoScaling::AutoScalingGroup') {
    const min = Number(param(ctx, 'MinNumberOfMediaNodes'));
    const max = Number(param(ctx, 'MaxNumberOfMediaNodes'));
    const desired = Number(param(ctx, 'InitialNumberOfMediaNodes'));
    const msg =
      min > max
        ? `Max bound, ${max}, must be greater than or equal to min bound, ${min}`
        : desired < min || desired > max
          ? `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`
          : undefined;
    if (msg) {
      return {
        afterMs: 2000,
        reason: `Resource handler returned message: "${msg} (Service: AutoScaling, Status Code: 400, Request ID: ${ctx.world.rng.uuid()})" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: InvalidRequest)`,
      };
    }
  }
  return undefined;
}

function masterSubnet(ctx: Ctx, n: number): string {
  const subnets = listParam(ctx, 'OpenViduMasterNodeSubnets');
  return subnets[(n - 1) % Math.max(1, subnets.length)] ?? '';
}

function secretObject(ctx: Ctx) {
  return ctx.region.secrets.get(ctx.sim.secretName);
}

function readSecret(ctx: Ctx): Record<string, string> {
  const s = secretObject(ctx);
  try {
    return s ? (JSON.parse(s.secretString) as Record<string, string>) : {};
  } catch {
    return {};
  }
}

function writeSecret(ctx: Ctx, at: number, values: Record<string, string>): void {
  const s = secretObject(ctx);
  if (!s) return;
  s.secretString = JSON.stringify(values);
  s.versionId = ctx.world.rng.uuid();
  s.lastChangedAt = at;
}

/** What master 1 writes into the secret once it has generated the cluster's credentials. */
function generateSecret(ctx: Ctx, at: number): void {
  const w = ctx.world;
  const domain = param(ctx, 'DomainName');
  const pw = () => w.rng.alnum(44);
  const gen: Record<string, string> = {
    OPENVIDU_URL: `https://${domain}/`,
    LIVEKIT_URL: `wss://${domain}/`,
    DASHBOARD_URL: `https://${domain}/dashboard/`,
    GRAFANA_URL: `https://${domain}/grafana/`,
    MINIO_URL: `https://${domain}/minio-console/`,
    DOMAIN_NAME: domain,
    LIVEKIT_TURN_DOMAIN_NAME: param(ctx, 'TurnDomainName') || 'none',
    MEET_INITIAL_ADMIN_USER: 'admin',
    MEET_INITIAL_ADMIN_PASSWORD: param(ctx, 'InitialMeetAdminPassword') || w.rng.alnum(16),
    MEET_INITIAL_API_KEY: param(ctx, 'InitialMeetApiKey') || 'none',
    OPENVIDU_PRO_LICENSE: param(ctx, 'OpenViduLicense'),
    OPENVIDU_RTC_ENGINE: param(ctx, 'RTCEngine') || 'pion',
    REDIS_PASSWORD: pw(),
    MONGO_ADMIN_USERNAME: 'mongoadmin',
    MONGO_ADMIN_PASSWORD: pw(),
    MONGO_REPLICA_SET_KEY: pw(),
    MINIO_ACCESS_KEY: 'minioadmin',
    MINIO_SECRET_KEY: pw(),
    DASHBOARD_ADMIN_USERNAME: 'dashboardadmin',
    DASHBOARD_ADMIN_PASSWORD: pw(),
    GRAFANA_ADMIN_USERNAME: 'grafanaadmin',
    GRAFANA_ADMIN_PASSWORD: pw(),
    DEFAULT_APP_USERNAME: 'calluser',
    DEFAULT_APP_PASSWORD: pw(),
    DEFAULT_APP_ADMIN_USERNAME: 'calladmin',
    DEFAULT_APP_ADMIN_PASSWORD: pw(),
    LIVEKIT_API_KEY: `API${w.rng.alnum(12)}`,
    LIVEKIT_API_SECRET: pw(),
    ENABLED_MODULES: ctx.summary.SecretKeys.includes('MEET_INITIAL_ADMIN_USER') ? 'observability,openviduMeet,v2compatibility' : 'observability,app,v2compatibility',
    OPENVIDU_VERSION: ctx.summary.templateVersion,
    ALL_SECRETS_GENERATED: 'true',
  };
  const current = readSecret(ctx);
  const out: Record<string, string> = {};
  for (const key of ctx.summary.SecretKeys) {
    const ip = /^MASTER_NODE_(\d)_PRIVATE_IP$/.exec(key);
    if (ip) {
      const inst = ctx.region.instances.get(ctx.sim.masters[Number(ip[1])] ?? '');
      out[key] = inst ? inst.privateIpAddress : current[key] ?? 'none';
    } else out[key] = gen[key] ?? current[key] ?? 'none';
  }
  writeSecret(ctx, at, out);
}

function setMasterIpInSecret(ctx: Ctx, at: number, n: number): void {
  const values = readSecret(ctx);
  const key = `MASTER_NODE_${n}_PRIVATE_IP`;
  const inst = ctx.region.instances.get(ctx.sim.masters[n] ?? '');
  if (!(key in values) || !inst || values.ALL_SECRETS_GENERATED !== 'true') return;
  values[key] = inst.privateIpAddress;
  writeSecret(ctx, at, values);
}

function addLogEvents(ctx: Ctx, at: number, lines: string[]): void {
  const group = ctx.region.logGroups.get(ctx.sim.logGroupName);
  if (!group) return;
  lines.forEach((message, i) => {
    const t = at + i * 37;
    group.events.push({
      timestamp: t,
      ingestionTime: t + 412,
      message,
      logStreamName: ctx.sim.logStreamName,
      eventId: `${BigInt(t) * 1000000n + BigInt(ctx.world.rng.int(1000000))}`.padStart(56, '3'),
    });
  });
}

function lambdaInvocationLogs(ctx: Ctx, at: number, error?: string): void {
  const req = ctx.world.rng.uuid();
  const subnets = listParam(ctx, 'OpenViduMasterNodeSubnets');
  const lines = [
    `INIT_START Runtime Version: python:3.12.v38\tRuntime Version ARN: arn:aws:lambda:${ctx.region.name}::runtime:${ctx.world.rng.hex(64)}`,
    `START RequestId: ${req} Version: $LATEST`,
    `[INFO]\t${new Date(at).toISOString()}\t${req}\tReceived event: RequestType=Create, Subnets=${JSON.stringify(subnets)}`,
  ];
  if (error) {
    lines.push(`[ERROR]\t${new Date(at).toISOString()}\t${req}\tError processing subnets: ${error}`);
    lines.push(`Traceback (most recent call last):\n  File "/var/task/index.py", line 9, in handler\n    raise Exception("${error}")`);
    lines.push(`[INFO]\t${new Date(at).toISOString()}\t${req}\tSending FAILED response to CloudFormation`);
  } else {
    subnets.slice(0, 4).forEach((s, i) => lines.push(`[INFO]\t${new Date(at).toISOString()}\t${req}\tMasterSubnet${i + 1} = ${s}`));
    for (let i = subnets.length; i < 4; i++) lines.push(`[INFO]\t${new Date(at).toISOString()}\t${req}\tMasterSubnet${i + 1} = ${subnets[i % Math.max(1, subnets.length)] ?? ''}`);
    lines.push(`[INFO]\t${new Date(at).toISOString()}\t${req}\tSending SUCCESS response to CloudFormation`);
  }
  lines.push(`END RequestId: ${req}`);
  lines.push(`REPORT RequestId: ${req}\tDuration: ${(400 + ctx.world.rng.int(900)).toFixed(2)} ms\tBilled Duration: 1300 ms\tMemory Size: 128 MB\tMax Memory Used: 78 MB\tInit Duration: 412.33 ms`);
  addLogEvents(ctx, at, lines);
}

function bootSeconds(ctx: Ctx, at: number, normal: number): number {
  // a step that runs late (seeding, a clock jumped far ahead) launches things so they are up when they should be
  const due = at + normal * 1000;
  return Math.max(0, Math.round((due - ctx.world.now()) / 1000));
}

function launchMaster(ctx: Ctx, at: number, n: number): string {
  const { world, region, stack } = ctx;
  const profile = physicalOf(ctx, 'OpenViduMasterInstanceProfile');
  const profileArn = profile ? world.iam.instanceProfiles.get(profile)?.arn : undefined;
  const role = world.iam.roles.get(roleName(ctx, 'OpenViduMasterNodeRole'));
  const ssm = !!role?.attachedPolicyArns.includes('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
  const inst = launchInstance(world, region.name, {
    subnetId: masterSubnet(ctx, n),
    instanceType: param(ctx, 'MasterNodeInstanceType'),
    keyName: param(ctx, 'KeyName') || undefined,
    tags: { Name: `${stack.stackName} - OpenVidu HA - Master Node ${n}`, ...cfnTags(ctx, `OpenViduMasterNode${n}`) },
    iamInstanceProfileArn: profileArn,
    nodeKind: 'master',
    ssmRegistered: ssm,
    bootSeconds: bootSeconds(ctx, at, 15),
  });
  if (inst.launchTime > at) inst.launchTime = at;
  ctx.sim.masters[n] = inst.instanceId;
  return inst.instanceId;
}

/** Creates the world object of a resource (when it starts being created); returns its physical id. */
function startResource(ctx: Ctx, at: number, logicalId: string): string {
  const { world, region, stack, sim } = ctx;
  const type = ctx.summary.Resources[logicalId];
  const acct = world.accountId;
  const r = region.name;
  const master = /^OpenViduMasterNode(\d)$/.exec(logicalId);
  if (master) return launchMaster(ctx, at, Number(master[1]));
  switch (type) {
    case 'AWS::SecretsManager::Secret': {
      const values: Record<string, string> = {};
      for (const k of ctx.summary.SecretKeys) values[k] = k === 'ALL_SECRETS_GENERATED' ? 'false' : 'none';
      const arn = `arn:aws:secretsmanager:${r}:${acct}:secret:${sim.secretName}-${world.rng.alnum(6)}`;
      region.secrets.set(sim.secretName, {
        arn,
        name: sim.secretName,
        region: r,
        secretString: JSON.stringify(values),
        versionId: world.rng.uuid(),
        createdAt: at,
        lastChangedAt: at,
        description: 'Secret for OpenVidu High Availability to store deployment info and seed secrets',
        tags: cfnTags(ctx, logicalId),
      });
      return arn;
    }
    case 'AWS::S3::Bucket':
      return truncate(`${stack.stackName.toLowerCase()}-${logicalId.toLowerCase()}-${alnum(world, 12, true)}`, 63);
    case 'AWS::IAM::Role': {
      const name = roleName(ctx, logicalId);
      world.iam.roles.set(name, {
        roleName: name,
        roleId: `AROA${alnum(world, 17)}`,
        arn: `arn:aws:iam::${acct}:role/${name}`,
        path: '/',
        createdAt: at,
        assumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: [ROLE_SERVICE_PRINCIPAL[logicalId] ?? 'ec2.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
        }),
        attachedPolicyArns: [...(ROLE_MANAGED_POLICIES[logicalId] ?? [])],
      });
      return name;
    }
    case 'AWS::IAM::InstanceProfile': {
      const name = roleName(ctx, logicalId);
      const roleLogical = logicalId.includes('Master') ? 'OpenViduMasterNodeRole' : 'OpenViduMediaNodeRole';
      world.iam.instanceProfiles.set(name, {
        name,
        id: `AIPA${alnum(world, 17)}`,
        arn: `arn:aws:iam::${acct}:instance-profile/${name}`,
        path: '/',
        createdAt: at,
        roleNames: [roleName(ctx, roleLogical)],
      });
      return name;
    }
    case 'AWS::Logs::LogGroup':
      region.logGroups.set(sim.logGroupName, {
        name: sim.logGroupName,
        arn: `arn:aws:logs:${r}:${acct}:log-group:${sim.logGroupName}:*`,
        region: r,
        createdAt: at,
        retentionInDays: 7,
        events: [],
      });
      return sim.logGroupName;
    case 'AWS::Lambda::Function':
      return sim.functionName;
    case 'Custom::SubnetProcessor':
      return sim.logStreamName;
    case 'AWS::EC2::SecurityGroup':
      return `sg-0${world.rng.hex(16)}`;
    case 'AWS::EC2::SecurityGroupIngress':
      return `sgr-0${world.rng.hex(16)}`;
    case 'AWS::EC2::LaunchTemplate':
      return `lt-0${world.rng.hex(16)}`;
    case 'AWS::SSM::Document':
      return truncate(`${stack.stackName}-${logicalId}-${alnum(world, 12)}`, 128);
    case 'AWS::Events::Rule':
      return `${truncate(`${stack.stackName}-${logicalId}`, 50)}-${alnum(world, 12)}`;
    case 'AWS::CloudFormation::WaitCondition':
      return `arn:aws:cloudformation:${r}:${acct}:stack/${stack.stackName}/${stack.stackId.split('/').pop()}/${logicalId}`;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      const name = truncate(`openvidu-${stack.stackName}-${logicalId === 'LoadBalancer' ? 'nlb' : 'turn'}`, 32).replace(/-+$/, '');
      const hex = world.rng.hex(16);
      const arn = `arn:aws:elasticloadbalancing:${r}:${acct}:loadbalancer/net/${name}/${hex}`;
      const dns = `${name}-${hex}.elb.${r}.amazonaws.com`;
      if (logicalId === 'LoadBalancer') sim.lb = { arn, dns, name };
      return arn;
    }
    case 'AWS::ElasticLoadBalancingV2::TargetGroup': {
      const name = `${truncate(stack.stackName, 12)}-${truncate(logicalId.replace(/^OpenVidu/, ''), 6)}-${alnum(world, 12)}`.slice(0, 32);
      return `arn:aws:elasticloadbalancing:${r}:${acct}:targetgroup/${name}/${world.rng.hex(16)}`;
    }
    case 'AWS::ElasticLoadBalancingV2::Listener': {
      const lb = sim.lb ?? { name: 'openvidu-nlb', arn: `x/${world.rng.hex(16)}` };
      return `arn:aws:elasticloadbalancing:${r}:${acct}:listener/net/${lb.name}/${lb.arn.split('/').pop()}/${world.rng.hex(16)}`;
    }
    case 'AWS::AutoScaling::AutoScalingGroup': {
      const profile = physicalOf(ctx, 'OpenViduMediaInstanceProfile');
      const launch = bootSeconds(ctx, at, 90);
      const asg = createAsg(world, r, {
        name: sim.asgName,
        minSize: Number(param(ctx, 'MinNumberOfMediaNodes')),
        maxSize: Number(param(ctx, 'MaxNumberOfMediaNodes')),
        desiredCapacity: Number(param(ctx, 'InitialNumberOfMediaNodes')),
        subnetIds: listParam(ctx, 'OpenViduMediaNodeSubnets'),
        instanceType: param(ctx, 'MediaNodeInstanceType'),
        tags: { Name: `${stack.stackName} - OpenVidu HA - Media Node`, ...cfnTags(ctx, logicalId) },
        drainSeconds: 3600,
        launchSeconds: launch,
        nodeKind: 'media',
        instanceProfileArn: profile ? world.iam.instanceProfiles.get(profile)?.arn : undefined,
        keyName: param(ctx, 'KeyName') || undefined,
        launchTemplateName: `openvidu-ha-media-${r}-${stack.stackName}`,
        lifecycleHookName: truncate(`${stack.stackName}-StopMediaNodeLifecycleHook-${alnum(world, 12)}`, 255),
        completesOnDrain: true, // the media node's stop script completes the hook when its rooms end (node-sim.ts)
      });
      asg.launchSeconds = 90;
      return asg.name;
    }
    case 'AWS::AutoScaling::LifecycleHook': {
      const asg = region.asgs.get(sim.asgName);
      return asg?.lifecycleHooks?.[0]?.name ?? truncate(`${stack.stackName}-${logicalId}-${alnum(world, 12)}`, 255);
    }
    case 'AWS::AutoScaling::ScalingPolicy':
      return `arn:aws:autoscaling:${r}:${acct}:scalingPolicy:${world.rng.uuid()}:autoScalingGroupName/${sim.asgName}:policyName/${truncate(`${stack.stackName}-${logicalId}-${alnum(world, 12)}`, 255)}`;
    default:
      return `${truncate(stack.stackName, 40)}-${logicalId}-${alnum(world, 12)}`;
  }
}

/** Side effects when a resource's creation completes. */
function completeResource(ctx: Ctx, at: number, logicalId: string): void {
  const type = ctx.summary.Resources[logicalId];
  const wait = /^MasterNodesWaitCondition(\d)$/.exec(logicalId);
  if (wait) {
    const n = Number(wait[1]);
    if (n === 1) generateSecret(ctx, at);
    else setMasterIpInSecret(ctx, at, n);
  }
  if (type === 'Custom::SubnetProcessor') lambdaInvocationLogs(ctx, at - 1200);
}

/** Removes the world object of a resource. */
function deleteResourceObject(ctx: Ctx, logicalId: string, physicalId: string | undefined): void {
  const { world, region } = ctx;
  if (!physicalId) return;
  const type = ctx.summary.Resources[logicalId] ?? '';
  try {
    if (type === 'AWS::EC2::Instance') {
      const inst = region.instances.get(physicalId);
      if (inst && inst.state !== 'terminated' && inst.state !== 'shutting-down') terminateInstance(world, region.name, physicalId);
    } else if (type === 'AWS::AutoScaling::AutoScalingGroup') {
      if (region.asgs.has(physicalId)) deleteAsg(world, region.name, physicalId);
    } else if (type === 'AWS::SecretsManager::Secret') {
      const s = [...region.secrets.values()].find((x) => x.arn === physicalId);
      if (s) region.secrets.delete(s.name);
    } else if (type === 'AWS::Logs::LogGroup') {
      region.logGroups.delete(physicalId);
    } else if (type === 'AWS::IAM::Role') {
      world.iam.roles.delete(physicalId);
    } else if (type === 'AWS::IAM::InstanceProfile') {
      world.iam.instanceProfiles.delete(physicalId);
    }
  } catch {
    // already gone
  }
}

// ---- create ------------------------------------------------------------------------------------------------

/** Starts creating a stack (status CREATE_IN_PROGRESS from `at`). */
export function startCreate(world: World, stack: Stack, at: number): void {
  const ctx = ctxOf(world, stack);
  stackStatus(ctx, at, 'CREATE_IN_PROGRESS', 'User Initiated');
  const waves = createWaves(ctx);
  runWaves(ctx, at + 700, waves, 0, 'create', (t) => {
    stackStatus(ctx, t, 'CREATE_COMPLETE');
    stack.outputs = stackOutputs(ctx);
  });
}

/**
 * The stack's outputs: exactly the Outputs the real template of that version declares (test/fixtures/templates:
 * every version 3.2.0–3.8.0 has only `ServicesAndCredentials`, a console link to the secret). DescribeStacks
 * `Outputs` (API reference, Output type) lists the template's Outputs section, nothing else; a key no emulated
 * value is known for is left out rather than invented.
 */
export function stackOutputs(ctx: Ctx): Stack['outputs'] {
  const r = ctx.region.name;
  const values: Record<string, string | undefined> = {
    ServicesAndCredentials: `https://${r}.console.aws.amazon.com/secretsmanager/home?region=${r}#/secret?name=${ctx.sim.secretName}`,
    LoadBalancerDNS: ctx.sim.lb?.dns,
  };
  const out: Stack['outputs'] = [];
  for (const [key, o] of Object.entries(ctx.summary.Outputs)) {
    const value = values[key];
    if (value !== undefined) out.push({ OutputKey: key, OutputValue: value, Description: o.Description });
  }
  return out;
}

function runWaves(ctx: Ctx, at: number, waves: string[][], i: number, op: 'create', done: (at: number) => void): void {
  if (i >= waves.length) {
    schedule(ctx, at, done);
    return;
  }
  schedule(ctx, at, (t) => {
    let end = t;
    let failure: { id: string; at: number; reason: string } | undefined;
    waves[i].forEach((id, k) => {
      const start = t + k * 180;
      const dur = createDuration(ctx, id);
      const injected = takeFailure(ctx, id, op);
      const natural = injected ? undefined : naturalFailure(ctx, id);
      const fail = injected
        ? { reason: injected, afterMs: ctx.summary.Resources[id] === 'AWS::CloudFormation::WaitCondition' ? WAIT_CONDITION_TIMEOUT_MS : Math.min(dur, 4000) }
        : natural;
      schedule(ctx, start, (s) => {
        emit(ctx, s, id, 'CREATE_IN_PROGRESS', { physicalId: '' });
        const createsObject = !fail || ctx.summary.Resources[id] === 'AWS::CloudFormation::WaitCondition' || ctx.summary.Resources[id] === 'Custom::SubnetProcessor';
        if (!createsObject) return;
        let physical: string;
        try {
          physical = startResource(ctx, s, id);
        } catch (e) {
          // the world refused (e.g. a subnet that vanished): fail this resource now
          clearSteps(ctx);
          failCreate(ctx, s + 500, id, `Resource handler returned message: "${(e as Error).message}" (RequestToken: ${requestToken(ctx)}, HandlerErrorCode: InvalidRequest)`);
          return;
        }
        ctx.sim.physical[id] = physical;
        emit(ctx, s + 600, id, 'CREATE_IN_PROGRESS', { physicalId: physical, reason: 'Resource creation Initiated' });
      });
      if (fail) {
        const ft = start + (fail.afterMs ?? dur);
        if (!failure || ft < failure.at) failure = { id, at: ft, reason: fail.reason };
      } else {
        schedule(ctx, start + dur, (c) => {
          emit(ctx, c, id, 'CREATE_COMPLETE');
          completeResource(ctx, c, id);
        });
        end = Math.max(end, start + dur);
      }
    });
    if (failure) {
      const f = failure;
      schedule(ctx, f.at, (ft) => {
        if (f.id === 'SubnetProcessor') lambdaInvocationLogs(ctx, ft - 1500, 'Subnet processing failed');
        clearSteps(ctx);
        failCreate(ctx, ft, f.id, f.reason);
      });
    } else {
      runWaves(ctx, end + 400, waves, i + 1, op, done);
    }
  });
}

function failCreate(ctx: Ctx, at: number, logicalId: string, reason: string): void {
  emit(ctx, at, logicalId, 'CREATE_FAILED', { reason });
  for (const rec of ctx.stack.resources) {
    if (rec.status === 'CREATE_IN_PROGRESS' && rec.logicalId !== logicalId) emit(ctx, at + 300, rec.logicalId, 'CREATE_FAILED', { reason: 'Resource creation cancelled' });
  }
  const failed = `The following resource(s) failed to create: [${logicalId}]. `;
  const t = at + 900;
  const stack = ctx.stack;
  if (stack.disableRollback || stack.onFailure === 'DO_NOTHING') {
    stackStatus(ctx, t, 'CREATE_FAILED', failed);
  } else if (stack.onFailure === 'DELETE') {
    stackStatus(ctx, t, 'DELETE_IN_PROGRESS', `${failed}Delete requested by user.`);
    runDeletes(
      ctx,
      t + 800,
      'delete',
      (d) => onFailureDeleteDone(ctx, d),
      (id, d) => stackStatus(ctx, d, 'DELETE_FAILED', `The following resource(s) failed to delete: [${id}]. `),
    );
  } else {
    stackStatus(ctx, t, 'ROLLBACK_IN_PROGRESS', `${failed}Rollback requested by user.`);
    runDeletes(
      ctx,
      t + 800,
      'rollback',
      (d) => stackStatus(ctx, d, 'ROLLBACK_COMPLETE'),
      (id, d) => stackStatus(ctx, d, 'ROLLBACK_FAILED', `The following resource(s) failed to delete: [${id}]. `),
    );
  }
}

// ---- delete ------------------------------------------------------------------------------------------------

/**
 * Deletes every existing resource in reverse creation order. Retained ones (buckets, RetainResources) are
 * skipped; an injected delete failure stops the operation.
 */
function runDeletes(
  ctx: Ctx,
  at: number,
  op: 'delete' | 'rollback',
  done: (at: number) => void,
  failed: (logicalId: string, at: number) => void,
  retain: string[] = [],
): void {
  const order = [...ctx.stack.resources].reverse().filter((r) => r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED');
  let t = at;
  const next = (i: number) => {
    if (i >= order.length) {
      schedule(ctx, t + 500, (d) => done(d));
      return;
    }
    const rec = order[i];
    const type = rec.type;
    schedule(ctx, t, (s) => {
      const retained = type === 'AWS::S3::Bucket' || retain.includes(rec.logicalId);
      if (retained) {
        if (rec.physicalId) emit(ctx, s, rec.logicalId, 'DELETE_SKIPPED');
        else emit(ctx, s, rec.logicalId, 'DELETE_COMPLETE');
        t = s + 300;
        next(i + 1);
        return;
      }
      if (!rec.physicalId) {
        emit(ctx, s, rec.logicalId, 'DELETE_COMPLETE');
        t = s + 200;
        next(i + 1);
        return;
      }
      emit(ctx, s, rec.logicalId, 'DELETE_IN_PROGRESS');
      const reason = takeFailure(ctx, rec.logicalId, 'delete');
      const dur = DELETE_DURATIONS[type] ?? 1500;
      if (reason) {
        schedule(ctx, s + Math.min(dur, 5000), (f) => {
          emit(ctx, f, rec.logicalId, 'DELETE_FAILED', { reason });
          clearSteps(ctx);
          failed(rec.logicalId, f + 600);
        });
        return;
      }
      deleteResourceObject(ctx, rec.logicalId, rec.physicalId);
      schedule(ctx, s + dur, (c) => {
        emit(ctx, c, rec.logicalId, 'DELETE_COMPLETE');
        if (type === 'AWS::EC2::Instance') {
          for (const [n, id] of Object.entries(ctx.sim.masters)) if (id === rec.physicalId) delete ctx.sim.masters[Number(n)];
        }
        delete ctx.sim.physical[rec.logicalId];
        t = c + 250;
        next(i + 1);
      });
    });
  };
  next(0);
}

/** Starts deleting a stack (DeleteStack). `retain`: logical ids to keep (only after DELETE_FAILED). */
export function startDelete(world: World, stack: Stack, at: number, retain: string[] = []): void {
  const ctx = ctxOf(world, stack);
  clearSteps(ctx);
  for (const rec of stack.resources) {
    if (rec.status === 'CREATE_IN_PROGRESS' || rec.status === 'UPDATE_IN_PROGRESS') emit(ctx, at, rec.logicalId, rec.status.replace('IN_PROGRESS', 'FAILED'), { reason: 'Resource creation cancelled' });
  }
  stackStatus(ctx, at, 'DELETE_IN_PROGRESS', 'User Initiated');
  runDeletes(
    ctx,
    at + 900,
    'delete',
    (d) => {
      stackStatus(ctx, d, 'DELETE_COMPLETE');
      stack.deletedAt = d;
      stack.outputs = [];
      stack.statusReason = undefined;
    },
    (id, d) => stackStatus(ctx, d, 'DELETE_FAILED', `The following resource(s) failed to delete: [${id}]. `),
    retain,
  );
}

function onFailureDeleteDone(ctx: Ctx, d: number): void {
  stackStatus(ctx, d, 'DELETE_COMPLETE');
  ctx.stack.deletedAt = d;
  ctx.stack.outputs = [];
}

// ---- change sets and updates --------------------------------------------------------------------------------

const PARAM_EFFECTS: Record<string, { ids: string[]; replacement: 'True' | 'False' | 'Conditional'; name: string }[]> = {
  MasterNodeInstanceType: [
    { ids: ['OpenViduMasterLaunchTemplate'], replacement: 'False', name: 'LaunchTemplateData' },
    { ids: ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3', 'OpenViduMasterNode4'], replacement: 'True', name: 'InstanceType' },
  ],
  KeyName: [
    { ids: ['OpenViduMasterLaunchTemplate', 'OpenViduMediaNodeLaunchTemplate'], replacement: 'False', name: 'LaunchTemplateData' },
    { ids: ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3', 'OpenViduMasterNode4'], replacement: 'True', name: 'KeyName' },
    { ids: ['OpenViduMediaNodeASG'], replacement: 'False', name: 'LaunchTemplate' },
  ],
  OpenViduMasterNodeSubnets: [
    { ids: ['SubnetProcessor'], replacement: 'False', name: 'Subnets' },
    { ids: ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3', 'OpenViduMasterNode4'], replacement: 'True', name: 'SubnetId' },
    { ids: ['LoadBalancer'], replacement: 'Conditional', name: 'Subnets' },
  ],
  OpenViduMediaNodeSubnets: [{ ids: ['OpenViduMediaNodeASG'], replacement: 'False', name: 'VPCZoneIdentifier' }],
  MediaNodeInstanceType: [
    { ids: ['OpenViduMediaNodeLaunchTemplate'], replacement: 'False', name: 'LaunchTemplateData' },
    { ids: ['OpenViduMediaNodeASG'], replacement: 'False', name: 'LaunchTemplate' },
  ],
  InitialNumberOfMediaNodes: [{ ids: ['OpenViduMediaNodeASG'], replacement: 'False', name: 'DesiredCapacity' }],
  MinNumberOfMediaNodes: [{ ids: ['OpenViduMediaNodeASG'], replacement: 'False', name: 'MinSize' }],
  MaxNumberOfMediaNodes: [{ ids: ['OpenViduMediaNodeASG'], replacement: 'False', name: 'MaxSize' }],
  ScaleTargetCPU: [{ ids: ['OpenViduMediaNodeASGScalingPolicy'], replacement: 'False', name: 'TargetTrackingConfiguration' }],
  OpenViduCertificateARN: [
    { ids: ['OpenViduMasterNodeWithTurnTLSListener', 'OpenViduMasterNodeListener', 'OpenViduRTMPMediaNodeListener'], replacement: 'False', name: 'Certificates' },
  ],
  MasterNodesDiskSize: [
    { ids: ['OpenViduMasterLaunchTemplate'], replacement: 'False', name: 'LaunchTemplateData' },
    { ids: ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3', 'OpenViduMasterNode4'], replacement: 'True', name: 'BlockDeviceMappings' },
  ],
  OperatingSystem: [
    { ids: ['OpenViduMasterLaunchTemplate', 'OpenViduMediaNodeLaunchTemplate'], replacement: 'False', name: 'LaunchTemplateData' },
    { ids: ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3', 'OpenViduMasterNode4'], replacement: 'True', name: 'ImageId' },
  ],
  AmiId: [
    { ids: ['OpenViduMasterLaunchTemplate', 'OpenViduMediaNodeLaunchTemplate'], replacement: 'False', name: 'LaunchTemplateData' },
    { ids: ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3', 'OpenViduMasterNode4'], replacement: 'True', name: 'ImageId' },
  ],
  OpenViduVPC: [
    { ids: ['OpenViduMasterNodeSG', 'OpenViduMediaNodeSG', 'OpenViduLoadBalancerSG'], replacement: 'True', name: 'VpcId' },
    { ids: ['OpenViduMasterNodeHTTPTG', 'OpenViduMasterNodeWithTurnTLSTG', 'OpenViduMediaNodeRTMPTG', 'OpenViduMasterNodeTG'], replacement: 'True', name: 'VpcId' },
  ],
};
const DEFAULT_EFFECT: { ids: string[]; replacement: 'True' | 'False' | 'Conditional'; name: string }[] = [
  { ids: ['OpenViduMasterLaunchTemplate', 'OpenViduMediaNodeLaunchTemplate'], replacement: 'False', name: 'LaunchTemplateData' },
  { ids: ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3', 'OpenViduMasterNode4'], replacement: 'Conditional', name: 'LaunchTemplate' },
];
const RANK = { False: 0, Conditional: 1, True: 2 } as const;

/** The resource changes an update with these parameters / template version would make (empty: nothing to do). */
export function computeChanges(world: World, stack: Stack, newParams: StackParameter[], newVersion: string): ResourceChange[] {
  const ctx = ctxOf(world, stack);
  const oldMap = Object.fromEntries(stack.parameters.map((p) => [p.ParameterKey, p.ParameterValue]));
  const newMap = Object.fromEntries(newParams.map((p) => [p.ParameterKey, p.ParameterValue]));
  const newSummary = templateSummary(newVersion)!;
  const oldIds = includedResources(ctx.summary, oldMap);
  const newIds = includedResources(newSummary, newMap);
  const changes = new Map<string, ResourceChange>();
  for (const id of newIds) {
    if (!oldIds.includes(id)) changes.set(id, { Action: 'Add', LogicalResourceId: id, ResourceType: newSummary.Resources[id], Scope: [], Details: [] });
  }
  for (const id of oldIds) {
    if (!newIds.includes(id)) {
      changes.set(id, { Action: 'Remove', LogicalResourceId: id, PhysicalResourceId: physicalOf(ctx, id), ResourceType: ctx.summary.Resources[id], Scope: [], Details: [] });
    }
  }
  const modify = (id: string, replacement: 'True' | 'False' | 'Conditional', name: string, cause?: string) => {
    if (!newIds.includes(id) || !oldIds.includes(id) || changes.get(id)?.Action === 'Add') return;
    let c = changes.get(id);
    if (!c) {
      c = { Action: 'Modify', LogicalResourceId: id, PhysicalResourceId: physicalOf(ctx, id), ResourceType: newSummary.Resources[id], Replacement: 'False', Scope: ['Properties'], Details: [] };
      changes.set(id, c);
    }
    if (RANK[replacement] > RANK[c.Replacement ?? 'False']) c.Replacement = replacement;
    c.Details.push({
      Target: { Attribute: 'Properties', Name: name, RequiresRecreation: replacement === 'True' ? 'Always' : replacement === 'Conditional' ? 'Conditionally' : 'Never' },
      Evaluation: cause ? 'Static' : 'Dynamic',
      ChangeSource: cause ? 'ParameterReference' : 'DirectModification',
      CausingEntity: cause,
    });
  };
  for (const key of new Set([...Object.keys(oldMap), ...Object.keys(newMap)])) {
    if ((oldMap[key] ?? '') === (newMap[key] ?? '')) continue;
    if (key === 'S3AppDataBucketName' || key === 'S3ClusterDataBucketName') {
      for (const e of DEFAULT_EFFECT) for (const id of e.ids) modify(id, e.replacement, e.name, key);
      continue;
    }
    for (const e of PARAM_EFFECTS[key] ?? DEFAULT_EFFECT) for (const id of e.ids) modify(id, e.replacement, e.name, key);
  }
  if (newVersion !== ctx.summary.templateVersion) {
    for (const e of DEFAULT_EFFECT) for (const id of e.ids) modify(id, e.replacement, e.name);
  }
  const order = [...newIds, ...oldIds.filter((id) => !newIds.includes(id))];
  return [...changes.values()].sort((a, b) => order.indexOf(a.LogicalResourceId) - order.indexOf(b.LogicalResourceId));
}

/** Runs an update (UpdateStack or ExecuteChangeSet). */
export function startUpdate(world: World, stack: Stack, at: number, newParams: StackParameter[], newVersion: string, newUrl: string, changes: ResourceChange[]): void {
  const oldSim = simOf(stack);
  oldSim.update = {
    oldParams: stack.parameters,
    oldVersion: oldSim.version,
    oldUrl: stack.templateUrl,
    replaced: [],
    added: [],
    modified: [],
    removed: [],
  };
  stack.parameters = newParams;
  stack.templateVersion = newVersion;
  stack.templateUrl = newUrl;
  oldSim.version = newVersion;
  const ctx = ctxOf(world, stack);
  const u = oldSim.update;
  stack.updatedAt = at;
  stackStatus(ctx, at, 'UPDATE_IN_PROGRESS', 'User Initiated');
  const todo = changes.filter((c) => c.Action !== 'Remove');
  u.removed = changes.filter((c) => c.Action === 'Remove').map((c) => c.LogicalResourceId);
  let t = at + 800;
  const next = (i: number) => {
    if (i >= todo.length) {
      schedule(ctx, t + 600, (c) => {
        stackStatus(ctx, c, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
        cleanup(ctx, c + 800, 'new', (d) => {
          stackStatus(ctx, d, 'UPDATE_COMPLETE');
          stack.outputs = stackOutputs(ctx);
          oldSim.update = undefined;
        });
      });
      return;
    }
    const ch = todo[i];
    const id = ch.LogicalResourceId;
    schedule(ctx, t, (s) => {
      const fail = takeFailure(ctx, id, 'update');
      const dur = ch.Replacement === 'True' || ch.Action === 'Add' ? createDuration(ctx, id) : Math.min(createDuration(ctx, id), 20000);
      if (ch.Action === 'Add') emit(ctx, s, id, 'CREATE_IN_PROGRESS', { physicalId: '' });
      else if (ch.Replacement === 'True') emit(ctx, s, id, 'UPDATE_IN_PROGRESS', { reason: 'Requested update requires the creation of a new physical resource; hence creating one.' });
      else emit(ctx, s, id, 'UPDATE_IN_PROGRESS');
      if (fail) {
        schedule(ctx, s + Math.min(dur, 4000), (f) => {
          emit(ctx, f, id, ch.Action === 'Add' ? 'CREATE_FAILED' : 'UPDATE_FAILED', { reason: fail });
          clearSteps(ctx);
          rollbackUpdate(ctx, f + 700, id);
        });
        return;
      }
      if (ch.Action === 'Add') {
        ctx.sim.physical[id] = startResource(ctx, s, id);
        u.added.push(id);
        emit(ctx, s + 600, id, 'CREATE_IN_PROGRESS', { physicalId: ctx.sim.physical[id], reason: 'Resource creation Initiated' });
      } else if (ch.Replacement === 'True') {
        const oldPhysical = physicalOf(ctx, id);
        const newPhysical = startResource(ctx, s, id);
        ctx.sim.physical[id] = newPhysical;
        u.replaced.push({ logicalId: id, oldPhysical, newPhysical });
        emit(ctx, s + 600, id, 'UPDATE_IN_PROGRESS', { physicalId: newPhysical, reason: 'Resource creation Initiated' });
      } else {
        u.modified.push(id);
        applyModify(ctx, id);
      }
      schedule(ctx, s + dur, (c) => {
        emit(ctx, c, id, ch.Action === 'Add' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE');
        const m = /^OpenViduMasterNode(\d)$/.exec(id);
        if (m && ch.Replacement === 'True') setMasterIpInSecret(ctx, c, Number(m[1]));
        t = c + 300;
        next(i + 1);
      });
    });
  };
  next(0);
}

function applyModify(ctx: Ctx, id: string): void {
  if (ctx.summary.Resources[id] !== 'AWS::AutoScaling::AutoScalingGroup') return;
  const asg = ctx.region.asgs.get(ctx.sim.asgName);
  if (!asg) return;
  asg.instanceType = param(ctx, 'MediaNodeInstanceType');
  asg.subnetIds = listParam(ctx, 'OpenViduMediaNodeSubnets');
  try {
    updateAsgCapacity(ctx.world, asg, {
      minSize: Number(param(ctx, 'MinNumberOfMediaNodes')),
      maxSize: Number(param(ctx, 'MaxNumberOfMediaNodes')),
      desiredCapacity: Number(param(ctx, 'InitialNumberOfMediaNodes')),
    });
  } catch {
    // invalid sizes: leave the group as it is
  }
}

/** Cleanup phase: deletes replaced physical resources (`old` ones after success, `new` ones after rollback) and removed resources. */
function cleanup(ctx: Ctx, at: number, after: 'new' | 'rollback', done: (at: number) => void): void {
  const u = ctx.sim.update!;
  const items: { logicalId: string; physicalId?: string; removeRecord: boolean }[] = [];
  if (after === 'new') {
    for (const r of u.replaced) items.push({ logicalId: r.logicalId, physicalId: r.oldPhysical, removeRecord: false });
    for (const id of u.removed) items.push({ logicalId: id, physicalId: physicalOf(ctx, id), removeRecord: true });
  } else {
    for (const r of u.replaced) items.push({ logicalId: r.logicalId, physicalId: r.newPhysical, removeRecord: false });
    for (const id of u.added) items.push({ logicalId: id, physicalId: physicalOf(ctx, id), removeRecord: true });
  }
  let t = at;
  for (const it of items) {
    const type = ctx.summary.Resources[it.logicalId] ?? templateSummary(u.oldVersion)?.Resources[it.logicalId] ?? '';
    schedule(ctx, t, (s) => {
      if (type === 'AWS::S3::Bucket') {
        emit(ctx, s, it.logicalId, 'DELETE_SKIPPED', { physicalId: it.physicalId, keepRecord: !it.removeRecord });
      } else {
        emit(ctx, s, it.logicalId, 'DELETE_IN_PROGRESS', { physicalId: it.physicalId, keepRecord: !it.removeRecord });
        deleteResourceObject(ctx, it.logicalId, it.physicalId);
        emit(ctx, s + (DELETE_DURATIONS[type] ?? 1500), it.logicalId, 'DELETE_COMPLETE', { physicalId: it.physicalId, keepRecord: !it.removeRecord });
      }
      if (it.removeRecord) {
        ctx.stack.resources = ctx.stack.resources.filter((r) => r.logicalId !== it.logicalId);
        delete ctx.sim.physical[it.logicalId];
      }
    });
    t += (DELETE_DURATIONS[type] ?? 1500) + 300;
  }
  schedule(ctx, t + 500, done);
}

function rollbackUpdate(ctx: Ctx, at: number, failedId: string | undefined, reason?: string, skip: string[] = []): void {
  const u = ctx.sim.update!;
  const stack = ctx.stack;
  stackStatus(ctx, at, 'UPDATE_ROLLBACK_IN_PROGRESS', reason ?? `The following resource(s) failed to update: [${failedId}]. `);
  stack.parameters = u.oldParams;
  stack.templateVersion = u.oldVersion;
  stack.templateUrl = u.oldUrl;
  ctx.sim.version = u.oldVersion;
  const rctx = ctxOf(ctx.world, stack);
  const revert = [...u.replaced.map((r) => r.logicalId), ...u.modified, ...(failedId && !u.added.includes(failedId) ? [failedId] : [])].filter(
    (id, i, all) => all.indexOf(id) === i && !u.added.includes(id),
  );
  let t = at + 800;
  for (const id of revert.reverse()) {
    schedule(rctx, t, (s) => {
      if (skip.includes(id)) {
        emit(rctx, s, id, 'UPDATE_COMPLETE', { reason: 'Resource skipped during rollback' });
        return;
      }
      const fail = takeFailure(rctx, id, 'rollback');
      emit(rctx, s, id, 'UPDATE_IN_PROGRESS');
      const rep = u.replaced.find((r) => r.logicalId === id);
      if (rep?.oldPhysical) {
        rctx.sim.physical[id] = rep.oldPhysical;
        const m = /^OpenViduMasterNode(\d)$/.exec(id);
        if (m) rctx.sim.masters[Number(m[1])] = rep.oldPhysical;
      }
      if (fail) {
        emit(rctx, s + 3000, id, 'UPDATE_FAILED', { reason: fail });
        clearSteps(rctx);
        stackStatus(rctx, s + 3600, 'UPDATE_ROLLBACK_FAILED', `The following resource(s) failed to update: [${id}]. `);
        return;
      }
      applyModify(rctx, id);
      emit(rctx, s + 4000, id, 'UPDATE_COMPLETE', { physicalId: rctx.sim.physical[id] });
    });
    t += 4500;
  }
  schedule(rctx, t + 500, (c) => {
    stackStatus(rctx, c, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    cleanup(rctx, c + 800, 'rollback', (d) => {
      stackStatus(rctx, d, 'UPDATE_ROLLBACK_COMPLETE');
      for (const n of Object.keys(rctx.sim.masters)) setMasterIpInSecret(rctx, d, Number(n));
      rctx.sim.update = undefined;
    });
  });
}


/** CancelUpdateStack: an update in progress stops and rolls back ("Stack update cancelled"). */
export function cancelUpdate(world: World, stack: Stack, at: number): void {
  if (stack.status !== 'UPDATE_IN_PROGRESS' || !simOf(stack).update) {
    throw new AwsError('ValidationError', `CancelUpdateStack cannot be called from current stack status ${stack.status}`);
  }
  const ctx = ctxOf(world, stack);
  clearSteps(ctx);
  for (const rec of stack.resources) {
    if (rec.status === 'UPDATE_IN_PROGRESS' || rec.status === 'CREATE_IN_PROGRESS') {
      emit(ctx, at, rec.logicalId, rec.status.replace('IN_PROGRESS', 'FAILED'), { reason: 'Resource update cancelled' });
    }
  }
  rollbackUpdate(ctx, at + 500, undefined, 'Stack update cancelled');
}

/** ContinueUpdateRollback: a stack in UPDATE_ROLLBACK_FAILED retries its rollback, skipping `skip`. */
export function continueUpdateRollback(world: World, stack: Stack, at: number, skip: string[]): void {
  if (stack.status !== 'UPDATE_ROLLBACK_FAILED' || !simOf(stack).update) {
    throw new AwsError('ValidationError', `Stack ${stack.stackId} is in ${stack.status} state and can not continue update rollback.`);
  }
  const ctx = ctxOf(world, stack);
  clearSteps(ctx);
  rollbackUpdate(ctx, at, undefined, 'User Initiated', skip);
}

/** Throws the error CloudFormation gives when a stack cannot be changed in its current state. */
export function assertUpdatable(stack: Stack): void {
  if (!/_COMPLETE$/.test(stack.status) || /^(DELETE|ROLLBACK)_COMPLETE$|^REVIEW/.test(stack.status) || /CLEANUP/.test(stack.status)) {
    throw new AwsError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
  }
}
