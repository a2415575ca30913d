/**
 * EC2 (ec2Query protocol): instances with simulated state transitions, VPCs, subnets, route tables, key pairs,
 * availability zones and instance type offerings. Replies use EC2's XML member names (lowerCamelCase, `…Set`
 * lists of `<item>`), checked against the SDK's schemas (`@aws-sdk/client-ec2` dist-es/schemas).
 *
 * Other modules launch and terminate instances through `launchInstance` / `terminateInstance` (CloudFormation
 * masters, Auto Scaling media nodes); the SSM simulator reads `Instance.state` and `Instance.node`.
 */
import { describeRegions } from './regions';
import type { HandlerContext, ServiceModule } from '../server';
import { AwsError, asInt, asList, asString } from '../protocol';
import { createSimNode } from '../node-sim';
import type { Instance, InstanceState, RegionState, Subnet, Tags, World } from '../world';

// ---------------------------------------------------------------------------------------------------------------
// timings (simulated seconds) and codes

/** pending → running after a StartInstances (a launch uses LaunchOptions.bootSeconds, default 60) */
export const START_SECONDS = 20;
/** stopping → stopped */
export const STOP_SECONDS = 30;
/** shutting-down → terminated */
export const TERMINATE_SECONDS = 30;
export const DEFAULT_BOOT_SECONDS = 60;

export const STATE_CODES: Record<InstanceState, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

// ---------------------------------------------------------------------------------------------------------------
// functions other modules call

export interface LaunchOptions {
  subnetId: string;
  instanceType: string;
  imageId?: string;
  keyName?: string;
  tags: Tags;
  iamInstanceProfileArn?: string;
  nodeKind?: 'master' | 'media';
  ssmRegistered: boolean;
  bootSeconds?: number;
  /** reservation to launch into (several instances of one RunInstances share one); default: a new one */
  reservationId?: string;
}

/**
 * Launches one instance into a subnet: `pending` until `bootSeconds` of simulated time pass, then `running`.
 * Private IP from the subnet's CIDR; a public IP when the subnet auto-assigns one.
 */
export function launchInstance(world: World, region: string, opts: LaunchOptions): Instance {
  const r = world.region(region);
  const subnet = r.subnets.find((s) => s.subnetId === opts.subnetId);
  if (!subnet) throw new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${opts.subnetId}' does not exist`);
  const now = world.now();
  const privateIpAddress = allocatePrivateIp(world, r, subnet);
  const instance: Instance = {
    instanceId: `i-0${world.rng.hex(16)}`,
    region,
    vpcId: subnet.vpcId,
    subnetId: subnet.subnetId,
    availabilityZone: subnet.availabilityZone,
    privateIpAddress,
    publicIpAddress: subnet.mapPublicIpOnLaunch ? allocatePublicIp(world) : undefined,
    instanceType: opts.instanceType,
    imageId: opts.imageId ?? defaultImageId(region),
    keyName: opts.keyName,
    state: 'pending',
    stateUntil: now + (opts.bootSeconds ?? DEFAULT_BOOT_SECONDS) * 1000,
    launchTime: now,
    tags: { ...opts.tags },
    iamInstanceProfileArn: opts.iamInstanceProfileArn,
    ssmRegistered: opts.ssmRegistered,
    node: opts.nodeKind ? createSimNode(opts.nodeKind, now) : undefined,
    reservationId: opts.reservationId ?? `r-0${world.rng.hex(16)}`,
    stateTransitionReason: '',
  };
  subnet.availableIpAddressCount = Math.max(0, subnet.availableIpAddressCount - 1);
  r.instances.set(instance.instanceId, instance);
  return instance;
}

/** Starts terminating an instance (`shutting-down`, then `terminated` after TERMINATE_SECONDS). No-op when already gone. */
export function terminateInstance(world: World, region: string, instanceId: string, reason = 'User initiated'): void {
  const inst = world.region(region).instances.get(instanceId);
  if (!inst) throw notFound([instanceId]);
  const now = world.now();
  advanceInstance(world, inst, now);
  if (inst.state === 'terminated' || inst.state === 'shutting-down') return;
  inst.state = 'shutting-down';
  inst.stateUntil = now + TERMINATE_SECONDS * 1000;
  inst.stateTransitionReason = `${reason} (${gmt(now)})`;
  advanceInstance(world, inst, now);
}

