/**
 * Auto Scaling (awsQuery protocol): groups whose instances are real emulated EC2 instances. A tick hook
 * reconciles every group with its desired capacity over simulated time, as AWS does:
 * - scale out: launch (Pending) → InService after `launchSeconds`, activity "Launching a new EC2 instance: i-…";
 * - scale in: the newest instances go to `Terminating:Wait` for `drainSeconds` (the OpenVidu template's
 *   terminate lifecycle hook drains sessions up to 3600 s), then `Terminating:Proceed`, the EC2 instance
 *   terminates and leaves the group, activity "Terminating EC2 instance: i-…";
 * - an instance stopped or terminated behind the group's back is marked Unhealthy and replaced.
 */
import type { HandlerContext, ServiceModule } from '../server';
import { AwsError, asInt, asList, asString } from '../protocol';
import type { Asg, AsgInstance, AsgLifecycleHook, RegionState, ScalingActivity, Tags, World } from '../world';
import { advanceInstance, DEFAULT_BOOT_SECONDS, launchInstance, TERMINATE_SECONDS, terminateInstance } from './ec2';
import { drainCompletesAt } from '../node-sim';

export interface CreateAsgOptions {
  name: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  subnetIds: string[];
  instanceType: string;
  tags: Tags;
  drainSeconds: number;
  launchSeconds: number;
  nodeKind: 'media' | 'other';
  instanceProfileArn?: string;
  keyName?: string;
  imageId?: string;
  /** launch template name shown by DescribeAutoScalingGroups (default `<name>-lt`) */
  launchTemplateName?: string;
  /** name of the terminate lifecycle hook created when drainSeconds > 0 (default `<name>-terminate-hook`) */
  lifecycleHookName?: string;
  /**
   * the instances run a handler that completes the terminate lifecycle action once their work is done (OpenVidu's
   * media nodes: when their last room ends); without one, Terminating:Wait lasts until the hook's timeout
   */
  completesOnDrain?: boolean;
}

