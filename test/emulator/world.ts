/**
 * The simulated AWS account: plain data that every service module reads and mutates. Time-dependent state
 * is advanced lazily by `tick(now)` hooks that service modules register, called before every request.
 */
import { SeededRandom, SimClock } from './clock';

export type Tags = Record<string, string>;

export interface Vpc {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  tags: Tags;
}
export interface Subnet {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  availabilityZoneId: string;
  cidrBlock: string;
  mapPublicIpOnLaunch: boolean;
  availableIpAddressCount: number;
  tags: Tags;
}
export interface RouteTable {
  routeTableId: string;
  vpcId: string;
  /** explicit subnet associations; `main` marks the VPC's main table */
  subnetIds: string[];
  main: boolean;
  routes: { destinationCidrBlock: string; gatewayId?: string; natGatewayId?: string }[];
}
export interface KeyPair {
  keyName: string;
  keyPairId: string;
  keyFingerprint: string;
  keyType: 'rsa' | 'ed25519';
  createdAt: number;
}
export interface Certificate {
  arn: string;
  domainName: string;
  subjectAlternativeNames: string[];
  status: 'ISSUED' | 'PENDING_VALIDATION' | 'EXPIRED' | 'FAILED' | 'REVOKED' | 'INACTIVE' | 'VALIDATION_TIMED_OUT';
  type: 'AMAZON_ISSUED' | 'IMPORTED';
  createdAt: number;
  notAfter?: number;
  inUseBy: string[];
  /** ACM key algorithm as DescribeCertificate shows it (default `RSA-2048`) */
  keyAlgorithm?: 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'EC-prime256v1' | 'EC-secp384r1';
  issuedAt?: number;
  notBefore?: number;
}

export type InstanceState = 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated';

/** What runs on a simulated node; read and changed by the SSM command simulator. */
export interface SimService {
  name: string;
  image: string;
  state: 'running' | 'restarting' | 'exited' | 'created';
  health: '' | 'healthy' | 'unhealthy' | 'starting';
  startedAt: number;
  exitCode?: number;
  /** container creation instant (logs start here); default: startedAt */
  createdAt?: number;
  /** container name (default: the service name, as OpenVidu's compose files set container_name) */
  containerName?: string;
  /** extra docker labels, e.g. `openvidu-agent: 'true'` */
  labels?: Record<string, string>;
  /** when the container last stopped (exited / stopped) */
  stoppedAt?: number;
  /** earlier runs of the same container [start, end] (docker compose restart keeps the container and its logs) */
  previousRuns?: { start: number; end: number }[];
}
export interface SimNode {
  kind: 'master' | 'media';
  /** `systemctl is-active openvidu` */
  openviduActive: boolean;
  services: SimService[];
  /** simulated instants when the node (re)booted or openvidu restarted: logs mark these */
  restarts: number[];
  /** instant the OS booted (cloud-init start) */
  bootedAt: number;
  /** OpenVidu version written to deployment-info.yaml (default 3.8.0) */
  version?: string;
  /** seed for the node's deterministic log text */
  seed?: number;
  /** when `systemctl stop openvidu` (or a power-off) stopped the unit */
  openviduStoppedAt?: number;
  /** the instance was seen powered off at this instant (node-sim reboots the node when it runs again) */
  poweredOffAt?: number;
  /** file contents that replace (or add to) the generated ones, by absolute path */
  files?: Record<string, string>;
  /** directories created on the node (mkdir, files written by node-config.ts), besides the generated ones */
  dirs?: string[];
  /** lines appended to /var/log/openvidu/nodes_errors.log (masters) */
  nodeErrors?: { at: number; text: string }[];
  /** media nodes: when the lifecycle-hook drain (stop_media_node) started */
  drainingSince?: number;
}

export interface Instance {
  instanceId: string;
  region: string;
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
  privateIpAddress: string;
  publicIpAddress?: string;
  instanceType: string;
  imageId: string;
  keyName?: string;
  state: InstanceState;
  /** when the current transitional state ends (pending→running, stopping→stopped, shutting-down→terminated) */
  stateUntil?: number;
  stateReason?: string;
  launchTime: number;
  tags: Tags;
  iamInstanceProfileArn?: string;
  /** SSM agent registration; masters of template 3.8.0 are not registered unless the account enables it */
  ssmRegistered: boolean;
  node?: SimNode;
  /** EC2 reservation the instance was launched in (DescribeInstances groups by it) */
  reservationId?: string;
  /** EC2 StateTransitionReason, e.g. `User initiated (2026-11-24 10:00:00 GMT)` */
  stateTransitionReason?: string;
}

