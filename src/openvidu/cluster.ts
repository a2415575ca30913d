/**
 * The cluster model the explorer shows: an OpenVidu HA stack, its 4 master nodes and its media-node
 * auto-scaling group, built from plain AWS data. Pure: no vscode, no SDK imports.
 */

export const OPENVIDU_HA_DESCRIPTION = /OpenVidu.*High Availability/i;
export const MASTER_LOGICAL_IDS = ['OpenViduMasterNode1', 'OpenViduMasterNode2', 'OpenViduMasterNode3', 'OpenViduMasterNode4'];
export const MEDIA_ASG_LOGICAL_ID = 'OpenViduMediaNodeASG';
export const SECRET_LOGICAL_ID = 'OpenViduSharedInfo';

export type StackPhase = 'complete' | 'inProgress' | 'failed' | 'rolledBack' | 'deleting' | 'deleted';

export interface StackSummary {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  description?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface NodeInstance {
  instanceId: string;
  role: 'master' | 'media';
  /** 1..4 for masters */
  index?: number;
  name?: string;
  state: string;
  instanceType?: string;
  availabilityZone?: string;
  privateIp?: string;
  publicIp?: string;
  launchTime?: Date;
  /** media nodes: the ASG lifecycle state (Pending, InService, Terminating:Wait…) */
  lifecycleState?: string;
  healthStatus?: string;
}

export interface MediaGroup {
  asgName?: string;
  desired?: number;
  min?: number;
  max?: number;
  /** latest scaling activity, for the description/tooltip */
  lastActivity?: { description: string; status: string; startTime?: Date; cause?: string };
}

export interface SecretReadiness {
  /** the secret exists and can be read */
  found: boolean;
  /** ALL_SECRETS_GENERATED == "true" and no essential value is "none" */
  generated: boolean;
  secretId?: string;
}

export interface Cluster {
  stack: StackSummary;
  region: string;
  templateVersion?: string;
  domainName?: string;
  parameters: Record<string, string>;
  outputs: Record<string, string>;
  masters: NodeInstance[];
  media: NodeInstance[];
  mediaGroup: MediaGroup;
  secret: SecretReadiness;
  loadBalancerDns?: string;
}

export function isOpenViduStackDescription(description: string | undefined): boolean {
  return !!description && OPENVIDU_HA_DESCRIPTION.test(description);
}

/** Groups the many CloudFormation statuses into what an operator needs to see at a glance. */
export function stackPhase(status: string): StackPhase {
  if (status === 'DELETE_COMPLETE') return 'deleted';
  if (status.startsWith('DELETE_')) return status === 'DELETE_FAILED' ? 'failed' : 'deleting';
  if (status.endsWith('_IN_PROGRESS')) return 'inProgress';
  if (status.endsWith('_FAILED')) return 'failed';
  if (status === 'ROLLBACK_COMPLETE' || status === 'UPDATE_ROLLBACK_COMPLETE' || status === 'IMPORT_ROLLBACK_COMPLETE') return 'rolledBack';
  return 'complete';
}

/** Shut down: every master node stopped (Shut Down Cluster stops the masters and empties the media group). */
export function isShutDown(cluster: Pick<Cluster, 'masters'> | undefined): boolean {
  return !!cluster?.masters.length && cluster.masters.every((m) => m.state === 'stopped');
}

export function isTransitional(status: string): boolean {
  return status.endsWith('_IN_PROGRESS');
}

/** Ready = created, every secret generated; `CREATE_COMPLETE` alone does not mean OpenVidu is installed. */
export function readiness(cluster: Pick<Cluster, 'stack' | 'secret'>): { ready: boolean; reason?: string } {
  const phase = stackPhase(cluster.stack.status);
  if (phase !== 'complete') return { ready: false, reason: `stack is ${cluster.stack.status}` };
  if (!cluster.secret.found) return { ready: false, reason: 'the cluster secret was not found' };
  if (!cluster.secret.generated) return { ready: false, reason: 'master node 1 is still generating the credentials' };
  return { ready: true };
}

export interface RawInstance {
  InstanceId?: string;
  InstanceType?: string;
  State?: { Name?: string };
  Placement?: { AvailabilityZone?: string };
  PrivateIpAddress?: string;
  PublicIpAddress?: string;
  LaunchTime?: Date;
  Tags?: { Key?: string; Value?: string }[];
}
export interface RawAsg {
  AutoScalingGroupName?: string;
  DesiredCapacity?: number;
  MinSize?: number;
  MaxSize?: number;
  Instances?: { InstanceId?: string; LifecycleState?: string; HealthStatus?: string; AvailabilityZone?: string }[];
}

function tag(i: RawInstance, key: string): string | undefined {
  return i.Tags?.find((t) => t.Key === key)?.Value;
}

/**
 * Splits the stack's instances into masters (by logical id tag, ordered 1..4) and media nodes (the ASG's
 * members, with their lifecycle state; instances the ASG already dropped but that are still shutting down
 * are kept while not terminated).
 */
export function classifyInstances(instances: RawInstance[], asg: RawAsg | undefined): { masters: NodeInstance[]; media: NodeInstance[] } {
  const masters: NodeInstance[] = [];
  const media: NodeInstance[] = [];
  const asgMembers = new Map((asg?.Instances ?? []).map((m) => [m.InstanceId ?? '', m]));
  const seen = new Set<string>();
  for (const i of instances) {
    const id = i.InstanceId;
    if (!id) continue;
    const logicalId = tag(i, 'aws:cloudformation:logical-id') ?? '';
    const base: NodeInstance = {
      instanceId: id,
      role: 'media',
      name: tag(i, 'Name'),
      state: i.State?.Name ?? 'unknown',
      instanceType: i.InstanceType,
      availabilityZone: i.Placement?.AvailabilityZone,
      privateIp: i.PrivateIpAddress,
      publicIp: i.PublicIpAddress,
      launchTime: i.LaunchTime,
    };
    const masterIndex = MASTER_LOGICAL_IDS.indexOf(logicalId);
    if (masterIndex >= 0) {
      // A replaced master leaves a terminated instance with the same logical id: keep the live one.
      const existing = masters.find((m) => m.index === masterIndex + 1);
      if (existing && existing.state !== 'terminated' && base.state === 'terminated') continue;
      if (existing) masters.splice(masters.indexOf(existing), 1);
      masters.push({ ...base, role: 'master', index: masterIndex + 1 });
      continue;
    }
    const member = asgMembers.get(id);
    const isMedia = member || logicalId === MEDIA_ASG_LOGICAL_ID || tag(i, 'aws:autoscaling:groupName');
    if (!isMedia) continue;
    if (!member && base.state === 'terminated') continue;
    seen.add(id);
    media.push({ ...base, lifecycleState: member?.LifecycleState ?? (base.state === 'terminated' ? 'Terminated' : undefined), healthStatus: member?.HealthStatus });
  }
  // ASG members not (yet) visible in DescribeInstances: show them from the ASG's view.
  for (const [id, m] of asgMembers) {
    if (!id || seen.has(id)) continue;
    media.push({ instanceId: id, role: 'media', state: 'pending', availabilityZone: m.AvailabilityZone, lifecycleState: m.LifecycleState, healthStatus: m.HealthStatus });
  }
  masters.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  media.sort((a, b) => (a.launchTime?.getTime() ?? 0) - (b.launchTime?.getTime() ?? 0) || a.instanceId.localeCompare(b.instanceId));
  return { masters, media };
}

/** Keys a usable cluster must have generated (when the version has them). */
export const ESSENTIAL_SECRET_KEYS = ['DOMAIN_NAME', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'OPENVIDU_URL', 'LIVEKIT_URL'];

/** Reads readiness from the secret JSON without keeping any value. */
export function secretReadiness(secretString: string | undefined, secretId?: string): SecretReadiness {
  if (secretString === undefined) return { found: false, generated: false, secretId };
  try {
    const values = JSON.parse(secretString) as Record<string, unknown>;
    // Optional values (e.g. MEET_INITIAL_API_KEY when none was given) legitimately stay "none".
    const generated = values.ALL_SECRETS_GENERATED === 'true' && ESSENTIAL_SECRET_KEYS.every((k) => values[k] === undefined || (values[k] !== 'none' && values[k] !== ''));
    return { found: true, generated, secretId };
  } catch {
    return { found: true, generated: false, secretId };
  }
}

/** Stack tag the extension writes when it creates, updates or upgrades a stack, so the template version is known later. */
export const VERSION_TAG = 'openvidu-ha-vscode:template-version';

/** Template version from the stack: our version tag, else a version in the template description. */
export function templateVersionOf(description: string | undefined, tags: Record<string, string> = {}): string | undefined {
  return tags[VERSION_TAG] ?? /(\d+\.\d+\.\d+)/.exec(description ?? '')?.[1];
}

/** Secret name the template gives the shared-info secret. */
export function secretNameFor(region: string, stackName: string): string {
  return `openvidu-ha-${region}-${stackName}`;
}