/** Module-private bookkeeping: the cause of the last capacity change, quoted by the activities it triggers. */
const lastCause = new WeakMap<Asg, string>();
/** groups whose instances complete the terminate lifecycle action themselves (CreateAsgOptions.completesOnDrain) */
const completesOnDrain = new WeakSet<Asg>();

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function groupNotFound(name: string): AwsError {
  return new AwsError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`);
}

/** Creates a group and launches its initial instances right away (they come InService after launchSeconds). */
export function createAsg(world: World, region: string, opts: CreateAsgOptions): Asg {
  const r = world.region(region);
  if (r.asgs.has(opts.name)) {
    throw new AwsError('AlreadyExists', `AutoScalingGroup by this name already exists - A group with the name ${opts.name} already exists`);
  }
  for (const id of opts.subnetIds) {
    if (!r.subnets.some((s) => s.subnetId === id)) {
      throw new AwsError('ValidationError', `The subnet ID '${id}' does not exist`);
    }
  }
  validateSizes(opts.minSize, opts.maxSize, opts.desiredCapacity);
  const now = world.now();
  const hooks: AsgLifecycleHook[] =
    opts.drainSeconds > 0
      ? [
          {
            name: opts.lifecycleHookName ?? `${opts.name}-terminate-hook`,
            transition: 'autoscaling:EC2_INSTANCE_TERMINATING',
            heartbeatTimeout: opts.drainSeconds,
            globalTimeout: Math.min(172800, opts.drainSeconds * 100),
            defaultResult: 'CONTINUE',
          },
        ]
      : [];
  const asg: Asg = {
    name: opts.name,
    arn: `arn:aws:autoscaling:${region}:${world.accountId}:autoScalingGroup:${world.rng.uuid()}:autoScalingGroupName/${opts.name}`,
    region,
    minSize: opts.minSize,
    maxSize: opts.maxSize,
    desiredCapacity: opts.desiredCapacity,
    subnetIds: [...opts.subnetIds],
    instanceType: opts.instanceType,
    instances: [],
    activities: [],
    tags: { ...opts.tags },
    createdAt: now,
    drainSeconds: opts.drainSeconds,
    launchSeconds: opts.launchSeconds,
    nodeKind: opts.nodeKind,
    instanceProfileArn: opts.instanceProfileArn,
    keyName: opts.keyName,
    imageId: opts.imageId,
    launchTemplate: { id: `lt-0${world.rng.hex(16)}`, name: opts.launchTemplateName ?? `${opts.name}-lt`, version: '1' },
    lifecycleHooks: hooks,
  };
  r.asgs.set(asg.name, asg);
  if (opts.completesOnDrain) completesOnDrain.add(asg);
  lastCause.set(asg, `At ${iso(now)} a user request created an AutoScalingGroup changing the desired capacity from 0 to ${opts.desiredCapacity}.`);
  reconcileAsg(world, r, asg, now);
  return asg;
}

/** Deletes a group with ForceDelete semantics: its instances terminate now (no drain) and the group is gone. */
export function deleteAsg(world: World, region: string, name: string): void {
  const r = world.region(region);
  const asg = r.asgs.get(name);
  if (!asg) throw groupNotFound(name);
  for (const ai of asg.instances) {
    const inst = r.instances.get(ai.instanceId);
    if (inst && inst.state !== 'terminated' && inst.state !== 'shutting-down') terminateInstance(world, region, ai.instanceId);
  }
  r.asgs.delete(name);
}

function validateSizes(min: number, max: number, desired: number): void {
  if (min > max) throw new AwsError('ValidationError', `Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max) {
    throw new AwsError('ValidationError', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
}

/**
 * Sets min/max/desired as UpdateAutoScalingGroup does (a new min above the current desired raises it, a new max
 * below lowers it) and records the cause the next activities quote.
 */
export function updateAsgCapacity(
  world: World,
  asg: Asg,
  change: { minSize?: number; maxSize?: number; desiredCapacity?: number },
): void {
  const min = change.minSize ?? asg.minSize;
  const max = change.maxSize ?? asg.maxSize;
  let desired = change.desiredCapacity;
  if (desired === undefined) desired = Math.min(max, Math.max(min, asg.desiredCapacity));
  validateSizes(min, max, desired);
  const before = asg.desiredCapacity;
  asg.minSize = min;
  asg.maxSize = max;
  asg.desiredCapacity = desired;
  if (before !== desired) {
    lastCause.set(
      asg,
      `At ${iso(world.now())} a user request update of AutoScalingGroup constraints to min: ${min}, max: ${max}, desired: ${desired} changing the desired capacity from ${before} to ${desired}.`,
    );
  }
  reconcileAsg(world, world.region(asg.region), asg, world.now());
}

// ---------------------------------------------------------------------------------------------------------------
// reconcile

const ACTIVE: AsgInstance['lifecycleState'][] = ['Pending', 'Pending:Wait', 'InService'];

function addActivity(world: World, asg: Asg, a: Omit<ScalingActivity, 'activityId'>): ScalingActivity {
  const activity: ScalingActivity = { activityId: world.rng.uuid(), ...a };
  asg.activities.push(activity);
  if (asg.activities.length > 1000) asg.activities.splice(0, asg.activities.length - 1000);
  return activity;
}

function finishActivity(asg: Asg, id: string | undefined, at: number): void {
  const a = asg.activities.find((x) => x.activityId === id);
  if (a && a.statusCode !== 'Successful') {
    a.statusCode = 'Successful';
    a.progress = 100;
    a.endTime = at;
  }
}

function launchOne(world: World, r: RegionState, asg: Asg, now: number, cause: string): void {
  const zoneCount = new Map<string, number>();
  const subnets = asg.subnetIds.map((id) => r.subnets.find((s) => s.subnetId === id)).filter((s) => s !== undefined);
  for (const s of subnets) zoneCount.set(s.availabilityZone, 0);
  for (const ai of asg.instances) {
    if (ACTIVE.includes(ai.lifecycleState) && zoneCount.has(ai.availabilityZone)) {
      zoneCount.set(ai.availabilityZone, zoneCount.get(ai.availabilityZone)! + 1);
    }
  }
  let subnet = subnets[0];
  for (const s of subnets) if (zoneCount.get(s.availabilityZone)! < zoneCount.get(subnet.availabilityZone)!) subnet = s;
  if (!subnet) return;
  const tags: Tags = {
    ...asg.tags,
    'aws:autoscaling:groupName': asg.name,
    ...(asg.launchTemplate
      ? { 'aws:ec2launchtemplate:id': asg.launchTemplate.id, 'aws:ec2launchtemplate:version': asg.launchTemplate.version }
      : {}),
  };
  const inst = launchInstance(world, r.name, {
    subnetId: subnet.subnetId,
    instanceType: asg.instanceType,
    imageId: asg.imageId,
    keyName: asg.keyName,
    tags,
    iamInstanceProfileArn: asg.instanceProfileArn,
    nodeKind: asg.nodeKind === 'media' ? 'media' : undefined,
    ssmRegistered: true,
    bootSeconds: Math.min(DEFAULT_BOOT_SECONDS, asg.launchSeconds),
  });
  const activity = addActivity(world, asg, {
    description: `Launching a new EC2 instance: ${inst.instanceId}`,
    cause,
    startTime: now,
    statusCode: 'InProgress',
    progress: 30,
    details: JSON.stringify({ 'Subnet ID': subnet.subnetId, 'Availability Zone': subnet.availabilityZone }),
  });
  asg.instances.push({
    instanceId: inst.instanceId,
    lifecycleState: 'Pending',
    healthStatus: 'Healthy',
    availabilityZone: subnet.availabilityZone,
    lifecycleUntil: now + asg.launchSeconds * 1000,
    activityId: activity.activityId,
    launchedAt: now,
  });
}

/** Starts removing one instance: Terminating:Wait for the drain when the group has a terminate hook, else straight on. */
function beginTermination(world: World, r: RegionState, asg: Asg, ai: AsgInstance, now: number, cause: string, drain: boolean): void {
  const activity = addActivity(world, asg, {
    description: `Terminating EC2 instance: ${ai.instanceId}`,
    cause,
    startTime: now,
    statusCode: 'InProgress',
    progress: drain ? 50 : 80,
    details: JSON.stringify({ 'Subnet ID': r.instances.get(ai.instanceId)?.subnetId, 'Availability Zone': ai.availabilityZone }),
  });
  ai.activityId = activity.activityId;
  const hasHook = (asg.lifecycleHooks ?? []).some((h) => h.transition === 'autoscaling:EC2_INSTANCE_TERMINATING');
  if (drain && hasHook && asg.drainSeconds > 0) {
    ai.lifecycleState = 'Terminating:Wait';
    ai.lifecycleUntil = now + asg.drainSeconds * 1000;
    const inst = r.instances.get(ai.instanceId);
    if (inst?.node) inst.node.drainingSince = now;
  } else {
    proceed(world, r, ai, now);
  }
}

/** Terminating:Proceed at instant `at`: the EC2 instance shuts down (terminated TERMINATE_SECONDS later). */
function proceed(world: World, r: RegionState, ai: AsgInstance, at: number): void {
  ai.lifecycleState = 'Terminating:Proceed';
  const inst = r.instances.get(ai.instanceId);
  if (inst && inst.state !== 'terminated' && inst.state !== 'shutting-down') {
    terminateInstance(world, r.name, inst.instanceId);
    // the termination began at `at`, which may lie before now when the clock jumped
    inst.stateUntil = at + TERMINATE_SECONDS * 1000;
    inst.stateTransitionReason = `User initiated (${new Date(at).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT')})`;
  }
  ai.lifecycleUntil = inst?.stateUntil ?? at;
}

/** Brings one group to its desired capacity and moves its instances' lifecycles up to `now`. */
export function reconcileAsg(world: World, r: RegionState, asg: Asg, now: number): void {
  // 1. timed lifecycle transitions
  for (const ai of [...asg.instances]) {
    const inst = r.instances.get(ai.instanceId);
    if (inst) advanceInstance(world, inst, now);
    if (ai.lifecycleState === 'Pending' && (ai.lifecycleUntil ?? 0) <= now) {
      ai.lifecycleState = 'InService';
      finishActivity(asg, ai.activityId, ai.lifecycleUntil ?? now);
      ai.lifecycleUntil = undefined;
      ai.activityId = undefined;
    }
    // The wait ends at the hook's timeout, or earlier when the node's own stop script calls CompleteLifecycleAction
    // (CONTINUE) once its last room has ended (CompleteLifecycleAction API reference: "completes the lifecycle action
    // for the specified token or instance with the specified result"; OpenVidu's media nodes do so after draining).
    const completedAt = ai.lifecycleState === 'Terminating:Wait' && inst?.node && completesOnDrain.has(asg) ? drainCompletesAt(inst.node) : undefined;
    if (completedAt !== undefined && completedAt < (ai.lifecycleUntil ?? Infinity)) ai.lifecycleUntil = completedAt;
    if (ai.lifecycleState === 'Terminating:Wait' && (ai.lifecycleUntil ?? 0) <= now) {
      proceed(world, r, ai, ai.lifecycleUntil ?? now);
      if (inst) advanceInstance(world, inst, now);
    }
    if (ai.lifecycleState === 'Terminating:Proceed' || ai.lifecycleState === 'Terminating' || ai.lifecycleState === 'Terminated') {
      if (!inst || inst.state === 'terminated') {
        finishActivity(asg, ai.activityId, ai.lifecycleUntil ?? now);
        asg.instances.splice(asg.instances.indexOf(ai), 1);
      }
    }
  }
  // 2. health: an active instance that is no longer running (stopped or terminated outside the group) is replaced
  for (const ai of [...asg.instances]) {
    if (!ACTIVE.includes(ai.lifecycleState)) continue;
    const inst = r.instances.get(ai.instanceId);
    const gone = !inst || ['stopping', 'stopped', 'shutting-down', 'terminated'].includes(inst.state);
    if (!gone) continue;
    ai.healthStatus = 'Unhealthy';
    finishActivity(asg, ai.activityId, now);
    beginTermination(
      world,
      r,
      asg,
      ai,
      now,
      `At ${iso(now)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
      false,
    );
    if (!inst || inst.state === 'terminated') {
      asg.instances.splice(asg.instances.indexOf(ai), 1);
      finishActivity(asg, ai.activityId, now);
    }
  }
  // 3. capacity
  const active = asg.instances.filter((ai) => ACTIVE.includes(ai.lifecycleState));
  const cause = lastCause.get(asg) ?? '';
  if (active.length < asg.desiredCapacity) {
    const from = active.length;
    const to = asg.desiredCapacity;
    const text = `${cause ? `${cause}  ` : ''}At ${iso(now)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${to}.`;
    for (let n = from; n < to; n++) launchOne(world, r, asg, now, text);
  } else if (active.length > asg.desiredCapacity) {
    const from = active.length;
    const to = asg.desiredCapacity;
    // newest first (Pending before InService); ties go to the zone holding the most instances
    const perZone = new Map<string, number>();
    for (const ai of active) perZone.set(ai.availabilityZone, (perZone.get(ai.availabilityZone) ?? 0) + 1);
    const victims = [...active]
      .sort(
        (a, b) =>
          (b.launchedAt ?? 0) - (a.launchedAt ?? 0) ||
          perZone.get(b.availabilityZone)! - perZone.get(a.availabilityZone)! ||
          asg.instances.indexOf(b) - asg.instances.indexOf(a),
      )
      .slice(0, from - to);
    for (const ai of victims) {
      const text = `${cause ? `${cause}  ` : ''}At ${iso(now)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${to}.  At ${iso(now)} instance ${ai.instanceId} was selected for termination.`;
      if (ai.activityId) finishActivity(asg, ai.activityId, now);
      beginTermination(world, r, asg, ai, now, text, true);
    }
  }
  // 4. instances that finished terminating right away (no drain, clock jumped past the shutdown)
  for (const ai of [...asg.instances]) {
    if (ai.lifecycleState !== 'Terminating:Proceed') continue;
    const inst = r.instances.get(ai.instanceId);
    if (inst) advanceInstance(world, inst, now);
    if (!inst || inst.state === 'terminated') {
      finishActivity(asg, ai.activityId, ai.lifecycleUntil ?? now);
      asg.instances.splice(asg.instances.indexOf(ai), 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// handlers

function findAsg(region: RegionState, name: string | undefined): Asg {
  if (!name) throw new AwsError('ValidationError', "1 validation error detected: Value null at 'autoScalingGroupName' failed to satisfy constraint: Member must not be null");
  const asg = region.asgs.get(name);
  if (!asg) throw groupNotFound(name);
  return asg;
}

function paginate<T>(items: T[], params: Record<string, unknown>, op: string, max: number, defaultPage: number): { page: T[]; next?: string } {
  const maxRecords = asInt(params.MaxRecords);
  if (maxRecords !== undefined && (maxRecords < 1 || maxRecords > max)) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${maxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value ${maxRecords < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`}`,
    );
  }
  let start = 0;
  const token = asString(params.NextToken);
  if (token) {
    let decoded: { op?: unknown; offset?: unknown } | undefined;
    try {
      decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { op?: unknown; offset?: unknown };
    } catch {
      decoded = undefined;
    }
    if (!decoded || decoded.op !== op || typeof decoded.offset !== 'number') {
      throw new AwsError('InvalidNextToken', 'The token provided is not valid.');
    }
    start = decoded.offset;
  }
  const size = maxRecords ?? defaultPage;
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(JSON.stringify({ op, offset: start + size })).toString('base64') : undefined;
  return { page, next };
}

function asgXml(world: World, r: RegionState, asg: Asg): Record<string, unknown> {
  const zones = [...new Set(asg.subnetIds.map((id) => r.subnets.find((s) => s.subnetId === id)?.availabilityZone).filter(Boolean))].sort();
  const lt = asg.launchTemplate;
  return {
    AutoScalingGroupName: asg.name,
    AutoScalingGroupARN: asg.arn,
    LaunchTemplate: lt ? { LaunchTemplateId: lt.id, LaunchTemplateName: lt.name, Version: lt.version } : undefined,
    MinSize: asg.minSize,
    MaxSize: asg.maxSize,
    DesiredCapacity: asg.desiredCapacity,
    DefaultCooldown: 300,
    AvailabilityZones: zones,
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 300,
    Instances: asg.instances.map((ai) => {
      const inst = r.instances.get(ai.instanceId);
      return {
        InstanceId: ai.instanceId,
        InstanceType: inst?.instanceType ?? asg.instanceType,
        AvailabilityZone: ai.availabilityZone,
        LifecycleState: ai.lifecycleState,
        HealthStatus: ai.healthStatus,
        LaunchTemplate: lt ? { LaunchTemplateId: lt.id, LaunchTemplateName: lt.name, Version: lt.version } : undefined,
        ProtectedFromScaleIn: false,
      };
    }),
    CreatedTime: new Date(asg.createdAt),
    SuspendedProcesses: [],
    VPCZoneIdentifier: asg.subnetIds.join(','),
    EnabledMetrics: [],
    Tags: Object.entries(asg.tags).map(([Key, Value]) => ({
      ResourceId: asg.name,
      ResourceType: 'auto-scaling-group',
      Key,
      Value,
      PropagateAtLaunch: true,
    })),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${world.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    CapacityRebalance: false,
    TrafficSources: [],
  };
}

function describeAutoScalingGroups({ world, region, params }: HandlerContext): unknown {
  const names = asList(params.AutoScalingGroupNames).map(String);
  let groups = [...region.asgs.values()].sort((a, b) => a.name.localeCompare(b.name));
  if (names.length) groups = groups.filter((g) => names.includes(g.name));
  for (const f of asList<{ Name?: unknown; Values?: unknown }>(params.Filters)) {
    const name = asString(f.Name) ?? '';
    const values = asList(f.Values).map(String);
    if (name.startsWith('tag:')) {
      const key = name.slice(4);
      groups = groups.filter((g) => key in g.tags && values.includes(g.tags[key]));
    } else if (name === 'tag-key') {
      groups = groups.filter((g) => Object.keys(g.tags).some((k) => values.includes(k)));
    } else if (name === 'tag-value') {
      groups = groups.filter((g) => Object.values(g.tags).some((v) => values.includes(v)));
    } else {
      throw new AwsError('ValidationError', `Filter name '${name}' is invalid. Valid names: tag-key, tag-value, tag:<key>`);
    }
  }
  const { page, next } = paginate(groups, params, 'DescribeAutoScalingGroups', 100, 50);
  const includeInstances = asString(params.IncludeInstances) !== 'false';
  return {
    AutoScalingGroups: page.map((g) => {
      const xml = asgXml(world, region, g);
      if (!includeInstances) delete xml.Instances;
      return xml;
    }),
    NextToken: next,
  };
}

function updateAutoScalingGroup({ world, region, params }: HandlerContext): unknown {
  const asg = findAsg(region, asString(params.AutoScalingGroupName));
  updateAsgCapacity(world, asg, {
    minSize: asInt(params.MinSize),
    maxSize: asInt(params.MaxSize),
    desiredCapacity: asInt(params.DesiredCapacity),
  });
  return undefined;
}

function setDesiredCapacity({ world, region, params }: HandlerContext): unknown {
  const asg = findAsg(region, asString(params.AutoScalingGroupName));
  const desired = asInt(params.DesiredCapacity);
  if (desired === undefined) {
    throw new AwsError('ValidationError', "1 validation error detected: Value null at 'desiredCapacity' failed to satisfy constraint: Member must not be null");
  }
  if (desired > asg.maxSize) {
    throw new AwsError('ValidationError', `New SetDesiredCapacity value ${desired} is above max value ${asg.maxSize} for the AutoScalingGroup.`);
  }
  if (desired < asg.minSize) {
    throw new AwsError('ValidationError', `New SetDesiredCapacity value ${desired} is below min value ${asg.minSize} for the AutoScalingGroup.`);
  }
  const before = asg.desiredCapacity;
  asg.desiredCapacity = desired;
  if (before !== desired) {
    lastCause.set(asg, `At ${iso(world.now())} a user request explicitly set group desired capacity changing the desired capacity from ${before} to ${desired}.`);
  }
  reconcileAsg(world, region, asg, world.now());
  return undefined;
}

/**
 * TerminateInstanceInAutoScalingGroup (EC2 Auto Scaling API Reference): "Terminates the specified instance and
 * optionally adjusts the desired group size … This call simply makes a termination request. The instance is not
 * terminated immediately." "If you do not specify the option to decrement the desired capacity, Amazon EC2 Auto
 * Scaling launches instances to replace the ones that are terminated." Request: InstanceId (required, length
 * 1–19) and ShouldDecrementDesiredCapacity (Boolean, required); response: the Activity. The instance goes
 * through the group's termination lifecycle hook (Terminating:Wait, the OpenVidu drain) like any scale-in
 * (User Guide, "Amazon EC2 Auto Scaling lifecycle hooks"). Decrementing below MinSize is refused with AWS's
 * ValidationError text.
 */
function terminateInstanceInAutoScalingGroup({ world, region, params }: HandlerContext): unknown {
  const id = asString(params.InstanceId) ?? '';
  if (params.InstanceId === undefined) {
    throw new AwsError('ValidationError', "1 validation error detected: Value null at 'instanceId' failed to satisfy constraint: Member must not be null");
  }
  if (id.length < 1 || id.length > 19) {
    throw new AwsError('ValidationError', `1 validation error detected: Value '${id}' at 'instanceId' failed to satisfy constraint: Member must have length ${id.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 19'}`);
  }
  if (params.ShouldDecrementDesiredCapacity === undefined) {
    throw new AwsError('ValidationError', "1 validation error detected: Value null at 'shouldDecrementDesiredCapacity' failed to satisfy constraint: Member must not be null");
  }
  const decrement = asString(params.ShouldDecrementDesiredCapacity) === 'true';
  const asg = [...region.asgs.values()].find((g) => g.instances.some((ai) => ai.instanceId === id));
  const ai = asg?.instances.find((x) => x.instanceId === id);
  if (!asg || !ai) throw new AwsError('ValidationError', `Instance Id not found - No managed instance found for instance ID: ${id}`);
  const now = world.now();
  if (!ACTIVE.includes(ai.lifecycleState)) {
    throw new AwsError('ValidationError', `The instance ${id} is already being terminated.`);
  }
  if (decrement) {
    if (asg.desiredCapacity - 1 < asg.minSize) {
      throw new AwsError('ValidationError', `Currently, desiredSize equals minSize (${asg.minSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`);
    }
    asg.desiredCapacity--;
  }
  const cause = decrement
    ? `At ${iso(now)} instance ${id} was taken out of service in response to a user request, shrinking the capacity from ${asg.desiredCapacity + 1} to ${asg.desiredCapacity}.`
    : `At ${iso(now)} instance ${id} was taken out of service in response to a user request.`;
  beginTermination(world, region, asg, ai, now, cause, true);
  const activity = asg.activities.find((a) => a.activityId === ai.activityId)!;
  reconcileAsg(world, region, asg, now);
  return {
    Activity: {
      ActivityId: activity.activityId,
      AutoScalingGroupName: asg.name,
      Description: activity.description,
      Cause: activity.cause,
      StartTime: new Date(activity.startTime),
      StatusCode: activity.statusCode,
      Progress: activity.progress,
      Details: activity.details,
    },
  };
}

function describeScalingActivities({ region, params }: HandlerContext): unknown {
  const name = asString(params.AutoScalingGroupName);
  const ids = asList(params.ActivityIds).map(String);
  const groups = name ? [region.asgs.get(name)].filter((g) => g !== undefined) : [...region.asgs.values()];
  const all: { asg: Asg; a: ScalingActivity; seq: number }[] = [];
  for (const g of groups) g.activities.forEach((a, seq) => all.push({ asg: g, a, seq }));
  const selected = all
    .filter((x) => !ids.length || ids.includes(x.a.activityId))
    .sort((x, y) => y.a.startTime - x.a.startTime || y.seq - x.seq);
  const { page, next } = paginate(selected, params, 'DescribeScalingActivities', 100, 100);
  return {
    Activities: page.map(({ asg, a }) => ({
      ActivityId: a.activityId,
      AutoScalingGroupName: asg.name,
      AutoScalingGroupARN: asg.arn,
      Description: a.description,
      Cause: a.cause,
      StartTime: new Date(a.startTime),
      EndTime: a.endTime !== undefined ? new Date(a.endTime) : undefined,
      StatusCode: a.statusCode,
      StatusMessage: a.statusMessage,
      Progress: a.progress,
      Details: a.details ?? '{}',
    })),
    NextToken: next,
  };
}

function describeLifecycleHooks({ region, params }: HandlerContext): unknown {
  const asg = findAsg(region, asString(params.AutoScalingGroupName));
  const names = asList(params.LifecycleHookNames).map(String);
  const hooks = (asg.lifecycleHooks ?? []).filter((h) => !names.length || names.includes(h.name));
  return {
    LifecycleHooks: hooks.map((h) => ({
      LifecycleHookName: h.name,
      AutoScalingGroupName: asg.name,
      LifecycleTransition: h.transition,
      NotificationTargetARN: h.notificationTargetArn,
      RoleARN: h.roleArn,
      HeartbeatTimeout: h.heartbeatTimeout,
      GlobalTimeout: h.globalTimeout,
      DefaultResult: h.defaultResult,
    })),
  };
}

function describeAutoScalingInstances({ region, params }: HandlerContext): unknown {
  const ids = asList(params.InstanceIds).map(String);
  const rows: Record<string, unknown>[] = [];
  for (const asg of [...region.asgs.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const ai of asg.instances) {
      if (ids.length && !ids.includes(ai.instanceId)) continue;
      const lt = asg.launchTemplate;
      rows.push({
        InstanceId: ai.instanceId,
        InstanceType: region.instances.get(ai.instanceId)?.instanceType ?? asg.instanceType,
        AutoScalingGroupName: asg.name,
        AvailabilityZone: ai.availabilityZone,
        LifecycleState: ai.lifecycleState,
        HealthStatus: ai.healthStatus === 'Healthy' ? 'HEALTHY' : 'UNHEALTHY',
        LaunchTemplate: lt ? { LaunchTemplateId: lt.id, LaunchTemplateName: lt.name, Version: lt.version } : undefined,
        ProtectedFromScaleIn: false,
      });
    }
  }
  const { page, next } = paginate(rows, params, 'DescribeAutoScalingInstances', 50, 50);
  return { AutoScalingInstances: page, NextToken: next };
}

/** CreateOrUpdateTags / DeleteTags on groups (`Tags.member.N.{ResourceId,ResourceType,Key,Value,PropagateAtLaunch}`). */
function changeTags({ region, params }: HandlerContext, remove: boolean): undefined {
  const tags = asList<Record<string, unknown>>(params.Tags);
  if (!tags.length) throw new AwsError('ValidationError', "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  for (const t of tags) {
    if (asString(t.ResourceType) !== 'auto-scaling-group') throw new AwsError('ValidationError', 'ResourceType must be auto-scaling-group');
    const asg = findAsg(region, asString(t.ResourceId));
    const key = asString(t.Key);
    if (!key) throw new AwsError('ValidationError', 'Tag key must not be empty');
    if (key.startsWith('aws:')) throw new AwsError('ValidationError', `Tag keys starting with 'aws:' are reserved for internal use`);
    if (remove) delete asg.tags[key];
    else asg.tags[key] = asString(t.Value) ?? '';
  }
  return undefined;
}

export const autoscaling: ServiceModule = {
  service: 'autoscaling',
  handlers: {
    DescribeAutoScalingGroups: describeAutoScalingGroups,
    DescribeAutoScalingInstances: describeAutoScalingInstances,
    UpdateAutoScalingGroup: updateAutoScalingGroup,
    SetDesiredCapacity: setDesiredCapacity,
    TerminateInstanceInAutoScalingGroup: terminateInstanceInAutoScalingGroup,
    DescribeScalingActivities: describeScalingActivities,
    DescribeLifecycleHooks: describeLifecycleHooks,
    CreateOrUpdateTags: (ctx) => changeTags(ctx, false),
    DeleteTags: (ctx) => changeTags(ctx, true),
  },
  install(world) {
    world.onTick((w, now) => {
      for (const r of w.regions.values()) for (const asg of r.asgs.values()) reconcileAsg(w, r, asg, now);
    });
  },
};