export type AsgLifecycleState =
  | 'Pending'
  | 'Pending:Wait'
  | 'InService'
  | 'Terminating'
  | 'Terminating:Wait'
  | 'Terminating:Proceed'
  | 'Terminated';

export interface AsgInstance {
  instanceId: string;
  lifecycleState: AsgLifecycleState;
  healthStatus: 'Healthy' | 'Unhealthy';
  availabilityZone: string;
  /** for Terminating:Wait, when the drain (lifecycle hook) ends */
  lifecycleUntil?: number;
  /** Pending / Terminating: the scaling activity that tracks this instance */
  activityId?: string;
  launchedAt?: number;
}
export interface ScalingActivity {
  activityId: string;
  description: string;
  cause: string;
  startTime: number;
  endTime?: number;
  statusCode: 'InProgress' | 'Successful' | 'Failed' | 'WaitingForInstanceWarmup';
  progress: number;
  /** JSON text, e.g. `{"Subnet ID":"subnet-…","Availability Zone":"eu-west-1a"}` */
  details?: string;
  statusMessage?: string;
}
export interface Asg {
  name: string;
  arn: string;
  region: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  subnetIds: string[];
  instanceType: string;
  instances: AsgInstance[];
  activities: ScalingActivity[];
  tags: Tags;
  createdAt: number;
  /** seconds a terminating instance stays in Terminating:Wait (the template's lifecycle hook drain) */
  drainSeconds: number;
  /** seconds from launch to InService */
  launchSeconds: number;
  /** role given to launched instances' SimNode */
  nodeKind: 'media' | 'other';
  instanceProfileArn?: string;
  keyName?: string;
  launchTemplate?: { id: string; name: string; version: string };
  lifecycleHooks?: AsgLifecycleHook[];
  imageId?: string;
}
export interface AsgLifecycleHook {
  name: string;
  transition: 'autoscaling:EC2_INSTANCE_TERMINATING' | 'autoscaling:EC2_INSTANCE_LAUNCHING';
  heartbeatTimeout: number;
  globalTimeout: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
  notificationTargetArn?: string;
  roleArn?: string;
}

export interface StackParameter {
  ParameterKey: string;
  ParameterValue: string;
}
export interface StackResource {
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
  statusReason?: string;
  timestamp: number;
}
export interface StackEvent {
  eventId: string;
  logicalId: string;
  physicalId?: string;
  type: string;
  status: string;
  statusReason?: string;
  timestamp: number;
  properties?: string;
}
export interface Stack {
  stackId: string;
  stackName: string;
  region: string;
  status: string;
  statusReason?: string;
  description: string;
  templateVersion: string;
  templateUrl: string;
  parameters: StackParameter[];
  capabilities: string[];
  disableRollback: boolean;
  onFailure: 'DO_NOTHING' | 'ROLLBACK' | 'DELETE';
  tags: Tags;
  outputs: { OutputKey: string; OutputValue: string; Description?: string }[];
  createdAt: number;
  updatedAt?: number;
  deletedAt?: number;
  resources: StackResource[];
  events: StackEvent[];
  /** service-module private simulation state (the CloudFormation module owns it) */
  sim?: unknown;
}

export interface Secret {
  arn: string;
  name: string;
  region: string;
  /** JSON text */
  secretString: string;
  versionId: string;
  createdAt: number;
  lastChangedAt: number;
  description?: string;
  tags: Tags;
  deletedAt?: number;
}

export interface LogEvent {
  timestamp: number;
  ingestionTime: number;
  message: string;
  logStreamName: string;
  eventId: string;
}
export interface LogGroup {
  name: string;
  arn: string;
  region: string;
  createdAt: number;
  retentionInDays?: number;
  events: LogEvent[];
}

export interface SsmInvocation {
  instanceId: string;
  status: 'Pending' | 'InProgress' | 'Success' | 'Failed' | 'TimedOut' | 'Cancelled' | 'Cancelling' | 'Delayed' | 'Undeliverable';
  responseCode: number;
  stdout: string;
  stderr: string;
  startedAt?: number;
  endedAt?: number;
  /** when the simulated script finishes (set when it starts) */
  finishAt?: number;
  /** AWS StatusDetails (e.g. DeliveryTimedOut, Undeliverable, ExecutionTimedOut) */
  statusDetails?: string;
  /** when the invocation starts running (decided at SendCommand) */
  startAt?: number;
  /** script exit code computed when it started, published when it ends */
  pendingExitCode?: number;
  pendingStdout?: string;
  pendingStderr?: string;
}
export interface SsmCommand {
  commandId: string;
  region: string;
  documentName: string;
  comment?: string;
  parameters: Record<string, string[]>;
  instanceIds: string[];
  requestedAt: number;
  timeoutSeconds: number;
  status: 'Pending' | 'InProgress' | 'Success' | 'Failed' | 'TimedOut' | 'Cancelled' | 'Cancelling';
  invocations: SsmInvocation[];
  statusDetails?: string;
}