/** Stops a running instance (`stopping`, then `stopped`). Throws IncorrectInstanceState when it cannot be stopped. */
export function stopInstance(world: World, region: string, instanceId: string): void {
  const inst = world.region(region).instances.get(instanceId);
  if (!inst) throw notFound([instanceId]);
  const now = world.now();
  if (inst.state === 'stopped' || inst.state === 'stopping') return;
  if (inst.state !== 'running') {
    throw new AwsError('IncorrectInstanceState', `The instance '${instanceId}' is not in a state from which it can be stopped.`);
  }
  inst.state = 'stopping';
  inst.stateUntil = now + STOP_SECONDS * 1000;
  inst.stateTransitionReason = `User initiated (${gmt(now)})`;
}

/** Starts a stopped instance (`pending`, then `running`). Throws IncorrectInstanceState when it cannot be started. */
export function startInstance(world: World, region: string, instanceId: string): void {
  const inst = world.region(region).instances.get(instanceId);
  if (!inst) throw notFound([instanceId]);
  const now = world.now();
  if (inst.state === 'running' || inst.state === 'pending') return;
  if (inst.state !== 'stopped') {
    throw new AwsError('IncorrectInstanceState', `The instance '${instanceId}' is not in a state from which it can be started.`);
  }
  inst.state = 'pending';
  inst.stateUntil = now + START_SECONDS * 1000;
  inst.stateReason = undefined;
  inst.stateTransitionReason = '';
  const subnet = world.region(inst.region).subnets.find((s) => s.subnetId === inst.subnetId);
  if (subnet?.mapPublicIpOnLaunch) inst.publicIpAddress = allocatePublicIp(world);
}