export interface IamRole {
  roleName: string;
  roleId: string;
  arn: string;
  path: string;
  createdAt: number;
  assumeRolePolicyDocument: string;
  attachedPolicyArns: string[];
}
export interface InstanceProfile {
  name: string;
  id: string;
  arn: string;
  path: string;
  createdAt: number;
  roleNames: string[];
}

export interface RegionState {
  name: string;
  availabilityZones: { zoneName: string; zoneId: string }[];
  vpcs: Vpc[];
  subnets: Subnet[];
  routeTables: RouteTable[];
  internetGatewayIds: string[];
  keyPairs: KeyPair[];
  certificates: Certificate[];
  /** instance types offered per zone name (DescribeInstanceTypeOfferings) */
  instanceTypeOfferings: Record<string, string[]>;
  instances: Map<string, Instance>;
  asgs: Map<string, Asg>;
  /** every stack ever created here, deleted ones included (ListStacks shows them) */
  stacks: Stack[];
  secrets: Map<string, Secret>;
  logGroups: Map<string, LogGroup>;
  ssmCommands: Map<string, SsmCommand>;
}

export interface AccountSettings {
  /** Default Host Management Configuration: when true every instance registers with SSM, masters included */
  defaultHostManagement: boolean;
  /** SSM: GetCommandInvocation answers InvocationDoesNotExist for this long after SendCommand, as AWS sometimes does (default 0) */
  ssmInvocationVisibleAfterMs?: number;
  /** SSM: ListCommandInvocations' inline Output capacity in bytes (agent 3.x: 2500, older agents: 2400) */
  ssmPluginOutputCapacity?: number;
  /** SSM: a managed instance appears in DescribeInstanceInformation this long after it boots (default 0) */
  ssmRegistrationDelayMs?: number;
  /** SSM: how long an instance that becomes managed while running (policy attached, setting enabled) takes to register (default 120 s) */
  ssmLateRegistrationMs?: number;
}

export type TickHook = (world: World, now: number) => void;

export class World {
  readonly accountId: string;
  readonly rng: SeededRandom;
  readonly regions = new Map<string, RegionState>();
  readonly settings: AccountSettings = { defaultHostManagement: false };
  readonly iam = { roles: new Map<string, IamRole>(), instanceProfiles: new Map<string, InstanceProfile>() };
  private readonly tickHooks: TickHook[] = [];

  constructor(
    readonly clock: SimClock,
    seed = 42,
    accountId = '123456789012',
  ) {
    this.rng = new SeededRandom(seed);
    this.accountId = accountId;
  }

  now(): number {
    return this.clock.now();
  }

  region(name: string): RegionState {
    let r = this.regions.get(name);
    if (!r) {
      r = emptyRegion(name);
      this.regions.set(name, r);
    }
    return r;
  }

  onTick(hook: TickHook): void {
    this.tickHooks.push(hook);
  }

  /** Advances every time-dependent simulation to the clock's current instant. */
  tick(): void {
    const now = this.now();
    for (const hook of this.tickHooks) hook(this, now);
  }

  // ids ------------------------------------------------------------------
  id(prefix: string, hexLength = 17): string {
    return `${prefix}-${this.rng.hex(hexLength)}`;
  }
  requestId(): string {
    return this.rng.uuid();
  }
}

export function emptyRegion(name: string): RegionState {
  return {
    name,
    availabilityZones: [],
    vpcs: [],
    subnets: [],
    routeTables: [],
    internetGatewayIds: [],
    keyPairs: [],
    certificates: [],
    instanceTypeOfferings: {},
    instances: new Map(),
    asgs: new Map(),
    stacks: [],
    secrets: new Map(),
    logGroups: new Map(),
    ssmCommands: new Map(),
  };
}

/** Whether an instance answers SSM: registered, running, and (for masters) allowed by role or account setting. */
export function ssmPingStatus(instance: Instance): 'Online' | 'ConnectionLost' | 'Inactive' | undefined {
  if (!instance.ssmRegistered) return undefined;
  if (instance.state === 'terminated') return 'Inactive';
  if (instance.state !== 'running') return 'ConnectionLost';
  return 'Online';
}