/** Moves an instance through its timed transitions up to `now` (called by the tick hook; idempotent). */
export function advanceInstance(world: World, inst: Instance, now: number): void {
  while (inst.stateUntil !== undefined && inst.stateUntil <= now) {
    inst.stateUntil = undefined;
    if (inst.state === 'pending') {
      inst.state = 'running';
    } else if (inst.state === 'stopping') {
      inst.state = 'stopped';
      inst.publicIpAddress = undefined;
      // the SimNode is left to node-sim (observeInstanceState powers it off and reboots it)
      inst.stateReason = 'Client.UserInitiatedShutdown';
    } else if (inst.state === 'shutting-down') {
      inst.state = 'terminated';
      inst.publicIpAddress = undefined;
      inst.stateReason = inst.stateReason ?? 'Client.UserInitiatedShutdown';
      const subnet = world.region(inst.region).subnets.find((s) => s.subnetId === inst.subnetId);
      if (subnet) subnet.availableIpAddressCount++;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// addresses and ids

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}
function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
export function cidrRange(cidr: string): { base: number; size: number } {
  const [ip, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return { base: Math.floor(ipToInt(ip) / size) * size, size };
}
export function ipInCidr(ip: string, cidr: string): boolean {
  const { base, size } = cidrRange(cidr);
  const n = ipToInt(ip);
  return n >= base && n < base + size;
}

function allocatePrivateIp(world: World, r: RegionState, subnet: Subnet): string {
  const { base, size } = cidrRange(subnet.cidrBlock);
  const used = new Set<string>();
  for (const i of r.instances.values()) if (i.subnetId === subnet.subnetId && i.state !== 'terminated') used.add(i.privateIpAddress);
  // AWS reserves the first four addresses and the last one of every subnet
  const first = 4;
  const count = size - 5;
  if (count <= used.size) {
    throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.subnetId}' to satisfy the requested number of instances.`);
  }
  let offset = first + world.rng.int(count);
  for (;;) {
    const ip = intToIp(base + offset);
    if (!used.has(ip)) return ip;
    offset = first + ((offset - first + 1) % count);
  }
}

const PUBLIC_PREFIXES = [3, 18, 34, 35, 52, 54];
function allocatePublicIp(world: World): string {
  return `${PUBLIC_PREFIXES[world.rng.int(PUBLIC_PREFIXES.length)]}.${world.rng.int(256)}.${world.rng.int(256)}.${1 + world.rng.int(254)}`;
}

/** A stable Ubuntu-like AMI id per region (no rng: ids must not shift when the account is seeded differently). */
export function defaultImageId(region: string): string {
  let h = 2166136261;
  for (const c of `ubuntu-24.04-${region}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `ami-0${h.toString(16).padStart(8, '0')}${(h ^ 0x5bd1e995).toString(16).padStart(8, '0')}`.slice(0, 21);
}

function privateDnsName(ip: string, region: string): string {
  return region === 'us-east-1' ? `ip-${ip.replace(/\./g, '-')}.ec2.internal` : `ip-${ip.replace(/\./g, '-')}.${region}.compute.internal`;
}
function publicDnsName(ip: string | undefined, region: string): string {
  if (!ip) return '';
  return region === 'us-east-1'
    ? `ec2-${ip.replace(/\./g, '-')}.compute-1.amazonaws.com`
    : `ec2-${ip.replace(/\./g, '-')}.${region}.compute.amazonaws.com`;
}

function gmt(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
}

function isArm(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType) || /^[a-z]+\d+g[a-z]*-/.test(instanceType);
}

// ---------------------------------------------------------------------------------------------------------------
// errors, filters, pagination

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;

function notFound(ids: string[]): AwsError {
  return ids.length === 1
    ? new AwsError('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`)
    : new AwsError('InvalidInstanceID.NotFound', `The instance IDs '${ids.join(', ')}' do not exist`);
}

/** Resolves `InstanceId.N` the way EC2 does: malformed ids first, then unknown ones (all named in one message). */
function resolveInstances(r: RegionState, ids: string[]): Instance[] {
  for (const id of ids) {
    if (!INSTANCE_ID.test(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`);
  }
  const missing = ids.filter((id) => !r.instances.has(id));
  if (missing.length) throw notFound(missing);
  return [...new Set(ids)].map((id) => r.instances.get(id)!);
}

interface Filter {
  name: string;
  values: string[];
}
function readFilters(params: Record<string, unknown>): Filter[] {
  return asList<{ Name?: unknown; Value?: unknown }>(params.Filter).map((f) => ({
    name: asString(f.Name) ?? '',
    values: asList(f.Value).map((v) => String(v)),
  }));
}

/** EC2 filter values accept `*` and `?` wildcards. */
export function globMatch(pattern: string, value: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === value;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  return re.test(value);
}

type FilterFields<T> = Record<string, (item: T) => (string | undefined)[]>;

/** Keeps the items matching every filter (values of one filter are OR-ed); unknown filter names are an error. */
function applyFilters<T>(items: T[], filters: Filter[], fields: FilterFields<T>, tagsOf?: (item: T) => Tags): T[] {
  for (const f of filters) {
    const known = f.name in fields || (tagsOf && (f.name.startsWith('tag:') || f.name === 'tag-key' || f.name === 'tag-value'));
    if (!known) throw new AwsError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
  }
  return items.filter((item) =>
    filters.every((f) => {
      let actual: (string | undefined)[];
      if (f.name.startsWith('tag:') && tagsOf) {
        const key = f.name.slice(4);
        actual = key in tagsOf(item) ? [tagsOf(item)[key]] : [];
      } else if (f.name === 'tag-key' && tagsOf) actual = Object.keys(tagsOf(item));
      else if (f.name === 'tag-value' && tagsOf) actual = Object.values(tagsOf(item));
      else actual = fields[f.name](item);
      return f.values.some((v) => actual.some((a) => a !== undefined && globMatch(v, a)));
    }),
  );
}

function tagSet(tags: Tags): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/**
 * MaxResults / NextToken over a list. `min`/`max` are the operation's MaxResults bounds; without MaxResults the
 * whole list is returned unless `defaultPage` is set.
 */
function paginate<T>(
  items: T[],
  params: Record<string, unknown>,
  op: string,
  bounds: { min: number; max: number; defaultPage?: number },
): { page: T[]; nextToken?: string } {
  const maxResults = asInt(params.MaxResults);
  if (maxResults !== undefined && (maxResults < bounds.min || maxResults > bounds.max)) {
    throw new AwsError(
      'InvalidParameterValue',
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value ${maxResults < bounds.min ? `greater than or equal to ${bounds.min}` : `less than or equal to ${bounds.max}`}.`,
    );
  }
  let start = 0;
  const token = asString(params.NextToken);
  if (token) {
    const decoded = decodeToken(token);
    if (!decoded || decoded.op !== op) throw new AwsError('InvalidParameterValue', `Invalid value '${token}' for nextToken`);
    start = decoded.offset;
  }
  const size = maxResults ?? bounds.defaultPage ?? items.length;
  const page = items.slice(start, start + size);
  const next = start + size < items.length ? encodeToken(op, start + size) : undefined;
  return { page, nextToken: next };
}
function encodeToken(op: string, offset: number): string {
  return Buffer.from(JSON.stringify({ op, offset })).toString('base64');
}
function decodeToken(token: string): { op: string; offset: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { op?: unknown; offset?: unknown };
    return typeof v.op === 'string' && typeof v.offset === 'number' ? { op: v.op, offset: v.offset } : undefined;
  } catch {
    return undefined;
  }
}

function dryRun(params: Record<string, unknown>): void {
  if (asString(params.DryRun) === 'true') {
    throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// XML shapes

function instanceXml(world: World, i: Instance, index: number): Record<string, unknown> {
  const arch = isArm(i.instanceType) ? 'arm64' : 'x86_64';
  return {
    instanceId: i.instanceId,
    imageId: i.imageId,
    instanceState: { code: STATE_CODES[i.state], name: i.state },
    privateDnsName: i.state === 'terminated' ? '' : privateDnsName(i.privateIpAddress, i.region),
    dnsName: publicDnsName(i.publicIpAddress, i.region),
    reason: i.stateTransitionReason ?? '',
    keyName: i.keyName,
    amiLaunchIndex: index,
    productCodes: [],
    instanceType: i.instanceType,
    launchTime: new Date(i.launchTime),
    placement: { availabilityZone: i.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: i.state === 'terminated' ? undefined : i.subnetId,
    vpcId: i.state === 'terminated' ? undefined : i.vpcId,
    privateIpAddress: i.state === 'terminated' ? undefined : i.privateIpAddress,
    ipAddress: i.publicIpAddress,
    sourceDestCheck: true,
    groupSet: [],
    stateReason: i.stateReason ? { code: i.stateReason, message: `${i.stateReason}: User initiated shutdown` } : undefined,
    architecture: arch,
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/sda1',
    blockDeviceMapping:
      i.state === 'terminated'
        ? []
        : [
            {
              deviceName: '/dev/sda1',
              ebs: {
                volumeId: `vol-0${i.instanceId.slice(3, 19)}`,
                status: 'attached',
                attachTime: new Date(i.launchTime),
                deleteOnTermination: true,
              },
            },
          ],
    virtualizationType: 'hvm',
    clientToken: '',
    tagSet: tagSet(i.tags),
    hypervisor: 'xen',
    iamInstanceProfile: i.iamInstanceProfileArn
      ? { arn: i.iamInstanceProfileArn, id: `AIPA${i.instanceId.slice(2, 19).toUpperCase()}` }
      : undefined,
    ebsOptimized: true,
    enaSupport: true,
    metadataOptions: { state: 'applied', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled' },
    platformDetails: 'Linux/UNIX',
    usageOperation: 'RunInstances',
    bootMode: arch === 'arm64' ? 'uefi' : 'legacy-bios',
    currentInstanceBootMode: arch === 'arm64' ? 'uefi' : 'legacy-bios',
    privateDnsNameOptions: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
    networkInterfaceSet:
      i.state === 'terminated'
        ? []
        : [
            {
              networkInterfaceId: `eni-0${i.instanceId.slice(3, 19)}`,
              subnetId: i.subnetId,
              vpcId: i.vpcId,
              ownerId: world.accountId,
              status: 'in-use',
              privateIpAddress: i.privateIpAddress,
              privateDnsName: privateDnsName(i.privateIpAddress, i.region),
              sourceDestCheck: true,
              interfaceType: 'interface',
              association: i.publicIpAddress
                ? { publicIp: i.publicIpAddress, publicDnsName: publicDnsName(i.publicIpAddress, i.region), ipOwnerId: 'amazon' }
                : undefined,
              attachment: { attachmentId: `eni-attach-0${i.instanceId.slice(3, 19)}`, deviceIndex: 0, status: 'attached', attachTime: new Date(i.launchTime), deleteOnTermination: true },
            },
          ],
  };
}

function stateChange(i: Instance, previous: InstanceState): Record<string, unknown> {
  return {
    instanceId: i.instanceId,
    currentState: { code: STATE_CODES[i.state], name: i.state },
    previousState: { code: STATE_CODES[previous], name: previous },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// handlers

function describeInstances({ world, region, params }: HandlerContext): unknown {
  const ids = asList(params.InstanceId).map(String);
  if (ids.length && params.MaxResults !== undefined) {
    throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  let items = ids.length ? resolveInstances(region, ids) : [...region.instances.values()];
  items = applyFilters(
    items,
    readFilters(params),
    {
      'instance-id': (i) => [i.instanceId],
      'instance-state-name': (i) => [i.state],
      'instance-state-code': (i) => [String(STATE_CODES[i.state])],
      'instance-type': (i) => [i.instanceType],
      'vpc-id': (i) => [i.vpcId],
      'subnet-id': (i) => [i.subnetId],
      'availability-zone': (i) => [i.availabilityZone],
      'private-ip-address': (i) => [i.privateIpAddress],
      'ip-address': (i) => [i.publicIpAddress],
      'key-name': (i) => [i.keyName],
      'image-id': (i) => [i.imageId],
      'reservation-id': (i) => [i.reservationId],
      'iam-instance-profile.arn': (i) => [i.iamInstanceProfileArn],
    },
    (i) => i.tags,
  );
  const { page, nextToken } = paginate(items, params, 'DescribeInstances', { min: 5, max: 1000 });
  // group consecutive instances of one reservation
  const reservations: { reservationId: string; ownerId: string; groupSet: unknown[]; instances: Instance[] }[] = [];
  for (const i of page) {
    const rid = i.reservationId ?? `r-0${i.instanceId.slice(3, 19)}`;
    const last = reservations[reservations.length - 1];
    if (last && last.reservationId === rid) last.instances.push(i);
    else reservations.push({ reservationId: rid, ownerId: world.accountId, groupSet: [], instances: [i] });
  }
  return {
    reservationSet: reservations.map((r) => ({
      reservationId: r.reservationId,
      ownerId: r.ownerId,
      groupSet: r.groupSet,
      instancesSet: r.instances.map((i, n) => instanceXml(world, i, n)),
    })),
    nextToken,
  };
}

function changeStates(ctx: HandlerContext, op: 'start' | 'stop' | 'terminate'): unknown {
  const { world, region, params } = ctx;
  const ids = asList(params.InstanceId).map(String);
  if (!ids.length) throw new AwsError('MissingParameter', "The request must contain the parameter InstanceId");
  const instances = resolveInstances(region, ids);
  // EC2 validates every instance before changing any
  for (const i of instances) {
    if (op === 'stop' && (i.state === 'pending' || i.state === 'shutting-down' || i.state === 'terminated')) {
      throw new AwsError('IncorrectInstanceState', `The instance '${i.instanceId}' is not in a state from which it can be stopped.`);
    }
    if (op === 'start' && (i.state === 'stopping' || i.state === 'shutting-down' || i.state === 'terminated')) {
      throw new AwsError('IncorrectInstanceState', `The instance '${i.instanceId}' is not in a state from which it can be started.`);
    }
  }
  dryRun(params);
  // StartingInstances / StoppingInstances / TerminatingInstances are all `instancesSet` on the wire
  return {
    instancesSet: instances.map((i) => {
      const previous = i.state;
      if (op === 'start') startInstance(world, region.name, i.instanceId);
      else if (op === 'stop') stopInstance(world, region.name, i.instanceId);
      else terminateInstance(world, region.name, i.instanceId);
      return stateChange(i, previous);
    }),
  };
}

function describeVpcs({ world, region, params }: HandlerContext): unknown {
  const ids = asList(params.VpcId).map(String);
  const missing = ids.filter((id) => !region.vpcs.some((v) => v.vpcId === id));
  if (missing.length) {
    throw new AwsError('InvalidVpcID.NotFound', `The vpc ID${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' ${missing.length > 1 ? 'do' : 'does'} not exist`);
  }
  let vpcs = ids.length ? region.vpcs.filter((v) => ids.includes(v.vpcId)) : region.vpcs;
  vpcs = applyFilters(
    vpcs,
    readFilters(params),
    {
      'vpc-id': (v) => [v.vpcId],
      'is-default': (v) => [String(v.isDefault)],
      'cidr': (v) => [v.cidrBlock],
      'cidr-block-association.cidr-block': (v) => [v.cidrBlock],
      state: () => ['available'],
      'owner-id': () => [world.accountId],
    },
    (v) => v.tags,
  );
  const { page, nextToken } = paginate(vpcs, params, 'DescribeVpcs', { min: 5, max: 1000 });
  return {
    vpcSet: page.map((v) => ({
      vpcId: v.vpcId,
      ownerId: world.accountId,
      state: 'available',
      cidrBlock: v.cidrBlock,
      cidrBlockAssociationSet: [
        { associationId: `vpc-cidr-assoc-0${v.vpcId.slice(5, 21)}`, cidrBlock: v.cidrBlock, cidrBlockState: { state: 'associated' } },
      ],
      dhcpOptionsId: `dopt-0${v.vpcId.slice(5, 21)}`,
      instanceTenancy: 'default',
      isDefault: v.isDefault,
      tagSet: tagSet(v.tags),
      blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
    })),
    nextToken,
  };
}

function describeSubnets({ world, region, params }: HandlerContext): unknown {
  const ids = asList(params.SubnetId).map(String);
  const missing = ids.filter((id) => !region.subnets.some((s) => s.subnetId === id));
  if (missing.length) {
    throw new AwsError('InvalidSubnetID.NotFound', `The subnet ID${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' ${missing.length > 1 ? 'do' : 'does'} not exist`);
  }
  let subnets = ids.length ? region.subnets.filter((s) => ids.includes(s.subnetId)) : region.subnets;
  subnets = applyFilters(
    subnets,
    readFilters(params),
    {
      'vpc-id': (s) => [s.vpcId],
      'subnet-id': (s) => [s.subnetId],
      'availability-zone': (s) => [s.availabilityZone],
      'availability-zone-id': (s) => [s.availabilityZoneId],
      'cidr-block': (s) => [s.cidrBlock],
      'map-public-ip-on-launch': (s) => [String(s.mapPublicIpOnLaunch)],
      'default-for-az': (s) => [String(isDefaultVpc(region, s.vpcId))],
      state: () => ['available'],
    },
    (s) => s.tags,
  );
  const { page, nextToken } = paginate(subnets, params, 'DescribeSubnets', { min: 5, max: 1000 });
  return {
    subnetSet: page.map((s) => ({
      subnetId: s.subnetId,
      subnetArn: `arn:aws:ec2:${region.name}:${world.accountId}:subnet/${s.subnetId}`,
      state: 'available',
      ownerId: world.accountId,
      vpcId: s.vpcId,
      cidrBlock: s.cidrBlock,
      ipv6CidrBlockAssociationSet: [],
      availableIpAddressCount: s.availableIpAddressCount,
      availabilityZone: s.availabilityZone,
      availabilityZoneId: s.availabilityZoneId,
      defaultForAz: isDefaultVpc(region, s.vpcId),
      mapPublicIpOnLaunch: s.mapPublicIpOnLaunch,
      mapCustomerOwnedIpOnLaunch: false,
      assignIpv6AddressOnCreation: false,
      enableDns64: false,
      ipv6Native: false,
      tagSet: tagSet(s.tags),
      privateDnsNameOptionsOnLaunch: { hostnameType: 'ip-name', enableResourceNameDnsARecord: false, enableResourceNameDnsAAAARecord: false },
      blockPublicAccessStates: { internetGatewayBlockMode: 'off' },
    })),
    nextToken,
  };
}

function isDefaultVpc(region: RegionState, vpcId: string): boolean {
  return region.vpcs.some((v) => v.vpcId === vpcId && v.isDefault);
}

function describeRouteTables({ world, region, params }: HandlerContext): unknown {
  const ids = asList(params.RouteTableId).map(String);
  const missing = ids.filter((id) => !region.routeTables.some((t) => t.routeTableId === id));
  if (missing.length) {
    throw new AwsError('InvalidRouteTableID.NotFound', `The routeTable ID '${missing.join(', ')}' does not exist`);
  }
  let tables = ids.length ? region.routeTables.filter((t) => ids.includes(t.routeTableId)) : region.routeTables;
  tables = applyFilters(
    tables,
    readFilters(params),
    {
      'vpc-id': (t) => [t.vpcId],
      'route-table-id': (t) => [t.routeTableId],
      'association.subnet-id': (t) => t.subnetIds,
      'association.main': (t) => [String(t.main)],
      'association.route-table-id': (t) => [t.routeTableId],
      'route.gateway-id': (t) => t.routes.map((r) => r.gatewayId),
      'route.nat-gateway-id': (t) => t.routes.map((r) => r.natGatewayId),
      'route.destination-cidr-block': (t) => t.routes.map((r) => r.destinationCidrBlock),
    },
    () => ({}),
  );
  const { page, nextToken } = paginate(tables, params, 'DescribeRouteTables', { min: 5, max: 100 });
  return {
    routeTableSet: page.map((t) => {
      const vpc = region.vpcs.find((v) => v.vpcId === t.vpcId);
      const suffix = t.routeTableId.slice(4, 20);
      return {
        routeTableId: t.routeTableId,
        vpcId: t.vpcId,
        ownerId: world.accountId,
        associationSet: [
          ...(t.main
            ? [{ main: true, routeTableAssociationId: `rtbassoc-0${suffix}`, routeTableId: t.routeTableId, associationState: { state: 'associated' } }]
            : []),
          ...t.subnetIds.map((subnetId, n) => ({
            main: false,
            routeTableAssociationId: `rtbassoc-${n}${suffix}`,
            routeTableId: t.routeTableId,
            subnetId,
            associationState: { state: 'associated' },
          })),
        ],
        propagatingVgwSet: [],
        routeSet: [
          ...(vpc ? [{ destinationCidrBlock: vpc.cidrBlock, gatewayId: 'local', state: 'active', origin: 'CreateRouteTable' }] : []),
          ...t.routes.map((r) => ({
            destinationCidrBlock: r.destinationCidrBlock,
            gatewayId: r.gatewayId,
            natGatewayId: r.natGatewayId,
            state: 'active',
            origin: 'CreateRoute',
          })),
        ],
        tagSet: [],
      };
    }),
    nextToken,
  };
}

function describeKeyPairs({ region, params }: HandlerContext): unknown {
  const names = asList(params.KeyName).map(String);
  const ids = asList(params.KeyPairId).map(String);
  for (const n of names) {
    if (!region.keyPairs.some((k) => k.keyName === n)) throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${n}' does not exist`);
  }
  for (const id of ids) {
    if (!region.keyPairs.some((k) => k.keyPairId === id)) throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${id}' does not exist`);
  }
  let keys = region.keyPairs.filter((k) => (!names.length || names.includes(k.keyName)) && (!ids.length || ids.includes(k.keyPairId)));
  keys = applyFilters(keys, readFilters(params), {
    'key-name': (k) => [k.keyName],
    'key-pair-id': (k) => [k.keyPairId],
    'fingerprint': (k) => [k.keyFingerprint],
    'key-type': (k) => [k.keyType],
  });
  return {
    keySet: keys.map((k) => ({
      keyPairId: k.keyPairId,
      keyName: k.keyName,
      keyFingerprint: k.keyFingerprint,
      keyType: k.keyType,
      createTime: new Date(k.createdAt),
      tagSet: [],
    })),
  };
}

function describeAvailabilityZones({ region, params }: HandlerContext): unknown {
  const names = asList(params.ZoneName).map(String);
  const zoneIds = asList(params.ZoneId).map(String);
  for (const n of names) {
    if (!region.availabilityZones.some((z) => z.zoneName === n)) {
      throw new AwsError('InvalidParameterValue', `The zone '${n}' does not exist.`);
    }
  }
  let zones = region.availabilityZones.filter(
    (z) => (!names.length || names.includes(z.zoneName)) && (!zoneIds.length || zoneIds.includes(z.zoneId)),
  );
  zones = applyFilters(zones, readFilters(params), {
    'zone-name': (z) => [z.zoneName],
    'zone-id': (z) => [z.zoneId],
    'region-name': () => [region.name],
    state: () => ['available'],
    'zone-type': () => ['availability-zone'],
    'opt-in-status': () => ['opt-in-not-required'],
    'group-name': () => [region.name],
  });
  return {
    availabilityZoneInfo: zones.map((z) => ({
      zoneName: z.zoneName,
      zoneId: z.zoneId,
      zoneState: 'available',
      regionName: region.name,
      optInStatus: 'opt-in-not-required',
      groupName: region.name,
      networkBorderGroup: region.name,
      zoneType: 'availability-zone',
      messageSet: [],
    })),
  };
}

function describeInstanceTypeOfferings({ region, params }: HandlerContext): unknown {
  const locationType = asString(params.LocationType) ?? 'region';
  if (!['region', 'availability-zone', 'availability-zone-id'].includes(locationType)) {
    throw new AwsError('InvalidParameterValue', `Value (${locationType}) for parameter locationType is invalid. Valid values are [region, availability-zone, availability-zone-id, outpost].`);
  }
  const offerings: { instanceType: string; locationType: string; location: string }[] = [];
  if (locationType === 'region') {
    const all = new Set<string>();
    for (const z of region.availabilityZones) for (const t of region.instanceTypeOfferings[z.zoneName] ?? []) all.add(t);
    for (const t of all) offerings.push({ instanceType: t, locationType, location: region.name });
  } else {
    for (const z of region.availabilityZones) {
      for (const t of region.instanceTypeOfferings[z.zoneName] ?? []) {
        offerings.push({ instanceType: t, locationType, location: locationType === 'availability-zone' ? z.zoneName : z.zoneId });
      }
    }
  }
  const filtered = applyFilters(offerings, readFilters(params), {
    location: (o) => [o.location],
    'instance-type': (o) => [o.instanceType],
  });
  const { page, nextToken } = paginate(filtered, params, 'DescribeInstanceTypeOfferings', { min: 5, max: 1000, defaultPage: 1000 });
  return { instanceTypeOfferingSet: page, nextToken };
}

export const ec2: ServiceModule = {
  service: 'ec2',
  handlers: {
    DescribeInstances: describeInstances,
    StartInstances: (ctx) => changeStates(ctx, 'start'),
    StopInstances: (ctx) => changeStates(ctx, 'stop'),
    TerminateInstances: (ctx) => changeStates(ctx, 'terminate'),
    DescribeVpcs: describeVpcs,
    DescribeSubnets: describeSubnets,
    DescribeRouteTables: describeRouteTables,
    DescribeKeyPairs: describeKeyPairs,
    DescribeAvailabilityZones: describeAvailabilityZones,
    DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
    DescribeRegions: describeRegions,
  },
  install(world) {
    world.onTick((w, now) => {
      for (const r of w.regions.values()) for (const i of r.instances.values()) advanceInstance(w, i, now);
    });
  },
};
